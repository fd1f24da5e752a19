#include "compiler/c_family/language.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace sccache::compiler::c_family {
namespace {

using L = Language;

const std::vector<L> k_all = {L::c,
                              L::cxx,
                              L::objc,
                              L::objcxx,
                              L::c_preprocessed,
                              L::cxx_preprocessed,
                              L::objc_preprocessed,
                              L::objcxx_preprocessed,
                              L::assembler,
                              L::assembler_with_cpp,
                              L::cuda};

TEST(Language, FromExtension) {
  const std::vector<std::pair<std::string, L>> known = {
      {"a.c", L::c},
      {"a.cc", L::cxx},
      {"a.cp", L::cxx},
      {"a.cxx", L::cxx},
      {"a.cpp", L::cxx},
      {"a.CPP", L::cxx},
      {"a.c++", L::cxx},
      {"a.C", L::cxx},
      {"a.m", L::objc},
      {"a.mm", L::objcxx},
      {"a.M", L::objcxx},
      {"a.i", L::c_preprocessed},
      {"a.ii", L::cxx_preprocessed},
      {"a.mi", L::objc_preprocessed},
      {"a.mii", L::objcxx_preprocessed},
      {"a.s", L::assembler},
      {"a.S", L::assembler_with_cpp},
      {"a.sx", L::assembler_with_cpp},
      {"dir.d/a.c", L::c},
      {"/abs/path/x.tar.cpp", L::cxx},
      {"../rel/y.S", L::assembler_with_cpp},
  };
  for (const auto& [path, language] : known) EXPECT_EQ(language_from_path(path), language) << path;
}

TEST(Language, UnknownExtensionsAndHeaders) {
  for (const char* path : {"a.h", "a.hpp", "a.hh", "a.H", "a.hxx", "a.f90", "a.o", "a.CC", "a.Cpp",
                           "a.SX", "Makefile", ".c", "dir.c/file", "a.", ""}) {
    EXPECT_FALSE(language_from_path(path)) << path;
  }
}

TEST(Language, XNamesRoundTrip) {
  for (auto l : k_all) EXPECT_EQ(language_from_x(x_name(l)), l) << x_name(l);
}

TEST(Language, XNamesAsGccSpellsThem) {
  EXPECT_EQ(x_name(L::c), "c");
  EXPECT_EQ(x_name(L::cxx), "c++");
  EXPECT_EQ(x_name(L::objc), "objective-c");
  EXPECT_EQ(x_name(L::objcxx), "objective-c++");
  EXPECT_EQ(x_name(L::c_preprocessed), "cpp-output");
  EXPECT_EQ(x_name(L::cxx_preprocessed), "c++-cpp-output");
  EXPECT_EQ(x_name(L::assembler), "assembler");
  EXPECT_EQ(x_name(L::assembler_with_cpp), "assembler-with-cpp");
  EXPECT_EQ(language_from_x("objc-cpp-output"), L::objc_preprocessed);
  EXPECT_EQ(language_from_x("objc++-cpp-output"), L::objcxx_preprocessed);
  EXPECT_EQ(x_name(L::cuda), "cuda");  // clang's
  EXPECT_EQ(language_from_path("k.cu"), L::cuda);
  for (const char* x : {"fortran", "c-header", "c++-header", "none", "", "C"}) {
    EXPECT_FALSE(language_from_x(x)) << x;
  }
}

TEST(Language, PreprocessingNeeds) {
  for (auto l : {L::c, L::cxx, L::objc, L::objcxx, L::assembler_with_cpp, L::cuda}) {
    EXPECT_TRUE(needs_preprocessing(l)) << x_name(l);
  }
  for (auto l : {L::c_preprocessed, L::cxx_preprocessed, L::objc_preprocessed,
                 L::objcxx_preprocessed, L::assembler}) {
    EXPECT_FALSE(needs_preprocessing(l)) << x_name(l);
  }
}

TEST(Language, KeyNameIsThePreprocessedForm) {
  EXPECT_EQ(key_name(L::c), "cpp-output");
  EXPECT_EQ(key_name(L::c_preprocessed), "cpp-output");
  EXPECT_EQ(key_name(L::cxx), "c++-cpp-output");
  EXPECT_EQ(key_name(L::cxx_preprocessed), "c++-cpp-output");
  EXPECT_EQ(key_name(L::objc), "objective-c-cpp-output");
  EXPECT_EQ(key_name(L::objcxx_preprocessed), "objective-c++-cpp-output");
  EXPECT_EQ(key_name(L::assembler_with_cpp), "assembler");
  EXPECT_EQ(key_name(L::assembler), "assembler");
  // The key name is itself an -x name the compiler accepts (clang's cuda-cpp-output too, though
  // preprocessed CUDA is no input we cache).
  EXPECT_EQ(key_name(L::cuda), "cuda-cpp-output");
  for (auto l : k_all) {
    if (l != L::cuda) {
      EXPECT_TRUE(language_from_x(key_name(l))) << x_name(l);
    }
  }
}

}  // namespace
}  // namespace sccache::compiler::c_family
