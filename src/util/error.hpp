#pragma once
// Recoverable failures as values: tl::expected<T, Error>. A timeout is kept apart from other errors
// because the stats count them separately.
#include <string>
#include <tl/expected.hpp>

namespace sccache::util {

enum class ErrorCode {
  io,           // an OS call failed (errno text in the message)
  timeout,      // a deadline passed
  corrupt,      // data did not decode (bad frame, damaged cache entry)
  invalid,      // caller supplied something unusable (bad config value, bad argument)
  unsupported,  // a well-formed request this build cannot serve
  too_large,    // a storage refuses an entry this big by its own limit (skipped, not a fault)
  unavailable,  // not there now, may be later (a peer socket not yet accepted, or already closed)
};

struct Error {
  ErrorCode code = ErrorCode::io;
  std::string message;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Shorthand for `tl::make_unexpected(Error{code, message})`.
tl::unexpected<Error> fail(ErrorCode code, std::string message);
// An io error whose message is `what` followed by strerror(errno_value).
tl::unexpected<Error> fail_errno(std::string_view what, int errno_value);

const char* to_string(ErrorCode code);

}  // namespace sccache::util
