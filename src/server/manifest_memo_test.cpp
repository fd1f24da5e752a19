#include "server/manifest_memo.hpp"

#include <gtest/gtest.h>

namespace sccache::server {
namespace {

std::shared_ptr<const compiler::c_family::Manifest> manifest_with(std::string key,
                                                                  std::size_t files) {
  compiler::c_family::Manifest m;
  compiler::c_family::ManifestResult r;
  r.key = std::move(key);
  for (std::size_t i = 0; i < files; ++i)
    r.files.emplace_back("/usr/include/header" + std::to_string(i) + ".h", std::string(64, 'a'));
  m.results.push_back(std::move(r));
  return std::make_shared<const compiler::c_family::Manifest>(std::move(m));
}

TEST(ManifestMemo, GivesBackWhatItWasGivenAndTheNewestVersion) {
  ManifestMemo memo;
  EXPECT_EQ(memo.find("m1").manifest, nullptr);
  auto first = manifest_with("r1", 3);
  memo.remember("m1", first);
  EXPECT_EQ(memo.find("m1").manifest, first);
  auto second = manifest_with("r2", 3);
  memo.remember("m1", second);
  EXPECT_EQ(memo.find("m1").manifest, second);
}

TEST(ManifestMemo, DropsTheLeastRecentlyUsedPastItsBound) {
  ManifestMemo memo(20'000);  // room for about two manifests of 50 files
  memo.remember("a", manifest_with("ra", 50));
  memo.remember("b", manifest_with("rb", 50));
  ASSERT_NE(memo.find("a").manifest, nullptr);  // a is now the most recent
  memo.remember("c", manifest_with("rc", 50));
  EXPECT_NE(memo.find("a").manifest, nullptr);
  EXPECT_EQ(memo.find("b").manifest, nullptr);
  EXPECT_NE(memo.find("c").manifest, nullptr);
  EXPECT_LE(memo.bytes(), 20'000u);
  memo.remember("huge", manifest_with("rh", 1000));  // larger than the bound: not kept
  EXPECT_EQ(memo.find("huge").manifest, nullptr);
  EXPECT_NE(memo.find("c").manifest, nullptr);
}

TEST(ManifestMemo, AnOldEntryIsReportedStaleUntilRememberedAgain) {
  using namespace std::chrono_literals;
  ManifestMemo memo(1u << 20, 10min);
  auto t = ManifestMemo::Clock::time_point{} + 1h;
  memo.remember("m", manifest_with("r", 3), t);
  EXPECT_FALSE(memo.find("m", t + 9min).stale);
  auto found = memo.find("m", t + 10min);
  EXPECT_TRUE(found.stale);
  EXPECT_NE(found.manifest, nullptr);  // still usable while storage is asked again
  memo.remember("m", manifest_with("r2", 3), t + 10min);
  EXPECT_FALSE(memo.find("m", t + 11min).stale);
}

}  // namespace
}  // namespace sccache::server
