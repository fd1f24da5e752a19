// Fuzzes the S3 settings → target step and the AWS credentials-file parser. The input: a flags
// byte (use_ssl / virtual_host set and their values, no_credentials), then NUL-separated bucket,
// region, endpoint, key prefix, key id, secret, session token, profile, object key; the whole
// input is also read as a credentials file. The credentials file named in the settings does not
// exist. An object's URL starts with the base URL; the description never depends on the secret.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "storage/s3/s3_target.hpp"

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "s3 target: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sccache::storage::s3;
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string> f;
  while (f.size() < 9) {
    auto end = std::min(rest.find('\0'), rest.size());
    f.emplace_back(rest.substr(0, end));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  sccache::config::S3Settings s;
  s.bucket = f[0];
  s.region = f[1];
  s.endpoint = f[2];
  if (data[0] & 1) s.use_ssl = (data[0] & 2) != 0;
  if (data[0] & 4) s.virtual_host = (data[0] & 8) != 0;
  s.no_credentials = (data[0] & 16) != 0;
  s.key_prefix = f[3];
  s.access_key_id = f[4];
  s.secret_access_key = f[5];
  s.session_token = f[6];
  s.profile = f[7];
  s.credentials_file = "/nonexistent-fuzz-dir/credentials";
  if (auto target = make_target(s)) {
    check(target->object_url(f[8]).starts_with(target->base_url), "a URL off the endpoint");
    check(target->key_prefix.empty() || target->key_prefix.ends_with('/'), "a prefix without /");
    std::string description = target->describe();
    target->credentials.secret_access_key += "x";
    target->credentials.session_token += "y";
    check(target->describe() == description, "the description shows a secret");
  }
  credentials_from_ini(std::string(reinterpret_cast<const char*>(data), size), f[7]);
  return 0;
}
