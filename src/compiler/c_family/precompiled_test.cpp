#include "compiler/c_family/precompiled.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler::c_family {
namespace {

TEST(Precompiled, ForcedIncludesInEveryForm) {
  EXPECT_EQ(forced_includes({"-O2", "-include", "a.h", "-includeb.h", "--include=c.h", "--include",
                             "d.h", "-include-pch", "e.pch", "-I", "inc"}),
            (std::vector<std::string>{"a.h", "b.h", "c.h", "d.h"}));
}

TEST(Precompiled, CandidatesAreForcedIncludesAndTheSourcesFirstHeader) {
  // gcc's markers: the -include'd files come from <command-line>; m.c includes first.h then x.h.
  std::vector<IncludedFile> files = {{"m.c", ""},
                                     {"/usr/include/stdc-predef.h", "<command-line>"},
                                     {"./pch.h", "<command-line>"},
                                     {"first.h", "m.c"},
                                     {"nested.h", "first.h"},
                                     {"x.h", "m.c"}};
  EXPECT_EQ(pch_candidates(files),
            (std::vector<std::string>{"/usr/include/stdc-predef.h", "./pch.h", "first.h"}));
}

}  // namespace
}  // namespace sccache::compiler::c_family
