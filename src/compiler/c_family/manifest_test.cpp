#include "compiler/c_family/manifest.hpp"
#include "util/file_clock.hpp"
#include "util/temp_dir.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace sccache::compiler::c_family {
namespace {

namespace fs = std::filesystem;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A reading of the file clock well after every file of the fixture was written.
std::int64_t later() {
  return now_ns() + 10'000'000'000;
}

class ManifestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(m_dir / "inc2");
    write("m.c", "#include \"v.h\"\n");
    write("inc2/v.h", "#define V 1\n");
    set_old("m.c");
    set_old("inc2/v.h");
  }
  void write(const std::string& rel, const std::string& text) {
    std::ofstream(m_dir / rel) << text;
  }
  void set_old(const std::string& rel) {
    timespec t[2] = {{1000, 0}, {1000, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, (m_dir / rel).c_str(), t, 0), 0);
  }
  RecordInputs inputs(std::int64_t read_since) {
    RecordInputs in;
    in.cwd = m_dir.string();
    in.files = {{"m.c", ""}, {"inc2/v.h", "m.c"}};
    in.search_dirs = {"inc1", "inc2"};
    in.read_since_ns = read_since;
    return in;
  }
  util::TempDir m_tmp = util::TempDir::create_or_throw("sccache-manifest-");
  fs::path m_dir = m_tmp.path();
  hash::FileMemo m_memo;
};

TEST_F(ManifestTest, RecordsFilesAndShadowsAndMatchesUntilSomethingChanges) {
  // ctime cannot be set back, so the clock reading lies in the future here; see the next tests.
  auto result = record_result("k1", inputs(later()), m_memo);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->files.size(), 2u);
  EXPECT_TRUE(still_matches(*result, m_memo));
  fs::create_directories(m_dir / "inc1");
  EXPECT_TRUE(still_matches(*result, m_memo));  // a new directory alone changes nothing
  write("inc1/v.h", "#define V 2\n");
  EXPECT_FALSE(still_matches(*result, m_memo));  // a shadowing header appeared
  fs::remove(m_dir / "inc1/v.h");
  EXPECT_TRUE(still_matches(*result, m_memo));
  write("inc2/v.h", "#define V 3\n");
  EXPECT_FALSE(still_matches(*result, m_memo));  // the header changed
}

TEST_F(ManifestTest, MissingDirectoriesAreWatchedThroughTheirNearestExistingAncestor) {
  auto in = inputs(later());
  in.search_dirs = {"gone/a", "gone/b/c", "inc2"};
  auto result = record_result("k1", in, m_memo);
  ASSERT_TRUE(result);
  // The missing directories, under the one that exists (inc2 has a group of its own: v.h's
  // precompiled forms, v.h.gch and v.h.pch, must stay absent).
  auto group = std::find_if(result->absent.begin(), result->absent.end(),
                            [&](const AbsentGroup& g) { return g.dir == m_dir.string(); });
  ASSERT_NE(group, result->absent.end());
  // (v.h: the includer's own directory comes first for a quoted include)
  EXPECT_EQ(group->names, (std::vector<std::string>{"gone/a/v.h", "gone/b/c/v.h", "v.h"}));
  for (const auto& g : result->absent) {
    EXPECT_TRUE(g.dir == m_dir.string() || g.dir == (m_dir / "inc2").string()) << g.dir;
  }
  EXPECT_TRUE(still_matches(*result, m_memo));
  fs::create_directories(m_dir / "gone/b/c");
  EXPECT_TRUE(still_matches(*result, m_memo));
  write("gone/b/c/v.h", "#define V 2\n");
  EXPECT_FALSE(still_matches(*result, m_memo));
}

TEST_F(ManifestTest, ADanglingSymlinkIsWatchedItself) {
  fs::create_directory_symlink(m_dir / "target", m_dir / "link");
  auto in = inputs(later());
  in.search_dirs = {"link", "inc2"};
  auto result = record_result("k1", in, m_memo);
  ASSERT_TRUE(result);
  EXPECT_TRUE(still_matches(*result, m_memo));
  fs::create_directories(m_dir / "target");
  write("target/v.h", "#define V 2\n");  // appears through the link, not in the link's directory
  EXPECT_FALSE(still_matches(*result, m_memo));
}

TEST_F(ManifestTest, APrecompiledHeaderBesideAForcedIncludeIsADependency) {
  auto in = inputs(later());
  in.forced_includes = {"inc2/v.h"};
  auto result = record_result("k1", in, m_memo);
  ASSERT_TRUE(result);
  EXPECT_TRUE(still_matches(*result, m_memo));
  write("inc2/v.h.gch", "precompiled");  // appears: the compiler would use it
  EXPECT_FALSE(still_matches(*result, m_memo));
  result = record_result("k2", in, m_memo);
  ASSERT_TRUE(result);
  EXPECT_TRUE(still_matches(*result, m_memo));
  write("inc2/v.h.gch", "precompiled again");  // changes
  EXPECT_FALSE(still_matches(*result, m_memo));
}

