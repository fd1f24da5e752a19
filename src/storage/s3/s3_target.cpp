#include "storage/s3/s3_target.hpp"

#include <algorithm>

#include <ini.h>

#include "util/fs.hpp"
#include "util/log.hpp"

namespace sccache::storage::s3 {

namespace {

// RFC 3986 percent-encoding of all but the unreserved characters and '/': what S3 puts in the
// canonical URI of a path-segmented key. libcurl 7.88 signs the path exactly as it is sent, so the
// URL must carry it encoded already (a prefix with a space or a '+' would otherwise not verify).
std::string encode_key_path(const std::string& in) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

std::string trim_slashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// The endpoint with its scheme: SCCACHE_S3_USE_SSL decides when set; otherwise a scheme given in
// SCCACHE_ENDPOINT is kept, and a bare host:port is plain http (as Mozilla's sccache does).
std::string endpoint_url(const config::S3Settings& s) {
  std::string host = s.endpoint;
  std::string scheme = "http";
  if (auto sep = host.find("://"); sep != std::string::npos) {
    scheme = host.substr(0, sep);
    host = host.substr(sep + 3);
  }
  if (s.use_ssl) scheme = *s.use_ssl ? "https" : "http";
  return scheme + "://" + trim_slashes(host);
}

struct IniSearch {
  std::string profile;
  Credentials found;
  bool seen = false;
};

int on_ini_entry(void* user, const char* section, const char* name, const char* value) {
  auto* search = static_cast<IniSearch*>(user);
  if (search->profile != section) return 1;
  search->seen = true;
  std::string key = name;
  if (key == "aws_access_key_id") search->found.access_key_id = value;
  if (key == "aws_secret_access_key") search->found.secret_access_key = value;
  if (key == "aws_session_token") search->found.session_token = value;
  return 1;
}

}  // namespace

util::Result<Credentials> credentials_from_ini(const std::string& text,
                                               const std::string& profile) {
  IniSearch search{profile, {}, false};
  int line = ini_parse_string(text.c_str(), &on_ini_entry, &search);
  if (line != 0) {
    return util::fail(util::ErrorCode::invalid,
                      "AWS credentials file: syntax error on line " + std::to_string(line));
  }
  if (!search.seen) {
    return util::fail(util::ErrorCode::invalid,
                      "AWS credentials file has no [" + profile + "] profile");
  }
  if (search.found.access_key_id.empty() != search.found.secret_access_key.empty()) {
    return util::fail(util::ErrorCode::invalid, "AWS credentials file: profile [" + profile +
                                                    "] needs both a key id and a secret");
  }
  return search.found;
}

std::string S3Target::object_url(const std::string& key) const {
  std::string name = encode_key_path(key_prefix);
  if (key.size() >= 3)
    name += key.substr(0, 1) + "/" + key.substr(1, 1) + "/" + key.substr(2, 1) + "/";
  name += key;
  return path_style ? base_url + "/" + bucket + "/" + name : base_url + "/" + name;
}

std::string S3Target::describe() const {
  std::string out = "S3, bucket: " + bucket + ", endpoint: " + base_url;
  if (!key_prefix.empty()) out += ", key prefix: " + key_prefix;
  if (credentials.anonymous()) out += ", anonymous";
  return out;
}

util::Result<S3Target> make_target(const config::S3Settings& s) {
  S3Target t;
  t.bucket = s.bucket;
  if (!s.region.empty()) t.region = s.region;
  if (s.endpoint.empty()) {
    t.path_style = !s.virtual_host.value_or(true);
    std::string host = "s3." + t.region + ".amazonaws.com";
    t.base_url = t.path_style ? "https://" + host : "https://" + s.bucket + "." + host;
  } else {
    t.path_style = !s.virtual_host.value_or(false);
    t.base_url = endpoint_url(s);
    if (!t.path_style) {
      auto sep = t.base_url.find("://") + 3;
      t.base_url.insert(sep, s.bucket + ".");
    }
  }
  t.key_prefix = trim_slashes(s.key_prefix);
  while (!t.key_prefix.empty() && t.key_prefix.front() == '/') t.key_prefix.erase(0, 1);
  if (!t.key_prefix.empty()) t.key_prefix += "/";
  // As Mozilla's sccache (through opendal) asks for it: SSE-KMS with the given key (which implies
  // it), or with the AWS-managed one; else SSE-S3.
  if (s.server_side_encryption_kms || !s.kms_key_id.empty()) {
    t.put_headers.push_back("x-amz-server-side-encryption: aws:kms");
    if (!s.kms_key_id.empty()) {
      if (std::any_of(s.kms_key_id.begin(), s.kms_key_id.end(),
                      [](unsigned char c) { return c < 0x21 || c > 0x7e; })) {
        return util::fail(util::ErrorCode::invalid,
                          "SCCACHE_S3_SERVER_SIDE_ENCRYPTION_KMS_KEY_ID: not a KMS key id");
      }
      t.put_headers.push_back("x-amz-server-side-encryption-aws-kms-key-id: " + s.kms_key_id);
    }
  } else if (s.server_side_encryption) {
    t.put_headers.push_back("x-amz-server-side-encryption: AES256");
  }
  if (s.no_credentials) return t;
  if (!s.access_key_id.empty() || !s.secret_access_key.empty()) {
    if (s.access_key_id.empty() || s.secret_access_key.empty()) {
      return util::fail(util::ErrorCode::invalid,
                        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
    }
    t.credentials = {s.access_key_id, s.secret_access_key, s.session_token};
    return t;
  }
  auto text = util::read_file(s.credentials_file);
  if (!text) {
    log::warn("S3: no AWS credentials in the environment or {}: requests are unsigned",
              s.credentials_file);
    return t;
  }
  auto found = credentials_from_ini(*text, s.profile);
  if (!found) return tl::make_unexpected(found.error());
  t.credentials = std::move(*found);
  return t;
}

}  // namespace sccache::storage::s3
