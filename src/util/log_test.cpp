#include "util/log.hpp"

#include <gtest/gtest.h>

namespace sccache::log {
namespace {

TEST(RateLimit, LetsABurstThroughThenCountsWhatItHoldsBack) {
  RateLimit limit(3);
  EXPECT_EQ(limit.admit(), 0u);
  EXPECT_EQ(limit.admit(), 0u);
  EXPECT_EQ(limit.admit(), 0u);
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(limit.admit());
}

TEST(RateLimit, TheNextWindowSaysHowManyWereHeldBack) {
  RateLimit limit(1, std::chrono::milliseconds(20));
  EXPECT_EQ(limit.admit(), 0u);
  EXPECT_FALSE(limit.admit());
  EXPECT_FALSE(limit.admit());
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(25)) {
  }
  EXPECT_EQ(limit.admit(), 2u);
}

TEST(RateLimit, AZeroLimitHoldsEverythingBack) {
  RateLimit limit(0);
  EXPECT_FALSE(limit.admit());
}

}  // namespace
}  // namespace sccache::log
