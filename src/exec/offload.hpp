#pragma once
// Runs a blocking function on a thread pool and resumes the awaiting coroutine on its own executor,
// so hashing, compression and file I/O never hold up the event loop.
#include <asio/co_spawn.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_awaitable.hpp>
#include <type_traits>

namespace sccache::exec {

template <typename F>
asio::awaitable<std::invoke_result_t<F&>> offload(asio::thread_pool& pool, F f) {
  using R = std::invoke_result_t<F&>;
  co_return co_await asio::co_spawn(
      pool, [fn = std::move(f)]() mutable -> asio::awaitable<R> { co_return fn(); },
      asio::use_awaitable);
}

}  // namespace sccache::exec
