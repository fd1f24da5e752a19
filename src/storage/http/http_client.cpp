#include "storage/http/http_client.hpp"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "util/shared_library.hpp"

namespace sccache::storage::http {

namespace {

// The libcurl entry points we use, bound at run time.
struct Api {
  decltype(&::curl_easy_init) init = nullptr;
  decltype(&::curl_easy_setopt) setopt = nullptr;
  decltype(&::curl_easy_perform) perform = nullptr;
  decltype(&::curl_easy_getinfo) getinfo = nullptr;
  decltype(&::curl_easy_cleanup) cleanup = nullptr;
  decltype(&::curl_easy_reset) reset = nullptr;
  decltype(&::curl_easy_strerror) strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free = nullptr;
};

util::Result<const Api*> load_api() {
  return util::load_once<Api>("libcurl.so.4", [](const util::SharedLibrary& lib, Api& api) {
    return lib.bind(api.init, "curl_easy_init") && lib.bind(api.setopt, "curl_easy_setopt") &&
           lib.bind(api.perform, "curl_easy_perform") &&
           lib.bind(api.getinfo, "curl_easy_getinfo") &&
           lib.bind(api.cleanup, "curl_easy_cleanup") && lib.bind(api.reset, "curl_easy_reset") &&
           lib.bind(api.strerror, "curl_easy_strerror") &&
           lib.bind(api.slist_append, "curl_slist_append") &&
           lib.bind(api.slist_free, "curl_slist_free_all");
  });
}

struct Sink {
  std::string* out;
  std::size_t max;
};

size_t collect(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::size_t n = size * count;
  if (sink->max != 0 && sink->out->size() + n > sink->max) return 0;  // aborts the transfer
  sink->out->append(data, n);
  return n;
}

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

size_t feed(char* buffer, size_t size, size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  std::size_t n = std::min(size * count, up->data.size() - up->offset);
  std::memcpy(buffer, up->data.data() + up->offset, n);
  up->offset += n;
  return n;
}

// libcurl rewinds an upload when it must send it again (a kept connection the server had closed).
int seek(void* user, curl_off_t offset, int origin) {
  auto* up = static_cast<Upload*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<std::size_t>(offset) > up->data.size()) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  up->offset = static_cast<std::size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

// libcurl 7.88 opens its sockets without close-on-exec; a kept connection would then be inherited
// by every compiler the server starts.
curl_socket_t open_socket(void*, curlsocktype, curl_sockaddr* address) {
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

int trace(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type == CURLINFO_HEADER_OUT) static_cast<std::string*>(user)->append(data, size);
  return 0;
}

// One easy handle per thread, kept from one exchange to the next: its connection to the remote
// (and, over https, its TLS session) is reused instead of paying a new handshake per lookup.
// curl_easy_reset clears the options, not the connection cache.
struct ThreadHandle {
  const Api* api = nullptr;
  CURL* curl = nullptr;
  ~ThreadHandle() {
    if (curl) api->cleanup(curl);
  }
};

CURL* thread_handle(const Api& api) {
  thread_local ThreadHandle handle;
  if (handle.curl) {
    api.reset(handle.curl);
  } else {
    handle.api = &api;
    handle.curl = api.init();
  }
  return handle.curl;
}

// Frees the lists one exchange allocated, whatever path it leaves by.
struct Lists {
  const Api& api;
  curl_slist* headers = nullptr;
  curl_slist* connect_to = nullptr;
  ~Lists() {
    if (headers) api.slist_free(headers);
    if (connect_to) api.slist_free(connect_to);
  }
};

void set_method(const Api& api, CURL* curl, const Request& r, Upload& upload) {
  if (r.method == "PUT") {
    api.setopt(curl, CURLOPT_UPLOAD, 1L);
    api.setopt(curl, CURLOPT_READFUNCTION, &feed);
    api.setopt(curl, CURLOPT_READDATA, &upload);
    api.setopt(curl, CURLOPT_SEEKFUNCTION, &seek);
    api.setopt(curl, CURLOPT_SEEKDATA, &upload);
    api.setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  } else if (r.method == "HEAD") {
    api.setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (r.method != "GET") {
    api.setopt(curl, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  }
}

}  // namespace

util::Result<void> available() {
  auto api = load_api();
  if (!api) return tl::make_unexpected(api.error());
  return {};
}

util::Result<Response> perform(const Request& r) {
  auto loaded = load_api();
  if (!loaded) return tl::make_unexpected(loaded.error());
  const Api& api = **loaded;
  CURL* curl = thread_handle(api);
  if (!curl) return util::fail(util::ErrorCode::io, "curl_easy_init failed");
  Lists h{api};
  // (No "Expect:" to turn off libcurl's 100-continue for large bodies: libcurl 7.88 would sign the
  // empty header without sending it, and S3 would refuse the signature.)
  for (const auto& header : r.headers) h.headers = api.slist_append(h.headers, header.c_str());
  api.setopt(curl, CURLOPT_URL, r.url.c_str());
  api.setopt(curl, CURLOPT_NOSIGNAL, 1L);
  api.setopt(curl, CURLOPT_OPENSOCKETFUNCTION, &open_socket);
  api.setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
  api.setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.timeout.count()));
  if (h.headers) api.setopt(curl, CURLOPT_HTTPHEADER, h.headers);
  if (!r.username.empty() || !r.password.empty()) {
    api.setopt(curl, CURLOPT_USERNAME, r.username.c_str());
    api.setopt(curl, CURLOPT_PASSWORD, r.password.c_str());
  }
  if (!r.aws_sigv4.empty()) api.setopt(curl, CURLOPT_AWS_SIGV4, r.aws_sigv4.c_str());
  if (!r.connect_to.empty()) {
    h.connect_to = api.slist_append(nullptr, r.connect_to.c_str());
    api.setopt(curl, CURLOPT_CONNECT_TO, h.connect_to);
  }
  if (r.max_body != 0) {
    api.setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(r.max_body));
  }
  Upload upload{r.body};
  set_method(api, curl, r, upload);
  Response response;
  Sink sink{&response.body, r.max_body};
  api.setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
  api.setopt(curl, CURLOPT_WRITEDATA, &sink);
  if (r.capture_request_headers) {
    api.setopt(curl, CURLOPT_DEBUGFUNCTION, &trace);
    api.setopt(curl, CURLOPT_DEBUGDATA, &response.request_headers);
    api.setopt(curl, CURLOPT_VERBOSE, 1L);
  }
  CURLcode rc = api.perform(curl);
  api.getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (rc != CURLE_OK) {
    auto code = rc == CURLE_OPERATION_TIMEDOUT ? util::ErrorCode::timeout : util::ErrorCode::io;
    return util::fail(code, r.method + " " + r.url + ": " + api.strerror(rc));
  }
  return response;
}

}  // namespace sccache::storage::http
