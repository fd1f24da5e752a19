#include "compiler/c_family/base_dir.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler::c_family {
namespace {

const std::string k_token("\0basedir\0", 9);

TEST(BaseDir, TheDeepestHoldingTheWorkingDirectoryElseTheSource) {
  std::vector<std::string> dirs{"/src/proj/sub/", "/src/proj/", "/other/"};
  EXPECT_EQ(base_dir_for(dirs, "/src/proj/sub/build", "a.c"), "/src/proj/sub/");
  EXPECT_EQ(base_dir_for(dirs, "/src/proj", "a.c"), "/src/proj/");
  EXPECT_EQ(base_dir_for(dirs, "/tmp/build", "/other/x.c"), "/other/");
  EXPECT_EQ(base_dir_for(dirs, "/tmp/build", "x.c"), "");
  EXPECT_EQ(base_dir_for(dirs, "/src/projX", "a.c"), "");  // not a path under /src/proj
}

TEST(BaseDir, ArgumentsNamingPathsUnderIt) {
  const std::string b = "/w/p1/";
  EXPECT_EQ(relative_to_base("-I/w/p1/include", b), "-I" + k_token + "/include");
  EXPECT_EQ(relative_to_base("/w/p1/src/a.c", b), k_token + "/src/a.c");
  EXPECT_EQ(relative_to_base("-ffile-prefix-map=/w/p1=.", b),
            "-ffile-prefix-map=" + k_token + "=.");
  EXPECT_EQ(relative_to_base("-Wp,-MD,/w/p1/a.d", b), "-Wp,-MD," + k_token + "/a.d");
  EXPECT_EQ(relative_to_base("/w/p1", b), k_token);
  // Not a path under it: another directory's name, or one inside another path.
  EXPECT_EQ(relative_to_base("/w/p10/a.c", b), "/w/p10/a.c");
  EXPECT_EQ(relative_to_base("/x/w/p1/a.c", b), "/x/w/p1/a.c");
  EXPECT_EQ(relative_to_base("-O2", b), "-O2");
}

TEST(BaseDir, OnlyLineMarkersOfThePreprocessedText) {
  const std::string b = "/w/p1/";
  std::string text =
      "# 1 \"/w/p1/src/a.c\"\n"
      "# 1 \"/w/p1/build//\"\n"
      "# 1 \"<built-in>\"\n"
      "# 1 \"/usr/include/stdio.h\" 1 3 4\n"
      "const char* f = \"/w/p1/src/a.c\";\n"
      "# 12 \"/w/p1/include/x.h\" 2";
  EXPECT_EQ(relativize_line_markers(text, b),
            "# 1 \"" + k_token + "/src/a.c\"\n" + "# 1 \"" + k_token + "/build//\"\n" +
                "# 1 \"<built-in>\"\n"
                "# 1 \"/usr/include/stdio.h\" 1 3 4\n"
                "const char* f = \"/w/p1/src/a.c\";\n"  // __FILE__: stays, the object has it
                "# 12 \"" +
                k_token + "/include/x.h\" 2");
}

TEST(BaseDir, PrefixMapsThatCoverIt) {
  const std::string b = "/w/p1/";
  EXPECT_TRUE(prefix_map_covers({"-g", "-ffile-prefix-map=/w/p1=."}, b));
  EXPECT_TRUE(prefix_map_covers({"-fdebug-prefix-map=/w/=/src"}, b));
  EXPECT_FALSE(prefix_map_covers({"-fdebug-prefix-map=/w/p1/src=src"}, b));  // not the build dir
  EXPECT_FALSE(prefix_map_covers({"-fmacro-prefix-map=/w/p1=."}, b));        // __FILE__ only
  EXPECT_FALSE(prefix_map_covers({"-g"}, b));
}

TEST(BaseDir, ReplaceAll) {
  EXPECT_EQ(replace_all("a.o: /w/p1/a.c /w/p1/x.h", "/w/p1/", "/w/p22/"),
            "a.o: /w/p22/a.c /w/p22/x.h");
  EXPECT_EQ(replace_all("none", "/w/", "/v/"), "none");
}

}  // namespace
}  // namespace sccache::compiler::c_family
