#pragma once
// Waits for the file clock (util/file_clock), on a timer, so that a file written just before a
// compile can still be vouched for by a direct-mode manifest: a manifest trusts only files whose
// times lie before a clock reading taken when the compile starts, and a file written within the
// current tick of that clock cannot be told from one written, unseen, while the compile read it.
// Configure scripts write conftest.c and compile it at once; a cargo build script writes a file a
// crate then includes. Never longer than k_max_settle_wait.
#include <asio/awaitable.hpp>
#include <chrono>
#include <cstdint>

#include "util/fs.hpp"

namespace sccache::server {

inline constexpr std::chrono::milliseconds k_max_settle_wait{12};

// Until the clock has passed `file`'s times.
asio::awaitable<void> wait_until_settled(const util::FileStat& file);

// Until the clock reads more than `reading` (a util::file_clock_now_ns() value): every file written
// before that reading was taken then has times a later reading proves older.
asio::awaitable<void> wait_until_clock_passes(std::int64_t reading);

}  // namespace sccache::server
