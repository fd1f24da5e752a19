#include "compiler/c_family/dep_file.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler::c_family {
namespace {

TEST(DepFile, MakeQuoteEscapesLikeGcc) {
  EXPECT_EQ(make_quote("a.o"), "a.o");
  EXPECT_EQ(make_quote("a b.o"), "a\\ b.o");
  EXPECT_EQ(make_quote("$x.o"), "$$x.o");
  EXPECT_EQ(make_quote("#x.o"), "\\#x.o");
  EXPECT_EQ(make_quote("a\\ b"), "a\\\\\\ b");
}

TEST(DepFile, TargetIsTheObjectUnlessMtOrMqGiven) {
  EXPECT_EQ(dep_targets_for({}, "out/a b.o"), std::vector<std::string>{"out/a\\ b.o"});
  EXPECT_EQ(dep_targets_for({"x", "y"}, "out/a.o"), (std::vector<std::string>{"x", "y"}));
}

TEST(DepFile, RewritesOnlyTheFirstRuleTargets) {
  std::string stored = "old/a.o: src/a.c include/a.h \\\n include/b.h\ninclude/a.h:\n";
  EXPECT_EQ(rewrite_dep_target(stored, {"new/b.o"}, Family::gcc),
            "new/b.o: src/a.c include/a.h include/b.h\ninclude/a.h:\n");
}

TEST(DepFile, HandlesSeveralTargetsAndEscapedColons) {
  EXPECT_EQ(rewrite_dep_target("t1 t2 \\\n t3: a.c\n", {"x.o"}, Family::gcc), "x.o: a.c\n");
  EXPECT_EQ(rewrite_dep_target("c\\:x.o: a.c\n", {"y.o"}, Family::gcc), "y.o: a.c\n");
  EXPECT_EQ(rewrite_dep_target("a.o:\n", {"b.o"}, Family::clang), "b.o:\n");
  EXPECT_EQ(rewrite_dep_target("a.o: x\\ y.h z.h\n", {"b.o", "c.o"}, Family::gcc),
            "b.o c.o: x\\ y.h z.h\n");
}

// Real files: gcc 12 and clang 14 wrote these for the same compile with targets of two lengths.
TEST(DepFile, WrapsAsGccDoes) {
  std::string short_target =
      "x.o: a.c inc/sub/header_number_1.h inc/sub/header_number_2.h \\\n"
      " inc/sub/header_number_3.h\n";
  std::string long_target =
      "dddddddddddddddddddddddddddddd/o.o: a.c inc/sub/header_number_1.h \\\n"
      " inc/sub/header_number_2.h inc/sub/header_number_3.h\n";
  EXPECT_EQ(rewrite_dep_target(short_target, {"dddddddddddddddddddddddddddddd/o.o"}, Family::gcc),
            long_target);
  EXPECT_EQ(rewrite_dep_target(long_target, {"x.o"}, Family::gcc), short_target);
}

TEST(DepFile, WrapsAsClangDoes) {
  std::string short_target =
      "x.o: a.c inc/sub/header_number_1.h inc/sub/header_number_2.h \\\n"
      "  inc/sub/header_number_3.h\n";
  std::string long_target =
      "x.o \\\n"
      "  ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/o.o: \\\n"
      "  a.c inc/sub/header_number_1.h inc/sub/header_number_2.h \\\n"
      "  inc/sub/header_number_3.h\n";
  std::vector<std::string> two = {
      "x.o", "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/o.o"};
  EXPECT_EQ(rewrite_dep_target(short_target, two, Family::clang), long_target);
  EXPECT_EQ(rewrite_dep_target(long_target, {"x.o"}, Family::clang), short_target);
}

TEST(DepFile, ClangMeasuresNamesBeforeQuoting) {
  // As clang 14 wrote it: the line fits only when the escapes are not counted.
  std::string text =
      "x.o: a.c sp\\ ace\\ d.h $$d.h long/long/long/long/long/long/long/long/names.h\n";
  EXPECT_EQ(rewrite_dep_target(text, {"y.o"}, Family::clang), "y" + text.substr(1));
}

TEST(DepFile, TextWithoutARuleIsUnchanged) {
  EXPECT_EQ(rewrite_dep_target("", {"x.o"}, Family::gcc), "");
  EXPECT_EQ(rewrite_dep_target("no rule here\n", {"x.o"}, Family::clang), "no rule here\n");
}

}  // namespace
}  // namespace sccache::compiler::c_family
