#pragma once
// One HTTP exchange through Debian's libcurl, loaded with dlopen on first use (linking it would add
// a dozen libraries to every client start). Shared by the WebDAV and S3 levels.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace sccache::storage::http {

struct Request {
  std::string method = "GET";  // GET, PUT, DELETE, HEAD
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string_view body;             // sent with PUT
  std::chrono::milliseconds timeout{3000};
  std::string username, password;  // basic auth, or the key pair when aws_sigv4 is set
  std::string aws_sigv4;           // "aws:amz:<region>:<service>": libcurl signs the request
  std::size_t max_body = 0;        // a longer answer is an error (0: no limit)
  std::string connect_to;          // CURLOPT_CONNECT_TO entry, for tests
  bool capture_request_headers = false;
};

struct Response {
  long status = 0;
  std::string body;
  std::string request_headers;  // as sent, when asked for
};

// The answer, whatever its status; an error when none came (ErrorCode::timeout past the deadline).
util::Result<Response> perform(const Request& request);

// Whether libcurl can be loaded here (the level's factory checks before the first request).
util::Result<void> available();

}  // namespace sccache::storage::http
