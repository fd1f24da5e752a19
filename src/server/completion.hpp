#pragma once
// The one completion handler for co_spawn'ed coroutines: an exception that escapes is logged with
// what was running, never swallowed (asio::detached would hide it).
#include <exception>

#include "util/log.hpp"

namespace sccache::server {

inline auto log_failure(const char* what) {
  return [what](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      log::warn("{} ended with an error: {}", what, e.what());
    } catch (...) {
      log::warn("{} ended with an unknown error", what);
    }
  };
}

}  // namespace sccache::server
