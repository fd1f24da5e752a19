#pragma once
// A WebDAV/HTTP server as cache storage: GET, PUT and DELETE of `<endpoint>/<prefix>/<key>`
// (nginx's dav module, bazel-remote, ccache-style HTTP caches). Through Debian's libcurl, loaded
// with dlopen by the server only when configured: linking it would add a dozen libraries to every
// client start.
#include <chrono>
#include <memory>
#include <string>

#include "storage/storage.hpp"

namespace sccache::storage::webdav {

struct WebdavTarget {
  std::string endpoint;  // http(s)://host[:port][/path]
  std::string key_prefix;
  std::string username;
  std::string password;
  std::string token;  // bearer token; wins over username/password
  std::chrono::milliseconds timeout{3000};
};

util::Result<std::unique_ptr<Storage>> make_webdav_storage(WebdavTarget target);

}  // namespace sccache::storage::webdav
