#include "util/file_clock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "util/temp_dir.hpp"

namespace sccache::util {
namespace {

FileStat at(std::int64_t mtime, std::int64_t ctime) {
  FileStat st;
  st.mtime_ns = mtime;
  st.ctime_ns = ctime;
  return st;
}

TEST(FileClock, TimesBelowTheReadingAreSettled) {
  EXPECT_TRUE(written_before(at(1'500'000'001, 1'500'000'002), 1'500'000'003));
  EXPECT_FALSE(written_before(at(1'500'000'001, 1'500'000'003), 1'500'000'003));  // ctime counts
  EXPECT_FALSE(written_before(at(1'500'000'003, 1'500'000'001), 1'500'000'003));  // so does mtime
}

TEST(FileClock, TimesInTheFutureAreNoSignOfARecentWrite) {
  const std::int64_t since = 1'500'000'000, now = 1'600'000'000;
  EXPECT_TRUE(maybe_written_since(at(1'550'000'001, 1'400'000'001), since, now));   // mtime
  EXPECT_TRUE(maybe_written_since(at(1'400'000'001, 1'550'000'001), since, now));   // ctime
  EXPECT_FALSE(maybe_written_since(at(1'400'000'001, 1'400'000'001), since, now));  // before
  EXPECT_FALSE(maybe_written_since(at(9'000'000'001, 1'400'000'001), since, now));  // touch -d
  EXPECT_FALSE(written_before(at(9'000'000'001, 1'400'000'001), since));            // never settled
}

TEST(FileClock, WholeSecondsWaitTwoSeconds) {
  EXPECT_FALSE(written_before(at(10'000'000'000, 10'000'000'000), 11'999'999'999));
  EXPECT_TRUE(written_before(at(10'000'000'000, 10'000'000'000), 12'000'000'000));
  EXPECT_EQ(settled_at_ns(at(10'000'000'000, 10'000'000'007)), 12'000'000'000);
}

// The property everything rests on: a file written after a reading of the clock is not settled
// for that reading, however soon after it the write comes.
TEST(FileClock, AWriteAfterAReadingIsNeverBeforeIt) {
  auto dir = TempDir::create_or_throw("file-clock");
  auto path = dir.path() / "f";
  for (int i = 0; i < 200; ++i) {
    auto reading = file_clock_now_ns();
    std::ofstream(path) << i;
    auto st = stat_file(path);
    ASSERT_TRUE(st);
    ASSERT_FALSE(written_before(*st, reading)) << "write " << i;
  }
}

TEST(FileClock, AFileBecomesSettledOnceTheClockPassesIt) {
  auto dir = TempDir::create_or_throw("file-clock");
  auto path = dir.path() / "f";
  std::ofstream(path) << "x";
  auto st = stat_file(path);
  ASSERT_TRUE(st);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (file_clock_now_ns() < settled_at_ns(*st)) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the file clock did not move";
  }
  EXPECT_TRUE(written_before(*st, file_clock_now_ns()));
}

}  // namespace
}  // namespace sccache::util
