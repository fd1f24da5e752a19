#include "stats/server_stats.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

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

TEST(ServerStats, EachCounterReachesItsField) {
  ServerStats s;
  std::uint64_t n = 1;
  for (auto c : {Counter::compile_requests, Counter::requests_unsupported_compiler,
                 Counter::requests_not_compile, Counter::requests_not_cacheable,
                 Counter::requests_executed, Counter::cache_timeouts, Counter::cache_read_errors,
                 Counter::non_cacheable_compilations, Counter::forced_recaches,
                 Counter::cache_write_errors, Counter::cache_writes, Counter::compile_fails}) {
    s.add(c, n++);
  }
  s.add(LanguageCounter::cache_misses, "C/C++", 3);
  s.add(LanguageCounter::cache_errors, "CUDA");
  auto snap = s.snapshot();
  EXPECT_EQ(snap.compile_requests, 1u);
  EXPECT_EQ(snap.requests_unsupported_compiler, 2u);
  EXPECT_EQ(snap.requests_not_compile, 3u);
  EXPECT_EQ(snap.requests_not_cacheable, 4u);
  EXPECT_EQ(snap.requests_executed, 5u);
  EXPECT_EQ(snap.cache_timeouts, 6u);
  EXPECT_EQ(snap.cache_read_errors, 7u);
  EXPECT_EQ(snap.non_cacheable_compilations, 8u);
  EXPECT_EQ(snap.forced_recaches, 9u);
  EXPECT_EQ(snap.cache_write_errors, 10u);
  EXPECT_EQ(snap.cache_writes, 11u);
  EXPECT_EQ(snap.compile_fails, 12u);
  EXPECT_EQ(snap.cache_misses.counts.at("C/C++"), 3u);
  EXPECT_EQ(snap.cache_errors.counts.at("CUDA"), 1u);
  EXPECT_TRUE(snap.cache_hits.counts.empty());
}

TEST(ServerStats, DurationsCarryIntoSecondsPerTimer) {
  ServerStats s;
  for (int i = 0; i < 5; ++i) s.add_time(Timer::cache_write, std::chrono::milliseconds(700));
  s.add_time(Timer::cache_read_hit, std::chrono::nanoseconds(1'091));
  s.add_time(Timer::cache_read_hit, std::chrono::seconds(3));
  s.add_time(Timer::compiler, std::chrono::nanoseconds(-5));  // a clock step back is ignored
  auto snap = s.snapshot();
  EXPECT_EQ(snap.cache_write_duration, (protocol::Duration{3, 500'000'000}));
  EXPECT_EQ(snap.cache_read_hit_duration, (protocol::Duration{3, 1'091}));
  EXPECT_EQ(snap.compiler_write_duration, protocol::Duration{});
}

TEST(ServerStats, ExtrasCountAndZero) {
  ServerStats s;
  s.add(ExtraCounter::direct_hits);
  s.add(ExtraCounter::direct_hits);
  s.add(ExtraCounter::preprocessor_hits);
  EXPECT_EQ(s.extras().direct_hits, 2u);
  EXPECT_EQ(s.extras().preprocessor_hits, 1u);
  s.zero();
  EXPECT_EQ(s.extras(), protocol::ServerInfoExtras{});
}

TEST(ServerStats, SafeUnderConcurrentUpdates) {
  ServerStats s;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        s.add(Counter::cache_writes);
        s.add(LanguageCounter::cache_misses, "C/C++");
        s.add_not_cached("-E");
        s.add_time(Timer::compiler, std::chrono::microseconds(1));
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(s.snapshot().cache_writes, 40000u);
  auto snap = s.snapshot();
  EXPECT_EQ(snap.cache_misses.counts.at("C/C++"), 40000u);
  EXPECT_EQ(snap.not_cached.at("-E"), 40000u);
  EXPECT_EQ(snap.requests_not_cacheable, 40000u);
  EXPECT_EQ(snap.compiler_write_duration, (protocol::Duration{0, 40'000'000}));
}

}  // namespace
}  // namespace sccache::stats
