#include "storage/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace sccache::storage {
namespace {

using namespace std::chrono_literals;
using Clock = CircuitBreaker::Clock;

TEST(CircuitBreaker, StaysClosedThroughScatteredFailures) {
  CircuitBreaker b;
  auto t = Clock::time_point{} + 1h;
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(b.record_failure(t));
    EXPECT_FALSE(b.record_failure(t));
    b.record_success();
    EXPECT_TRUE(b.allow(t));
  }
}

TEST(CircuitBreaker, OpensAfterFailuresInARowAndSkipsUntilTheCoolDownEnds) {
  CircuitBreaker b;
  auto t = Clock::time_point{} + 1h;
  EXPECT_FALSE(b.record_failure(t));
  EXPECT_FALSE(b.record_failure(t));
  EXPECT_TRUE(b.record_failure(t));  // the third opens it
  EXPECT_TRUE(b.is_open(t));
  EXPECT_FALSE(b.allow(t + 1s));
  EXPECT_FALSE(b.allow(t + CircuitBreaker::k_first_cool_down - 1ms));
  EXPECT_TRUE(b.allow(t + CircuitBreaker::k_first_cool_down));   // one probe
  EXPECT_FALSE(b.allow(t + CircuitBreaker::k_first_cool_down));  // and only one
}

TEST(CircuitBreaker, ASuccessfulProbeClosesIt) {
  CircuitBreaker b;
  auto t = Clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i) b.record_failure(t);
  auto later = t + CircuitBreaker::k_first_cool_down;
  ASSERT_TRUE(b.allow(later));
  b.record_success();
  EXPECT_FALSE(b.is_open(later));
  EXPECT_TRUE(b.allow(later));
  EXPECT_TRUE(b.allow(later));
}

TEST(CircuitBreaker, AFailedProbeDoublesTheCoolDownUpToTheMaximum) {
  CircuitBreaker b;
  auto t = Clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i) b.record_failure(t);
  auto cool = std::chrono::duration_cast<Clock::duration>(CircuitBreaker::k_first_cool_down);
  for (int round = 0; round < 10; ++round) {
    t += cool;
    ASSERT_TRUE(b.allow(t)) << round;
    b.record_failure(t);
    cool = std::min<Clock::duration>(cool * 2, CircuitBreaker::k_max_cool_down);
    EXPECT_FALSE(b.allow(t + cool - 1ms)) << round;
  }
  EXPECT_EQ(cool, CircuitBreaker::k_max_cool_down);
}

}  // namespace
}  // namespace sccache::storage
