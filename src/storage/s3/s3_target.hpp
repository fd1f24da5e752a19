#pragma once
// Where an S3 level's objects live and how requests are signed: from the settings to URLs and
// credentials. Path-style (`<endpoint>/<bucket>/<key>`) for a custom endpoint (MinIO, Ceph,
// s3rver...), virtual-host style (`https://<bucket>.s3.<region>.amazonaws.com/<key>`) for AWS's
// own, unless SCCACHE_S3_ENABLE_VIRTUAL_HOST_STYLE says otherwise. Object names follow Mozilla's
// layout, `<prefix>/<k0>/<k1>/<k2>/<key>` (the prefix percent-encoded in the URL, '/' kept).
#include <chrono>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "util/error.hpp"

namespace sccache::storage::s3 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // sent as x-amz-security-token (temporary credentials)
  bool anonymous() const { return access_key_id.empty(); }
};

struct S3Target {
  std::string bucket;
  std::string region = "us-east-1";
  std::string base_url;  // scheme://host[:port], with the bucket for virtual-host style
  bool path_style = true;
  std::string key_prefix;  // "" or ending in '/'
  Credentials credentials;
  std::vector<std::string> put_headers;  // server-side encryption, on a PUT only
  std::chrono::milliseconds timeout{3000};

  std::string object_url(const std::string& key) const;
  std::string describe() const;  // for the stats: never a secret
};

// The target the settings describe; credentials from the environment, else the shared credentials
// file's profile, else none (unsigned requests).
util::Result<S3Target> make_target(const config::S3Settings& settings);

// `[profile]` → key id, secret and token from an AWS shared credentials file's text.
util::Result<Credentials> credentials_from_ini(const std::string& text, const std::string& profile);

}  // namespace sccache::storage::s3
