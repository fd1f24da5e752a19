#include "compiler/c_family/include_scan.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace sccache::compiler::c_family {
namespace {

constexpr std::string_view k_preprocessed = R"(# 0 "m.c"
# 0 "<built-in>"
# 0 "<command-line>"
# 1 "/usr/include/stdc-predef.h" 1 3 4
# 0 "<command-line>" 2
# 1 "m.c"
# 1 "inc/v.h" 1
# 1 "/usr/include/stdio.h" 1 3 4
# 27 "/usr/include/stdio.h" 3 4
# 1 "/usr/include/x86_64-linux-gnu/bits/libc-header-start.h" 1 3 4
# 2 "/usr/include/stdio.h" 2 3 4
# 2 "inc/v.h" 2
# 2 "m.c" 2
int x;
)";

constexpr std::string_view k_verbose = R"(ignoring nonexistent directory "new"
ignoring nonexistent directory "/usr/local/include/x86_64-linux-gnu"
#include "..." search starts here:
#include <...> search starts here:
 inc
 /usr/lib/gcc/x86_64-linux-gnu/12/include
 /usr/include/x86_64-linux-gnu
 /usr/include
End of search list.
)";

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(IncludeScan, LineMarkersGiveFilesAndIncluders) {
  auto files = files_in_line_markers(k_preprocessed);
  ASSERT_EQ(files.size(), 5u);
  EXPECT_EQ(files[0].path, "m.c");
  EXPECT_EQ(files[1].path, "/usr/include/stdc-predef.h");
  EXPECT_EQ(files[1].includer, "<command-line>");
  EXPECT_EQ(files[2].path, "inc/v.h");
  EXPECT_EQ(files[2].includer, "m.c");
  EXPECT_EQ(files[3].path, "/usr/include/stdio.h");
  EXPECT_EQ(files[3].includer, "inc/v.h");
  EXPECT_EQ(files[4].includer, "/usr/include/stdio.h");
}

// gcc -g (and -fworking-directory) puts the working directory after the main file's first marker:
// a directory, never a file that was read, and not a change of the current file either.
TEST(IncludeScan, WorkingDirectoryMarkerIsNotAFile) {
  constexpr std::string_view k_with_cwd = R"(# 0 "m.c"
# 1 "/home/u/proj//"
# 0 "<built-in>"
# 0 "<command-line>"
# 1 "/usr/include/stdc-predef.h" 1 3 4
# 0 "<command-line>" 2
# 1 "m.c"
# 1 "inc/v.h" 1
# 2 "m.c" 2
int x;
)";
  auto files = files_in_line_markers(k_with_cwd);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].path, "m.c");
  EXPECT_EQ(files[1].path, "/usr/include/stdc-predef.h");
  EXPECT_EQ(files[1].includer, "<command-line>");
  EXPECT_EQ(files[2].path, "inc/v.h");
  EXPECT_EQ(files[2].includer, "m.c");
}

TEST(IncludeScan, SearchListIncludesSkippedDirectoriesFirst) {
  auto dirs = search_dirs_from_verbose(k_verbose);
  ASSERT_EQ(dirs.size(), 6u);
  EXPECT_EQ(dirs[0], "new");
  EXPECT_EQ(dirs[2], "inc");
  EXPECT_EQ(dirs[5], "/usr/include");
}

TEST(IncludeScan, ShadowsAreEarlierDirectoriesWithTheSameName) {
  auto dirs = search_dirs_from_verbose(k_verbose);
  auto shadows = shadow_candidates({"inc/v.h", "m.c"}, dirs);
  ASSERT_TRUE(shadows.ok);
  EXPECT_TRUE(has(shadows.paths, "v.h"));                // the includer's own directory (cwd)
  EXPECT_TRUE(has(shadows.paths, "new/v.h"));            // skipped as nonexistent: still watched
  EXPECT_FALSE(has(shadows.paths, "inc/v.h"));           // the file itself
  EXPECT_FALSE(has(shadows.paths, "/usr/include/v.h"));  // later directories cannot shadow
}

TEST(IncludeScan, NestedDirectoriesYieldEverySplit) {
  auto dirs = search_dirs_from_verbose(k_verbose);
  auto shadows = shadow_candidates(
      {"/usr/include/x86_64-linux-gnu/bits/libc-header-start.h", "/usr/include/stdio.h"}, dirs);
  ASSERT_TRUE(shadows.ok);
  EXPECT_TRUE(has(shadows.paths, "/usr/include/bits/libc-header-start.h"));  // includer's dir
  EXPECT_TRUE(has(shadows.paths, "inc/bits/libc-header-start.h"));
  EXPECT_TRUE(
      has(shadows.paths, "/usr/lib/gcc/x86_64-linux-gnu/12/include/bits/libc-header-start.h"));
}

TEST(IncludeScan, UnplaceableRelativePathGivesNoGuarantee) {
  EXPECT_FALSE(shadow_candidates({"elsewhere/x.h", "/abs/includer.c"}, {"/usr/include"}).ok);
  EXPECT_TRUE(shadow_candidates({"/opt/x.h", "m.c"}, {"/usr/include"}).ok);  // named absolutely
  EXPECT_TRUE(shadow_candidates({"m.c", ""}, {}).paths.empty());             // the main file
}

}  // namespace
}  // namespace sccache::compiler::c_family