TEST_F(ManifestTest, FilesChangedSinceThePreprocessorStartedAreNotTrusted) {
  auto result = record_result("k1", inputs(now_ns() - 60'000'000'000), m_memo);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, NotRecordedReason::file_changed);
  EXPECT_EQ(result.error().file, (m_dir / "inc2/v.h").string());  // the first in path order
}

// The clock the file system stamps with, read just before a write: that write is not trusted,
// however soon after the reading it comes (a fixed slack would be wrong one way or the other).
TEST_F(ManifestTest, AWriteRightAfterTheClockReadingIsNotTrusted) {
  auto reading = util::file_clock_now_ns();
  write("inc2/v.h", "#define V 2\n");
  auto result = record_result("k1", inputs(reading), m_memo);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, NotRecordedReason::file_changed);
}

// Configure scripts delete conftest.c (or write the next one) as soon as the compile answers: the
// source's digest from before the preprocessor ran stands in for it.
TEST_F(ManifestTest, TheSourcesEarlierDigestStandsInForAFileGoneSince) {
  auto in = inputs(later());
  auto source = m_memo.digest((m_dir / "m.c").string());
  ASSERT_TRUE(source);
  fs::remove(m_dir / "m.c");
  auto gone = record_result("k1", in, m_memo);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().reason, NotRecordedReason::unreadable);
  in.source = {(m_dir / "m.c").string(), *source};
  auto result = record_result("k1", in, m_memo);
  ASSERT_TRUE(result) << describe(result.error().reason) << " " << result.error().file;
  auto expected = std::make_pair((m_dir / "m.c").string(), source->sha256);
  EXPECT_NE(std::find(result->files.begin(), result->files.end(), expected), result->files.end());
}

TEST_F(ManifestTest, AFileDatedInTheFutureIsNamedSo) {
  timespec t[2] = {{0, UTIME_OMIT}, {time(nullptr) + 3600, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, (m_dir / "inc2/v.h").c_str(), t, 0), 0);
  auto result = record_result("k1", inputs(later()), m_memo);  // (setting it moved its ctime)
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, NotRecordedReason::future_time);
  EXPECT_EQ(result.error().file, (m_dir / "inc2/v.h").string());
}

TEST_F(ManifestTest, TimeMacrosAreNotTrusted) {
  write("inc2/v.h", "#define V __TIME__\n");
  auto result = record_result("k1", inputs(later()), m_memo);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, NotRecordedReason::time_macros);
  EXPECT_EQ(describe(result.error().reason), "a file uses __DATE__ or __TIME__");
}

TEST_F(ManifestTest, AHeaderNoSearchDirectoryExplainsIsNamed) {
  auto in = inputs(later());
  in.files = {{"sub/m.c", ""}, {"inc2/v.h", "sub/m.c"}};  // neither beside sub/m.c nor in inc1
  in.search_dirs = {"inc1"};
  auto result = record_result("k1", in, m_memo);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, NotRecordedReason::outside_search_list);
  EXPECT_EQ(result.error().file, "inc2/v.h");
}

TEST_F(ManifestTest, EncodesDecodesAndKeepsNewestResultsFirst) {
  auto result = record_result("k1", inputs(later()), m_memo);
  ASSERT_TRUE(result);
  Manifest m;
  add_result(m, *result);
  auto second = *result;
  second.key = "k2";
  add_result(m, second);
  add_result(m, *result);  // k1 again: moves to the front, no duplicate
  ASSERT_EQ(m.results.size(), 2u);
  EXPECT_EQ(m.results[0].key, "k1");
  auto back = decode_manifest(encode_manifest(m));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, m);
  for (int i = 0; i < 40; ++i) {
    second.key = "x" + std::to_string(i);
    add_result(m, second);
  }
  EXPECT_EQ(m.results.size(), k_manifest_max_results);
}

TEST_F(ManifestTest, DamagedManifestIsRejected) {
  Manifest m;
  m.results.push_back({"k", {{"/a", "h"}}, {}});
  std::string bytes = encode_manifest(m);
  for (std::size_t n = 0; n < bytes.size(); ++n)
    EXPECT_FALSE(decode_manifest(bytes.substr(0, n))) << n;
  EXPECT_FALSE(decode_manifest(bytes + "x"));
}

}  // namespace
}  // namespace sccache::compiler::c_family
