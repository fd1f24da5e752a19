#include "compiler/c_family/output_names.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler::c_family {
namespace {

using Strings = std::vector<std::string>;

TEST(OutputNames, ReplaceExtensionLikeTheCompilers) {
  EXPECT_EQ(replace_extension("out/y.o", ".d"), "out/y.d");
  EXPECT_EQ(replace_extension("out/y", ".d"), "out/y.d");
  EXPECT_EQ(replace_extension("out/y.c.o", ".d"), "out/y.c.d");
  EXPECT_EQ(replace_extension("out.dir/y", ".d"), "out.dir/y.d");
  EXPECT_EQ(replace_extension("out/.hidden", ".d"), "out/.d");
  EXPECT_EQ(replace_extension("y.", ".d"), "y.d");
  EXPECT_EQ(replace_extension("", ".d"), ".d");
}

TEST(OutputNames, DefaultObjectAndDependencyFile) {
  EXPECT_EQ(default_object("src/a.c"), "a.o");
  EXPECT_EQ(default_object("/abs/x.tar.cpp"), "x.tar.o");
  EXPECT_EQ(default_object("dir.d/noext"), "noext.o");
  EXPECT_EQ(default_dep_file("CMakeFiles/t.dir/a.c.o"), "CMakeFiles/t.dir/a.c.d");
  EXPECT_EQ(default_dep_file("a.o"), "a.d");
}

TEST(OutputNames, ClangWritesTargetsInCommandLineOrder) {
  EXPECT_EQ(dep_targets_as_written(Family::clang, {{"q1", true}, {"t1", false}, {"$q 2", true}}),
            (Strings{"q1", "t1", "$$q\\ 2"}));
}

TEST(OutputNames, GccMovesEachMtIntoTheFirstQuotedPlace) {
  // Sequences observed with gcc 12.
  auto gcc = [](std::vector<DepTargetArg> t) { return dep_targets_as_written(Family::gcc, t); };
  EXPECT_EQ(gcc({{"q1", true}, {"t1", false}, {"q2", true}, {"t2", false}}),
            (Strings{"t1", "t2", "q1", "q2"}));
  EXPECT_EQ(gcc({{"q1", true}, {"q2", true}, {"q3", true}, {"t1", false}, {"t2", false}}),
            (Strings{"t1", "t2", "q3", "q1", "q2"}));
  EXPECT_EQ(gcc({{"t1", false}, {"t2", false}, {"t3", false}, {"q1", true}}),
            (Strings{"t1", "t2", "t3", "q1"}));
  EXPECT_EQ(gcc({{"x", false}, {"c", true}, {"e", true}, {"f", true}}),
            (Strings{"x", "e", "f", "c"}));
  EXPECT_EQ(gcc({{"a b$", false}, {"$x# y", true}}), (Strings{"a b$", "$$x\\#\\ y"}));
  EXPECT_TRUE(gcc({}).empty());
}

TEST(OutputNames, KernelStyleDependencyTarget) {
  EXPECT_EQ(wp_default_dep_targets(Family::gcc, "kernel/fork.c"), (Strings{"fork.o"}));
  EXPECT_EQ(wp_default_dep_targets(Family::gcc, "a/sp ace.c"), (Strings{"sp\\ ace.o"}));
  EXPECT_TRUE(wp_default_dep_targets(Family::clang, "kernel/fork.c").empty());
}

}  // namespace
}  // namespace sccache::compiler::c_family
