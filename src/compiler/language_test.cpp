#include "compiler/language.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler {
namespace {

TEST(Language, FromExtension) {
  EXPECT_EQ(language_from_path("dir.d/a.c"), Language::c);
  EXPECT_EQ(language_from_path("a.CPP"), Language::cxx);
  EXPECT_EQ(language_from_path("a.S"), Language::assembler_with_cpp);
  EXPECT_EQ(language_from_path("a.s"), Language::assembler);
  EXPECT_EQ(language_from_path("a.mii"), Language::objcxx_preprocessed);
  EXPECT_FALSE(language_from_path("a.h"));
  EXPECT_FALSE(language_from_path("Makefile"));
  EXPECT_FALSE(language_from_path(".c"));
  EXPECT_FALSE(language_from_path("dir.c/file"));
}

TEST(Language, XNamesRoundTrip) {
  for (auto l :
       {Language::c, Language::cxx, Language::objc, Language::objcxx, Language::c_preprocessed,
        Language::cxx_preprocessed, Language::assembler, Language::assembler_with_cpp}) {
    EXPECT_EQ(language_from_x(x_name(l)), l);
  }
  EXPECT_FALSE(language_from_x("fortran"));
}

TEST(Language, PreprocessingNeeds) {
  EXPECT_TRUE(needs_preprocessing(Language::c));
  EXPECT_TRUE(needs_preprocessing(Language::assembler_with_cpp));
  EXPECT_FALSE(needs_preprocessing(Language::assembler));
  EXPECT_FALSE(needs_preprocessing(Language::cxx_preprocessed));
  EXPECT_NE(key_name(Language::c), key_name(Language::cxx));
}

}  // namespace
}  // namespace sccache::compiler
