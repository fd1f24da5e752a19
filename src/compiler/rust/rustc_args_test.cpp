#include "compiler/rust/rustc_args.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace sccache::compiler::rust {
namespace {

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

ParseResult parse(const std::string& line) {
  return parse_rustc_arguments(words(line), "/tmp");
}

// cargo 1.95's line for a registry dependency (facts sheet A2), shortened.
const std::string k_registry_lib =
    "--crate-name regex --edition=2018 /reg/regex-1.7.1/src/lib.rs --error-format=json "
    "--json=diagnostic-rendered-ansi,artifacts,future-incompat --crate-type lib "
    "--emit=dep-info,metadata,link -C embed-bitcode=no -C debuginfo=2 --cfg feature=\"std\" "
    "--cfg feature=\"default\" -C metadata=0123456789abcdef -C extra-filename=-0123456789abcdef "
    "--out-dir /ws/target/debug/deps -L dependency=/ws/target/debug/deps "
    "--extern aho_corasick=/ws/target/debug/deps/libaho_corasick-11.rmeta --cap-lints allow";

TEST(RustcArgs, ACargoLibraryCompileIsCacheable) {
  auto parsed = parse(k_registry_lib);
  auto* args = std::get_if<RustArgs>(&parsed);
  ASSERT_NE(args, nullptr);
  EXPECT_EQ(args->input, "/reg/regex-1.7.1/src/lib.rs");
  EXPECT_EQ(args->crate_name, "regex");
  EXPECT_EQ(args->out_dir, "/ws/target/debug/deps");
  EXPECT_EQ(args->extra_filename, "-0123456789abcdef");
  EXPECT_TRUE(args->emit_link && args->emit_metadata && args->emit_dep_info);
  ASSERT_EQ(args->externs.size(), 1u);
  EXPECT_EQ(args->externs[0].name, "aho_corasick");
  EXPECT_EQ(output_files(*args), (std::vector<std::pair<std::string, std::string>>{
                                     {"rlib", "libregex-0123456789abcdef.rlib"},
                                     {"rmeta", "libregex-0123456789abcdef.rmeta"},
                                     {"d", "regex-0123456789abcdef.d"}}));
  // Neither the out-dir nor -L nor the extern's path reach the key; --cfg comes sorted, last.
  for (const auto& a : args->hashed_args) {
    EXPECT_EQ(a.find("/ws/target"), std::string::npos) << a;
  }
  auto n = args->hashed_args.size();
  EXPECT_EQ(args->hashed_args[n - 3], "--cfg=feature=\"default\"");
  EXPECT_EQ(args->hashed_args[n - 2], "--cfg=feature=\"std\"");
  EXPECT_EQ(args->hashed_args[n - 1], "--emit=link,metadata,dep-info,");
}

TEST(RustcArgs, CfgOrderAndTheOutDirDoNotChangeTheHashedArguments) {
  auto a = parse("--crate-name x x.rs --crate-type lib --cfg b --cfg a --out-dir /one");
  auto b = parse("--crate-name x --cfg a x.rs --cfg b --crate-type=lib --out-dir=/two");
  ASSERT_TRUE(std::holds_alternative<RustArgs>(a) && std::holds_alternative<RustArgs>(b));
  EXPECT_EQ(std::get<RustArgs>(a).hashed_args, std::get<RustArgs>(b).hashed_args);
}

TEST(RustcArgs, WhatIsNotCachedAndWhy) {
  struct Case {
    std::string line, reason;
  };
  for (const auto& c : std::vector<Case>{
           {"--crate-name a a.rs --crate-type bin --out-dir o", "crate-type"},
           {"--crate-name a a.rs --crate-type dylib --out-dir o", "crate-type"},
           {"--crate-name a a.rs --crate-type cdylib --out-dir o", "crate-type"},
           {"--crate-name build_script_build a.rs --crate-type proc-macro,bin --out-dir o",
            "crate-type"},
           {"--crate-name build_script_build a.rs --crate-type bin --out-dir o -C "
            "split-debuginfo=packed",
            "split-debuginfo"},
           {"--crate-name a a.rs --crate-type proc-macro --out-dir o -C linker-flavor=ld",
            "linker"},
           {"--crate-name a a.rs --crate-type proc-macro --out-dir o -Csave-temps",
            "-C save-temps"},
           {"--crate-name a a.rs --out-dir o", "crate-type"},
           {"--crate-name a a.rs --crate-type lib --out-dir o -C incremental=/i", "incremental"},
           {"- --crate-name ___ --crate-type lib", "-"},
           {"--crate-name a a.rs b.rs --crate-type lib --out-dir o", "multiple input files"},
           {"--crate-name a a.rs --crate-type lib --out-dir o --emit=asm", "unsupported --emit"},
           {"--crate-name a a.rs --crate-type lib -o a.rlib", "-o"},
           {"--crate-name a a.rs --crate-type lib", "missing output_dir"},
           {"--crate-name a a.rs --crate-type lib --out-dir o --sysroot /s", "--sysroot"},
           {"--crate-name a a.rs --crate-type lib --out-dir o --emit=link --emit=metadata",
            "more than one --emit"},
           {"--crate-name a a.rs --crate-type lib --out-dir", "missing argument value"},
       }) {
    auto parsed = parse(c.line);
    auto* cannot = std::get_if<CannotCache>(&parsed);
    ASSERT_NE(cannot, nullptr) << c.line;
    EXPECT_EQ(cannot->reason, c.reason) << c.line;
  }
}

TEST(RustcArgs, ProbesAndDepInfoOnlyAreNotCompiles) {
  for (const char* line : {"-vV", "--version", "--print=sysroot", "- --print cfg --crate-name ___",
                           "--crate-name a a.rs --crate-type lib --out-dir o --emit=dep-info"}) {
    EXPECT_TRUE(std::holds_alternative<NotCompilation>(parse(line))) << line;
  }
}

TEST(RustcArgs, CargoCheckEmitsMetadataOnly) {
  auto parsed = parse("--crate-name a a.rs --crate-type lib --emit=dep-info,metadata --out-dir o");
  ASSERT_TRUE(std::holds_alternative<RustArgs>(parsed));
  EXPECT_EQ(
      output_files(std::get<RustArgs>(parsed)),
      (std::vector<std::pair<std::string, std::string>>{{"rmeta", "liba.rmeta"}, {"d", "a.d"}}));
}

// Build scripts and proc-macros: the linker writes them (see linked).
TEST(RustcArgs, LinkedCrateTypesNameTheLinkersOutput) {
  using Files = std::vector<std::pair<std::string, std::string>>;
  auto bin = parse(
      "--crate-name build_script_build build.rs --crate-type bin --emit=dep-info,link "
      "-C extra-filename=-9f --out-dir o -C linker=/usr/bin/clang");
  auto* args = std::get_if<RustArgs>(&bin);
  ASSERT_NE(args, nullptr);
  EXPECT_TRUE(args->linked);
  EXPECT_EQ(args->linker, "/usr/bin/clang");
  EXPECT_EQ(output_files(*args),
            (Files{{"bin", "build_script_build-9f"}, {"d", "build_script_build-9f.d"}}));
  auto macro =
      parse("--crate-name d src/lib.rs --crate-type proc-macro -C extra-filename=-1 --out-dir o");
  ASSERT_TRUE(std::holds_alternative<RustArgs>(macro));
  EXPECT_EQ(output_files(std::get<RustArgs>(macro)), (Files{{"so", "libd-1.so"}}));
  auto lib = parse("--crate-name l l.rs --crate-type lib --out-dir o");
  EXPECT_FALSE(std::get<RustArgs>(lib).linked);
}

// Which paths a remap changes is the key recipe's to judge: recorded, not hashed as written.
TEST(RustcArgs, RemapsAreRecordedApartFromTheHashedArguments) {
  auto parsed = parse(
      "--crate-name a a.rs --crate-type lib --out-dir o --remap-path-prefix=/ws/one=/src "
      "--remap-path-prefix /home/u/.cargo=/cargo");
  auto* args = std::get_if<RustArgs>(&parsed);
  ASSERT_NE(args, nullptr);
  EXPECT_EQ(args->remaps, (std::vector<std::pair<std::string, std::string>>{
                              {"/ws/one", "/src"}, {"/home/u/.cargo", "/cargo"}}));
  for (const auto& a : args->hashed_args) EXPECT_EQ(a.find("remap"), std::string::npos) << a;
  auto bad = parse("--crate-name a a.rs --crate-type lib --out-dir o --remap-path-prefix /x");
  ASSERT_TRUE(std::holds_alternative<CannotCache>(bad));
}

TEST(RustcArgs, StaticLibrariesAndTheirDirectoriesAreRecorded) {
  auto parsed = parse(
      "--crate-name a a.rs --crate-type staticlib --out-dir o -L native=/n -L dependency=/d "
      "-L /all -l static=foo -l dylib=bar -lstatic:+whole-archive=baz:renamed");
  auto* args = std::get_if<RustArgs>(&parsed);
  ASSERT_NE(args, nullptr);
  EXPECT_EQ(args->library_dirs, (std::vector<std::string>{"/n", "/all"}));
  EXPECT_EQ(args->dependency_dirs, (std::vector<std::string>{"/d", "/all"}));
  EXPECT_EQ(args->static_libs, (std::vector<StaticLib>{{"foo"}, {"baz"}}));
  EXPECT_EQ(output_files(*args),
            (std::vector<std::pair<std::string, std::string>>{{"a", "liba.a"}}));
}

}  // namespace
}  // namespace sccache::compiler::rust
