#include "compiler/dep_file.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler {
namespace {

TEST(DepFile, MakeQuoteEscapesLikeGcc) {
  EXPECT_EQ(make_quote("a.o"), "a.o");
  EXPECT_EQ(make_quote("a b.o"), "a\\ b.o");
  EXPECT_EQ(make_quote("$x.o"), "$$x.o");
  EXPECT_EQ(make_quote("#x.o"), "\\#x.o");
  EXPECT_EQ(make_quote("a\\ b"), "a\\\\\\ b");
}

TEST(DepFile, TargetIsTheObjectUnlessMtOrMqGiven) {
  EXPECT_EQ(dep_target_for({}, "out/a.o"), "out/a.o");
  EXPECT_EQ(dep_target_for({"x", "y"}, "out/a.o"), "x y");
}

TEST(DepFile, RewritesOnlyTheFirstRuleTargets) {
  std::string stored = "old/a.o: src/a.c include/a.h \\\n include/b.h\ninclude/a.h:\n";
  EXPECT_EQ(rewrite_dep_target(stored, "new/b.o"),
            "new/b.o: src/a.c include/a.h \\\n include/b.h\ninclude/a.h:\n");
}

TEST(DepFile, HandlesSeveralTargetsAndEscapedColons) {
  EXPECT_EQ(rewrite_dep_target("t1 t2 \\\n t3: a.c\n", "x.o"), "x.o: a.c\n");
  EXPECT_EQ(rewrite_dep_target("c\\:x.o: a.c\n", "y.o"), "y.o: a.c\n");
  EXPECT_EQ(rewrite_dep_target("a.o:\n", "b.o"), "b.o:\n");
}

TEST(DepFile, TextWithoutARuleIsUnchanged) {
  EXPECT_EQ(rewrite_dep_target("", "x.o"), "");
  EXPECT_EQ(rewrite_dep_target("no rule here\n", "x.o"), "no rule here\n");
}

}  // namespace
}  // namespace sccache::compiler
