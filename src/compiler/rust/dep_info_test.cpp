#include "compiler/rust/dep_info.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler::rust {
namespace {

// As rustc 1.95 writes it (--emit=dep-info=out.d,metadata with env! and an unset option_env!).
TEST(DepInfo, FilesOfTheFirstRuleAndEnvDependencies) {
  auto info = parse_dep_info(
      "out.d: lib.rs m.rs /abs/with\\ space.rs\n\n./libx.rmeta: lib.rs m.rs\n\nlib.rs:\nm.rs:\n\n"
      "# env-dep:CARGO_PKG_NAME=a\\\\b\n# env-dep:MULTI=one\\ntwo\n# env-dep:NOPE_X\n");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->files, (std::vector<std::string>{"lib.rs", "m.rs", "/abs/with space.rs"}));
  ASSERT_EQ(info->env.size(), 3u);
  EXPECT_EQ(info->env[0].first, "CARGO_PKG_NAME");
  EXPECT_EQ(info->env[0].second, "a\\b");
  EXPECT_EQ(info->env[1].second, "one\ntwo");
  EXPECT_EQ(info->env[2].first, "NOPE_X");
  EXPECT_EQ(info->env[2].second, std::nullopt);
}

TEST(DepInfo, WhatIsNotADepInfoFileIsCorrupt) {
  for (const char* text : {"", "just words\n", "# env-dep:=x\nout.d: a.rs\n"}) {
    auto info = parse_dep_info(text);
    ASSERT_FALSE(info) << text;
    EXPECT_EQ(info.error().code, util::ErrorCode::corrupt);
  }
}

TEST(DepInfo, TooManyEntriesAreRefused) {
  std::string text = "out.d: a.rs\n";
  for (std::size_t i = 0; i <= k_max_dep_info_entries; ++i) text += "# env-dep:V=1\n";
  EXPECT_FALSE(parse_dep_info(text));
}

}  // namespace
}  // namespace sccache::compiler::rust
