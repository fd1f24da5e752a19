#pragma once
// A directory only this user can enter, for the server's socket: made with mode 0700 if missing;
// an existing one must be a real directory (not a symlink) owned by this user, and is narrowed to
// 0700 if it was wider. Anything else — another user's directory in /tmp, a planted symlink — is
// refused: a socket there could be replaced or reached by someone else.
#include <string>

#include "util/error.hpp"

namespace sccache::util {

Result<void> ensure_private_dir(const std::string& dir);

// Creates the missing directories of `dir` (mode 0700), like mkdir -p.
Result<void> make_directories(const std::string& dir);

}  // namespace sccache::util
