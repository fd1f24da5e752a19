#include "storage/webdav/webdav_storage.hpp"

#include "util/shared_library.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace sccache::storage::webdav {

namespace {

// The libcurl entry points we use, bound at run time.
struct Api {
  decltype(&::curl_easy_init) init = nullptr;
  decltype(&::curl_easy_setopt) setopt = nullptr;
  decltype(&::curl_easy_perform) perform = nullptr;
  decltype(&::curl_easy_getinfo) getinfo = nullptr;
  decltype(&::curl_easy_cleanup) cleanup = nullptr;
  decltype(&::curl_easy_strerror) strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free = nullptr;
};

util::Result<const Api*> load_api() {
  return util::load_once<Api>("libcurl.so.4", [](const util::SharedLibrary& lib, Api& api) {
    return lib.bind(api.init, "curl_easy_init") && lib.bind(api.setopt, "curl_easy_setopt") &&
           lib.bind(api.perform, "curl_easy_perform") &&
           lib.bind(api.getinfo, "curl_easy_getinfo") &&
           lib.bind(api.cleanup, "curl_easy_cleanup") &&
           lib.bind(api.strerror, "curl_easy_strerror") &&
           lib.bind(api.slist_append, "curl_slist_append") &&
           lib.bind(api.slist_free, "curl_slist_free_all");
  });
}

size_t collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t feed(char* buffer, size_t size, size_t count, void* in) {
  auto* up = static_cast<Upload*>(in);
  size_t n = std::min(size * count, up->data.size() - up->offset);
  std::memcpy(buffer, up->data.data() + up->offset, n);
  up->offset += n;
  return n;
}

class WebdavStorage final : public Storage {
 public:
  WebdavStorage(const Api& api, WebdavTarget target) : m_api(api), m_target(std::move(target)) {
    while (!m_target.endpoint.empty() && m_target.endpoint.back() == '/')
      m_target.endpoint.pop_back();
    while (!m_target.key_prefix.empty() && m_target.key_prefix.back() == '/')
      m_target.key_prefix.pop_back();
  }

  util::Result<std::optional<std::string>> get(const std::string& key) override {
    std::string body;
    auto status = request("GET", key, nullptr, &body);
    if (!status) return tl::make_unexpected(status.error());
    if (*status == 404) return std::optional<std::string>{};
    if (*status != 200) return http_error("GET", *status);
    return std::optional<std::string>{std::move(body)};
  }

  util::Result<void> put(const std::string& key, std::string_view blob) override {
    Upload up{blob};
    auto status = request("PUT", key, &up, nullptr);
    if (!status) return tl::make_unexpected(status.error());
    if (*status < 200 || *status >= 300) return http_error("PUT", *status);
    return {};
  }

  void remove(const std::string& key) override { (void)request("DELETE", key, nullptr, nullptr); }

  std::string location() const override { return "WebDAV: " + m_target.endpoint; }
  std::optional<std::uint64_t> current_size() const override { return std::nullopt; }
  std::optional<std::uint64_t> max_size() const override { return std::nullopt; }

 private:
  tl::unexpected<util::Error> http_error(const char* method, long status) const {
    return util::fail(util::ErrorCode::io,
                      std::string("WebDAV ") + method + ": HTTP " + std::to_string(status));
  }

  std::string url_of(const std::string& key) const {
    std::string url = m_target.endpoint + "/";
    if (!m_target.key_prefix.empty()) url += m_target.key_prefix + "/";
    return url + key;
  }

  // One HTTP exchange; the status code, or an error when no answer came.
  util::Result<long> request(const char* method, const std::string& key, Upload* upload,
                             std::string* body) const {
    CURL* curl = m_api.init();
    if (!curl) return util::fail(util::ErrorCode::io, "WebDAV: curl_easy_init failed");
    std::string url = url_of(key);
    curl_slist* headers = nullptr;
    std::string auth;
    if (!m_target.token.empty()) {
      auth = "Authorization: Bearer " + m_target.token;
      headers = m_api.slist_append(headers, auth.c_str());
    }
    m_api.setopt(curl, CURLOPT_URL, url.c_str());
    m_api.setopt(curl, CURLOPT_NOSIGNAL, 1L);
    m_api.setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_target.timeout.count()));
    m_api.setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_target.timeout.count()));
    if (headers) m_api.setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (m_target.token.empty() && !m_target.username.empty()) {
      m_api.setopt(curl, CURLOPT_USERNAME, m_target.username.c_str());
      m_api.setopt(curl, CURLOPT_PASSWORD, m_target.password.c_str());
    }
    if (upload) {
      m_api.setopt(curl, CURLOPT_UPLOAD, 1L);
      m_api.setopt(curl, CURLOPT_READFUNCTION, &feed);
      m_api.setopt(curl, CURLOPT_READDATA, upload);
      m_api.setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(upload->data.size()));
    } else if (std::string_view(method) != "GET") {
      m_api.setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    }
    std::string sink;
    m_api.setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
    m_api.setopt(curl, CURLOPT_WRITEDATA, body ? body : &sink);
    CURLcode rc = m_api.perform(curl);
    long status = 0;
    m_api.getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    m_api.cleanup(curl);
    if (headers) m_api.slist_free(headers);
    if (rc != CURLE_OK) {
      auto code = rc == CURLE_OPERATION_TIMEDOUT ? util::ErrorCode::timeout : util::ErrorCode::io;
      return util::fail(code, std::string("WebDAV ") + method + " " + m_target.endpoint + ": " +
                                  m_api.strerror(rc));
    }
    return status;
  }

  const Api& m_api;
  WebdavTarget m_target;
};

}  // namespace

util::Result<std::unique_ptr<Storage>> make_webdav_storage(WebdavTarget target) {
  auto api = load_api();
  if (!api) return tl::make_unexpected(api.error());
  return std::unique_ptr<Storage>(std::make_unique<WebdavStorage>(**api, std::move(target)));
}

}  // namespace sccache::storage::webdav
