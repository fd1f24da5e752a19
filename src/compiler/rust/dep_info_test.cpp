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

// As ld and lld write --dependency-file: one rule over many lines, then a phony rule per file.
TEST(DepInfo, ALinkersContinuedRuleIsOneRule) {
  auto info = parse_dep_info(
      "/t/build_script_build-9: \\\n /usr/lib/Scrt1.o \\\n /t/with\\ space.o \\\n"
      " /lib/libc.so\n\n/usr/lib/Scrt1.o:\n\n/lib/libc.so:\n");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->files,
            (std::vector<std::string>{"/usr/lib/Scrt1.o", "/t/with space.o", "/lib/libc.so"}));
  auto escaped = parse_dep_info("out: a\\\\\nb: c\n");  // `a\\` is a backslash, not a continuation
  ASSERT_TRUE(escaped);
  EXPECT_EQ(escaped->files, std::vector<std::string>{"a\\"});
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
