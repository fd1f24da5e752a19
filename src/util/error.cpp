#include "util/error.hpp"

#include <cstring>

namespace sccache::util {

tl::unexpected<Error> fail(ErrorCode code, std::string message) {
  return tl::make_unexpected(Error{code, std::move(message)});
}

tl::unexpected<Error> fail_errno(std::string_view what, int errno_value) {
  std::string message(what);
  message += ": ";
  message += std::strerror(errno_value);
  return fail(ErrorCode::io, std::move(message));
}

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::io:
      return "io";
    case ErrorCode::timeout:
      return "timeout";
    case ErrorCode::corrupt:
      return "corrupt";
    case ErrorCode::invalid:
      return "invalid";
    case ErrorCode::unsupported:
      return "unsupported";
    case ErrorCode::too_large:
      return "too large";
    case ErrorCode::unavailable:
      return "unavailable";
  }
  return "unknown";
}

}  // namespace sccache::util
