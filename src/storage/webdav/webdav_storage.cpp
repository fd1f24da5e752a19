#include "storage/webdav/webdav_storage.hpp"

#include "storage/http/http_client.hpp"

namespace sccache::storage::webdav {

namespace {

class WebdavStorage final : public Storage {
 public:
  explicit WebdavStorage(WebdavTarget target) : m_target(std::move(target)) {
    while (!m_target.endpoint.empty() && m_target.endpoint.back() == '/')
      m_target.endpoint.pop_back();
    while (!m_target.key_prefix.empty() && m_target.key_prefix.back() == '/')
      m_target.key_prefix.pop_back();
  }

  util::Result<std::optional<std::string>> get(const std::string& key) override {
    auto response = exchange("GET", key);
    if (!response) return tl::make_unexpected(response.error());
    if (response->status == 404) return std::optional<std::string>{};
    if (response->status != 200) return http_error("GET", response->status);
    return std::optional<std::string>{std::move(response->body)};
  }

  util::Result<void> put(const std::string& key, std::string_view blob) override {
    auto response = exchange("PUT", key, blob);
    if (!response) return tl::make_unexpected(response.error());
    if (response->status < 200 || response->status >= 300) {
      return http_error("PUT", response->status);
    }
    return {};
  }

  void remove(const std::string& key) override { (void)exchange("DELETE", key); }

  std::string location() const override { return "WebDAV: " + m_target.endpoint; }
  std::optional<std::uint64_t> current_size() const override { return std::nullopt; }
  std::optional<std::uint64_t> max_size() const override { return std::nullopt; }

 private:
  tl::unexpected<util::Error> http_error(const char* method, long status) const {
    return util::fail(util::ErrorCode::io,
                      std::string("WebDAV ") + method + ": HTTP " + std::to_string(status));
  }

  util::Result<http::Response> exchange(const char* method, const std::string& key,
                                        std::string_view body = {}) const {
    http::Request r;
    r.method = method;
    r.url = m_target.endpoint + "/";
    if (!m_target.key_prefix.empty()) r.url += m_target.key_prefix + "/";
    r.url += key;
    r.body = body;
    r.timeout = m_target.timeout;
    r.max_body = k_max_remote_blob;
    if (!m_target.token.empty()) {
      r.headers.push_back("Authorization: Bearer " + m_target.token);
    } else {
      r.username = m_target.username;
      r.password = m_target.password;
    }
    auto response = http::perform(r);
    if (!response) {
      return util::fail(response.error().code, "WebDAV " + response.error().message);
    }
    return response;
  }

  WebdavTarget m_target;
};

}  // namespace

util::Result<std::unique_ptr<Storage>> make_webdav_storage(WebdavTarget target) {
  if (auto loaded = http::available(); !loaded) return tl::make_unexpected(loaded.error());
  return std::unique_ptr<Storage>(std::make_unique<WebdavStorage>(std::move(target)));
}

}  // namespace sccache::storage::webdav
