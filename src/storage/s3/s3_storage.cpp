#include "storage/s3/s3_storage.hpp"

#include <algorithm>
#include <cctype>

#include "storage/http/http_client.hpp"

namespace sccache::storage::s3 {

namespace {

class S3Storage final : public Storage {
 public:
  explicit S3Storage(S3Target target)
      : m_target(std::move(target)),
        m_signing(signing_for(m_target.credentials, m_target.region, "s3")) {}

  util::Result<std::optional<std::string>> get(const std::string& key) override {
    auto response = exchange("GET", key);
    if (!response) return tl::make_unexpected(response.error());
    if (response->status == 404) return std::optional<std::string>{};
    if (response->status != 200) return http_error("GET", *response);
    return std::optional<std::string>{std::move(response->body)};
  }

  util::Result<void> put(const std::string& key, std::string_view blob) override {
    auto response = exchange("PUT", key, blob);
    if (!response) return tl::make_unexpected(response.error());
    if (response->status < 200 || response->status >= 300) return http_error("PUT", *response);
    return {};
  }

  void remove(const std::string& key) override { (void)exchange("DELETE", key); }

  std::string location() const override { return m_target.describe(); }
  std::optional<std::uint64_t> current_size() const override { return std::nullopt; }
  std::optional<std::uint64_t> max_size() const override { return std::nullopt; }

 private:
  // S3 answers errors with an XML body whose <Code> says what went wrong (AccessDenied,
  // NoSuchBucket, InvalidAccessKeyId, SignatureDoesNotMatch...).
  tl::unexpected<util::Error> http_error(const char* method, const http::Response& r) const {
    std::string message = std::string("S3 ") + method + ": HTTP " + std::to_string(r.status);
    // (The code is the server's text: only a short word of letters and digits is quoted.)
    auto open = r.body.find("<Code>");
    auto close = open == std::string::npos ? open : r.body.find("</Code>", open + 6);
    if (close != std::string::npos && close - open - 6 <= 64) {
      std::string code = r.body.substr(open + 6, close - open - 6);
      if (!code.empty() && std::all_of(code.begin(), code.end(), [](unsigned char c) {
            return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
          })) {
        message += " " + code;
      }
    }
    return util::fail(util::ErrorCode::io, message);
  }

  util::Result<http::Response> exchange(const char* method, const std::string& key,
                                        std::string_view body = {}) const {
    http::Request r;
    r.method = method;
    r.url = m_target.object_url(key);
    r.body = body;
    r.timeout = m_target.timeout;
    r.max_body = k_max_remote_blob;
    r.headers = m_signing.headers;
    if (std::string_view(method) == "PUT")
      r.headers.insert(r.headers.end(), m_target.put_headers.begin(), m_target.put_headers.end());
    r.aws_sigv4 = m_signing.aws_sigv4;
    if (!r.aws_sigv4.empty()) {
      r.username = m_target.credentials.access_key_id;
      r.password = m_target.credentials.secret_access_key;
    }
    auto response = http::perform(r);
    if (!response) return util::fail(response.error().code, "S3 " + response.error().message);
    return response;
  }

  S3Target m_target;
  Signing m_signing;
};

}  // namespace

Signing signing_for(const Credentials& credentials, const std::string& region,
                    const std::string& service) {
  Signing s;
  if (credentials.anonymous()) return s;
  // S3 wants the payload's hash in a signed header; libcurl 7.88 does not add it. An unsigned
  // payload is what the AWS SDKs send over TLS; the entry's own checksum guards its content.
  s.headers.push_back("x-amz-content-sha256: UNSIGNED-PAYLOAD");
  if (!credentials.session_token.empty()) {
    s.headers.push_back("x-amz-security-token: " + credentials.session_token);
  }
  s.aws_sigv4 = "aws:amz:" + region + ":" + service;
  return s;
}

util::Result<std::unique_ptr<Storage>> make_s3_storage(S3Target target) {
  if (auto loaded = http::available(); !loaded) return tl::make_unexpected(loaded.error());
  return std::unique_ptr<Storage>(std::make_unique<S3Storage>(std::move(target)));
}

}  // namespace sccache::storage::s3
