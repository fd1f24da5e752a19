#include "server/compile_slots.hpp"

#include <gtest/gtest.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <optional>
#include <vector>

namespace sccache::server {
namespace {

// Each holder takes a slot, records it, and keeps it until its own timer is cancelled.
struct Holder {
  bool got = false, waited = false;  // (waited: told so before it got the slot)
  std::optional<asio::steady_timer> hold;
};

asio::awaitable<void> take_and_hold(CompileSlots& slots, Holder& h) {
  auto slot = co_await slots.acquire([&h] { h.waited = true; });
  h.got = true;
  asio::error_code ec;
  co_await h.hold->async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

TEST(CompileSlots, AtMostCapacityAtOnceAndFirstComeFirstServed) {
  asio::io_context io;
  CompileSlots slots(io, 2);
  std::vector<Holder> holders(4);
  for (auto& h : holders) {
    h.hold.emplace(io, asio::steady_timer::time_point::max());
    asio::co_spawn(io, take_and_hold(slots, h), asio::detached);
  }
  io.poll();
  EXPECT_TRUE(holders[0].got && holders[1].got);
  EXPECT_FALSE(holders[2].got || holders[3].got);
  EXPECT_TRUE(holders[2].waited && holders[3].waited);
  EXPECT_EQ(slots.in_use(), 2u);
  EXPECT_EQ(slots.waiting(), 2u);

  holders[1].hold->cancel();  // its slot goes to the first waiter
  io.poll();
  EXPECT_TRUE(holders[2].got);
  EXPECT_TRUE(holders[2].waited);
  EXPECT_FALSE(holders[3].got);
  EXPECT_FALSE(holders[0].waited);

  holders[0].hold->cancel();
  holders[2].hold->cancel();
  io.poll();
  EXPECT_TRUE(holders[3].got);
  holders[3].hold->cancel();
  io.poll();
  EXPECT_EQ(slots.in_use(), 0u);
  EXPECT_EQ(slots.waiting(), 0u);
}

TEST(CompileSlots, AtLeastOne) {
  asio::io_context io;
  EXPECT_EQ(CompileSlots(io, 0).capacity(), 1u);
}

}  // namespace
}  // namespace sccache::server
