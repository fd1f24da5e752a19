#include "hash/file_memo.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "hash/hasher.hpp"
#include "util/temp_dir.hpp"

namespace sccache::hash {
namespace {

TEST(FileMemo, HashesAndRemembersByFingerprint) {
  auto tmp = util::TempDir::create_or_throw("sccache-memo-");
  const std::string dir = tmp.path().string();
  std::string path = dir + "/h.h";
  std::ofstream(path) << "int a;";
  timespec old[2] = {{1000, 0}, {1000, 0}};
  ::utimensat(AT_FDCWD, path.c_str(), old, 0);
  FileMemo memo(2);
  auto d = memo.digest(path);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->sha256, sha256_hex("int a;"));
  EXPECT_FALSE(d->has_time_macros);
  std::ofstream(path) << "int b;";  // same size, new content: ctime moves, so the fingerprint does
  auto d2 = memo.digest(path);
  ASSERT_TRUE(d2);
  EXPECT_EQ(d2->sha256, sha256_hex("int b;"));
  EXPECT_FALSE(memo.digest(dir + "/missing.h"));
}

TEST(FileMemo, IsBoundedAndReportsItsSize) {
  auto tmp = util::TempDir::create_or_throw("sccache-memo-");
  const std::string dir = tmp.path().string();
  FileMemo memo(3, true);  // remember even fresh files
  for (int i = 0; i < 5; ++i) {
    std::string path = dir + "/f" + std::to_string(i);
    std::ofstream(path) << i;
    ASSERT_TRUE(memo.digest(path));
  }
  EXPECT_EQ(memo.entries(), 3u);
  EXPECT_GT(memo.memory_bytes(), 0u);

  // By default a file is remembered only once its times prove it older than the digest: one
  // stamped in the future (a clock step, another machine's clock) never is.
  std::string future = dir + "/future";
  std::ofstream(future) << "x";
  timespec later[2] = {{0, UTIME_OMIT}, {time(nullptr) + 3600, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, future.c_str(), later, 0), 0);
  FileMemo cautious(3);
  ASSERT_TRUE(cautious.digest(future));
  EXPECT_EQ(cautious.entries(), 0u);
}

TEST(FileMemo, RecognisesTimeMacros) {
  EXPECT_TRUE(mentions_time_macros("x = __DATE__;"));
  EXPECT_TRUE(mentions_time_macros("__TIME__"));
  EXPECT_TRUE(mentions_time_macros("const char* t = __TIMESTAMP__;"));
  EXPECT_FALSE(mentions_time_macros("__FILE__ __LINE__ __TIM"));
}

}  // namespace
}  // namespace sccache::hash

namespace sccache::hash {
namespace {

TEST(IncludeProbes, LiteralNamesInEveryForm) {
  auto probes = find_include_probes(
      "#if __has_include(<sys/single_threaded.h>)\n"
      "#elif __has_include_next( \"local.h\" )\n"
      "#elif __glibc_has_include (<bits/x.h>)\n"
      "#elif defined __has_include && __has_include(<sys/single_threaded.h>)\n"
      "#endif\n");
  std::vector<IncludeProbe> expected = {
      {"sys/single_threaded.h", false}, {"local.h", true}, {"bits/x.h", false}};
  EXPECT_EQ(probes, expected);
}

TEST(IncludeProbes, MacroArgumentsAndBrokenTextAreSkipped) {
  EXPECT_TRUE(
      find_include_probes("# define __glibc_has_include(header) __has_include (header)\n").empty());
  EXPECT_TRUE(find_include_probes("__has_include(<unterminated\n>)").empty());
  EXPECT_TRUE(find_include_probes("__has_include(<>) has_include").empty());
}

}  // namespace
}  // namespace sccache::hash

namespace sccache::hash {
namespace {

TEST(FileMemo, HasHashComparesWithoutReadingAnUnchangedFileAgain) {
  auto tmp = util::TempDir::create_or_throw("sccache-memo-");
  const std::string dir = tmp.path().string();
  std::string path = dir + "/h.h";
  std::ofstream(path) << "int a;";
  timespec old[2] = {{1000, 0}, {1000, 0}};
  ::utimensat(AT_FDCWD, path.c_str(), old, 0);
  FileMemo memo;
  auto d = memo.digest(path);
  ASSERT_TRUE(d);
  EXPECT_TRUE(memo.has_hash(path, d->sha256));
  EXPECT_FALSE(memo.has_hash(path, std::string(64, '0')));
  std::ofstream(path) << "int b;";  // a new fingerprint: hashed again
  EXPECT_FALSE(memo.has_hash(path, d->sha256));
  EXPECT_FALSE(memo.has_hash(dir + "/missing.h", d->sha256));
}

}  // namespace
}  // namespace sccache::hash
