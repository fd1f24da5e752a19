#include "stats/server_stats.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace sccache::stats {
namespace {

TEST(ServerStats, CountsLanguagesReasonsAndTimes) {
  ServerStats s;
  s.add(Counter::compile_requests, 2);
  s.add(LanguageCounter::cache_hits, "C/C++");
  s.add_not_cached("-E");
  s.add_not_cached("-E");
  s.add_time(Timer::compiler, std::chrono::milliseconds(900));
  s.add_time(Timer::compiler, std::chrono::milliseconds(200));
  auto snap = s.snapshot();
  EXPECT_EQ(snap.compile_requests, 2u);
  EXPECT_EQ(snap.cache_hits.counts.at("C/C++"), 1u);
  EXPECT_EQ(snap.not_cached.at("-E"), 2u);
  EXPECT_EQ(snap.requests_not_cacheable, 2u);
  EXPECT_EQ(snap.compiler_write_duration.secs, 1u);
  EXPECT_EQ(snap.compiler_write_duration.nanos, 100'000'000u);
  s.zero();
  EXPECT_EQ(s.snapshot(), protocol::ServerStats{});
}

TEST(ServerStats, SafeUnderConcurrentUpdates) {
  ServerStats s;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        s.add(Counter::cache_writes);
        s.add(LanguageCounter::cache_misses, "C/C++");
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(s.snapshot().cache_writes, 40000u);
  EXPECT_EQ(s.snapshot().cache_misses.counts.at("C/C++"), 40000u);
}

}  // namespace
}  // namespace sccache::stats
