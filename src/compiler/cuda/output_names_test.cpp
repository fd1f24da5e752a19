#include "compiler/cuda/output_names.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler::cuda {
namespace {

TEST(NvccOutputNames, ReplaceExtensionTouchesTheLastComponentOnly) {
  EXPECT_EQ(replace_extension("k.cu", ".o"), "k.o");
  EXPECT_EQ(replace_extension("y.cu.o", ".d"), "y.cu.d");
  EXPECT_EQ(replace_extension("a.b/y", ".d"), "a.b/y.d");
  EXPECT_EQ(replace_extension("out/y", ".d"), "out/y.d");
  EXPECT_EQ(replace_extension("dir/.hidden", ".d"), "dir/.hidden.d");
  EXPECT_EQ(replace_extension("k.cu", ""), "k");
}

TEST(NvccOutputNames, EachModeHasItsExtension) {
  EXPECT_EQ(default_output("sub/k.cu", Mode::compile, std::nullopt), "k.o");
  EXPECT_EQ(default_output("sub/k.cu", Mode::device_c, std::nullopt), "k.o");
  EXPECT_EQ(default_output("/abs/k.cu", Mode::ptx, std::nullopt), "k.ptx");
  EXPECT_EQ(default_output("k.txt", Mode::cubin, std::nullopt), "k.cubin");
  EXPECT_EQ(default_output("k", Mode::fatbin, std::string("out")), "out/k.fatbin");
}

TEST(NvccOutputNames, DependencyFileFollowsTheOutputThenTheInput) {
  EXPECT_EQ(default_dep_file("sub/k.cu", std::nullopt, std::nullopt), "k.d");
  EXPECT_EQ(default_dep_file("sub/k.cu", std::nullopt, std::string("out")), "out/k.d");
  EXPECT_EQ(default_dep_file("sub/k.cu", std::string("o/y.o"), std::string("out")), "o/y.d");
}

TEST(NvccOutputNames, DependencyTargetIsPrefixedByTheOutputDirectory) {
  EXPECT_EQ(dep_target("sub/k.cu", std::nullopt, std::nullopt, std::nullopt), "k.o");
  EXPECT_EQ(dep_target("sub/k.cu", std::string("y.ptx"), std::nullopt, std::nullopt), "y.ptx");
  EXPECT_EQ(dep_target("sub/k.cu", std::string("y.o"), std::string("t"), std::nullopt), "t");
  EXPECT_EQ(dep_target("sub/k.cu", std::string("/a/y.o"), std::nullopt, std::string("o")),
            "o//a/y.o");
}

}  // namespace
}  // namespace sccache::compiler::cuda
