#include "server/file_settle.hpp"

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "util/file_clock.hpp"

namespace sccache::server {

namespace {

// Until the clock reads at least `settled`.
asio::awaitable<void> wait_until(std::int64_t settled) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + k_max_settle_wait;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (auto now = util::file_clock_now_ns(); now < settled; now = util::file_clock_now_ns()) {
    auto wait = std::chrono::nanoseconds(settled - now);
    if (Clock::now() + wait > deadline) co_return;
    timer.expires_after(wait);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

}  // namespace

asio::awaitable<void> wait_until_settled(const util::FileStat& file) {
  co_await wait_until(util::settled_at_ns(file));
}

asio::awaitable<void> wait_until_clock_passes(std::int64_t reading) {
  co_await wait_until(reading + 1);
}

}  // namespace sccache::server
