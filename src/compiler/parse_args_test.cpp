#include "compiler/parsed_args.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/response_file.hpp"

namespace sccache::compiler {
namespace {

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

ParseResult parse(const std::string& line, Family family = Family::gcc, bool plusplus = false,
                  const std::string& cwd = "/work") {
  return parse_arguments(words(line), cwd, family, plusplus);
}

// ---- not a compile, or not cacheable: the reason is the stats key ----
struct Refusal {
  std::string line;
  std::string reason;  // "" = NotCompilation
};

class Refused : public ::testing::TestWithParam<Refusal> {};

TEST_P(Refused, HasTheExpectedReason) {
  const auto& p = GetParam();
  auto r = parse(p.line);
  if (p.reason.empty()) {
    EXPECT_TRUE(std::holds_alternative<NotCompilation>(r)) << p.line;
  } else {
    auto* c = std::get_if<CannotCache>(&r);
    ASSERT_NE(c, nullptr) << p.line;
    EXPECT_EQ(c->reason, p.reason) << p.line;
  }
}

INSTANTIATE_TEST_SUITE_P(
    CommandLines, Refused,
    ::testing::Values(
        Refusal{"a.o b.o -o prog", ""}, Refusal{"a.c -o prog", ""}, Refusal{"--version", ""},
        Refusal{"-v", ""}, Refusal{"-dumpversion", ""},
        Refusal{"-shared -fPIC a.o -o liba.so -lm", ""}, Refusal{"-E a.c", "-E"},
        Refusal{"-E -P a.c -o a.i", "-E"}, Refusal{"-M a.c", "-M"}, Refusal{"-MM a.c", "-MM"},
        Refusal{"-c -M a.c", "-M"}, Refusal{"-S a.c", "-S"},
        Refusal{"-c a.c b.c", "multiple input files"},
        Refusal{"-c a.c b.c -o x.o", "multiple input files"}, Refusal{"-c", "no input file"},
        Refusal{"-c -O2 -Wall", "no input file"}, Refusal{"-x c -c - -o x.o", "-"},
        Refusal{"-c a.c -save-temps", "-save-temps"},
        Refusal{"-c a.c -save-temps=obj", "-save-temps"},
        Refusal{"-fsyntax-only a.c", "-fsyntax-only"}, Refusal{"-c a.h", "unknown source language"},
        Refusal{"-c a.xyz", "unknown source language"},
        Refusal{"-x fortran -c a.f", "unsupported -x language"},
        Refusal{"-c a.c -o -", "output to stdout"},
        Refusal{"-c a.c -gsplit-dwarf", "unknown outputs"},
        Refusal{"-c a.c --coverage", "unknown outputs"},
        Refusal{"-c a.c -ftest-coverage", "unknown outputs"},
        Refusal{"-c a.c -fstack-usage", "unknown outputs"},
        Refusal{"-c a.c -fdump-tree-all", "unknown outputs"},
        Refusal{"-c a.c -aux-info x.txt", "unknown outputs"},
        Refusal{"-c a.cpp -fmodules-ts", "-fmodules-ts"},
        Refusal{"-c a.c -fprofile-use", "-fprofile-use"}, Refusal{"-c a.c -Wp,-MD,a.d", "-Wp,-M*"},
        Refusal{"-c a.c -Wp,-MMD,.a.o.d", "-Wp,-M*"},
        Refusal{"-c a.c -arch x86_64 -arch arm64", "multiple -arch"},
        Refusal{"-c a.c -Xclang -load -Xclang plugin.so", "-Xclang -load"},
        Refusal{"-c a.c @/nonexistent/args.rsp", "@file"}));

// ---- cacheable compiles ----
struct Accepted {
  std::string line;
  std::string input;
  Language language;
  std::string output;
  std::string dep_file;  // "" = none
  std::vector<std::string> dep_targets;
};

class Cacheable : public ::testing::TestWithParam<Accepted> {};

TEST_P(Cacheable, ReadsInputOutputAndDeps) {
  const auto& p = GetParam();
  auto r = parse(p.line);
  auto* a = std::get_if<ParsedArgs>(&r);
  ASSERT_NE(a, nullptr) << p.line << " → "
                        << (std::holds_alternative<CannotCache>(r) ? std::get<CannotCache>(r).reason
                                                                   : "not a compile");
  EXPECT_EQ(a->input, p.input);
  EXPECT_EQ(a->language, p.language);
  EXPECT_EQ(a->output, p.output);
  EXPECT_EQ(a->dep_file.value_or(""), p.dep_file);
  EXPECT_EQ(a->dep_targets, p.dep_targets);
  // Output paths never reach the key, and the input is only seen through its preprocessed text.
  for (const auto& h : a->hashed_args) {
    EXPECT_NE(h, p.output) << p.line;
    EXPECT_NE(h, p.input) << p.line;
    if (!p.dep_file.empty()) {
      EXPECT_NE(h, p.dep_file) << p.line;
    }
    for (const auto& t : p.dep_targets) EXPECT_NE(h, t) << p.line;
    EXPECT_NE(h, "-o");
    EXPECT_NE(h, "-MF");
  }
  // The -E run gets no output or dependency options.
  for (const auto& pre : a->preprocessor_args) {
    EXPECT_NE(pre, "-c");
    EXPECT_NE(pre, "-o");
    EXPECT_FALSE(pre.starts_with("-MF") || pre == "-MD" || pre == "-MMD" || pre.starts_with("-MT"))
        << pre;
  }
}

using L = Language;
INSTANTIATE_TEST_SUITE_P(
    CommandLines, Cacheable,
    ::testing::Values(
        Accepted{"-c a.c", "a.c", L::c, "a.o", "", {}},
        Accepted{"-c src/a.c", "src/a.c", L::c, "a.o", "", {}},
        Accepted{"-c a.c -o out/b.o", "a.c", L::c, "out/b.o", "", {}},
        Accepted{"-c a.c -oout/b.o", "a.c", L::c, "out/b.o", "", {}},
        Accepted{
            "-O2 -g -Wall -fPIC -DX=1 -I inc -Iinc2 -c a.c -o a.o", "a.c", L::c, "a.o", "", {}},
        Accepted{"-DFOO -I/x -O2 -g -MD -MT CMakeFiles/t.dir/a.c.o -MF CMakeFiles/t.dir/a.c.o.d -o "
                 "CMakeFiles/t.dir/a.c.o -c /src/a.c",
                 "/src/a.c",
                 L::c,
                 "CMakeFiles/t.dir/a.c.o",
                 "CMakeFiles/t.dir/a.c.o.d",
                 {"CMakeFiles/t.dir/a.c.o"}},
        Accepted{"-std=c++17 -MD -MT obj/x.cpp.o -MF obj/x.cpp.o.d -o obj/x.cpp.o -c ../x.cpp",
                 "../x.cpp",
                 L::cxx,
                 "obj/x.cpp.o",
                 "obj/x.cpp.o.d",
                 {"obj/x.cpp.o"}},
        Accepted{"-DHAVE_CONFIG_H -I. -I.. -g -O2 -MT lapi.lo -MD -MP -MF .deps/lapi.Tpo -c lapi.c "
                 "-fPIC -DPIC -o .libs/lapi.o",
                 "lapi.c",
                 L::c,
                 ".libs/lapi.o",
                 ".deps/lapi.Tpo",
                 {"lapi.lo"}},
        Accepted{"-Ilib/libfoo.a.p -Ilib -fdiagnostics-color=always -D_FILE_OFFSET_BITS=64 -Wall "
                 "-Winvalid-pch -O3 -fPIC -MD -MQ lib/libfoo.a.p/foo.c.o -MF "
                 "lib/libfoo.a.p/foo.c.o.d -o lib/libfoo.a.p/foo.c.o -c ../lib/foo.c",
                 "../lib/foo.c",
                 L::c,
                 "lib/libfoo.a.p/foo.c.o",
                 "lib/libfoo.a.p/foo.c.o.d",
                 {"lib/libfoo.a.p/foo.c.o"}},
        Accepted{"-c a.c -o out/y.o -MD", "a.c", L::c, "out/y.o", "out/y.d", {}},
        Accepted{"-c a.c -o out/y -MMD", "a.c", L::c, "out/y", "out/y.d", {}},
        Accepted{"-c a.c -o out/y.c.o -MD", "a.c", L::c, "out/y.c.o", "out/y.c.d", {}},
        Accepted{"-c sub/a.c -MD", "sub/a.c", L::c, "a.o", "a.d", {}},
        Accepted{
            "-c a.c -MD -MFdeps/a.d -MTt1 -MT t2", "a.c", L::c, "a.o", "deps/a.d", {"t1", "t2"}},
        Accepted{"-c a.c -MD -MQ $x#", "a.c", L::c, "a.o", "a.d", {"$$x\\#"}},
        Accepted{"-c a.c -MT ignored-without-MD", "a.c", L::c, "a.o", "", {}},
        Accepted{"-c a.cc", "a.cc", L::cxx, "a.o", "", {}},
        Accepted{"-c a.cpp", "a.cpp", L::cxx, "a.o", "", {}},
        Accepted{"-c a.cxx", "a.cxx", L::cxx, "a.o", "", {}},
        Accepted{"-c a.C", "a.C", L::cxx, "a.o", "", {}},
        Accepted{"-c a.c++", "a.c++", L::cxx, "a.o", "", {}},
        Accepted{"-c a.m", "a.m", L::objc, "a.o", "", {}},
        Accepted{"-c a.mm", "a.mm", L::objcxx, "a.o", "", {}},
        Accepted{"-c a.i", "a.i", L::c_preprocessed, "a.o", "", {}},
        Accepted{"-c a.ii", "a.ii", L::cxx_preprocessed, "a.o", "", {}},
        Accepted{"-c a.s", "a.s", L::assembler, "a.o", "", {}},
        Accepted{"-c a.S", "a.S", L::assembler_with_cpp, "a.o", "", {}},
        Accepted{"-c a.sx", "a.sx", L::assembler_with_cpp, "a.o", "", {}},
        Accepted{"-x c++ -c a.c", "a.c", L::cxx, "a.o", "", {}},
        Accepted{"-xc++ -c a.c", "a.c", L::cxx, "a.o", "", {}},
        Accepted{"-x c -c a.weird", "a.weird", L::c, "a.o", "", {}},
        Accepted{"-x assembler-with-cpp -c a.asm", "a.asm", L::assembler_with_cpp, "a.o", "", {}},
        Accepted{"-x c++ -x none -c a.c", "a.c", L::c, "a.o", "", {}},
        Accepted{"-c a.c -pipe -fcolor-diagnostics", "a.c", L::c, "a.o", "", {}},
        Accepted{"-target x86_64-linux-gnu -c a.c", "a.c", L::c, "a.o", "", {}},
        Accepted{"--sysroot=/sys -c a.c", "a.c", L::c, "a.o", "", {}},
        Accepted{"--sysroot /sys -c a.c", "a.c", L::c, "a.o", "", {}},
        Accepted{"-isystem /usr/x -iquote q -idirafter d -include pre.h -imacros m.h -c a.c",
                 "a.c",
                 L::c,
                 "a.o",
                 "",
                 {}},
        Accepted{"-Xclang -fno-pch-timestamp -c a.c", "a.c", L::c, "a.o", "", {}},
        Accepted{"-Xpreprocessor -DX -c a.c", "a.c", L::c, "a.o", "", {}},
        Accepted{"-Wa,--noexecstack -Wl,-z,now -c a.c", "a.c", L::c, "a.o", "", {}},
        Accepted{"-Wp,-D_FORTIFY_SOURCE=2 -c a.c", "a.c", L::c, "a.o", "", {}},
        Accepted{"-nostdinc -isystem inc -D__KERNEL__ -mcmodel=kernel -fno-pic -c kernel/fork.c -o "
                 "kernel/fork.o",
                 "kernel/fork.c",
                 L::c,
                 "kernel/fork.o",
                 "",
                 {}},
        Accepted{"-arch x86_64 -c a.c", "a.c", L::c, "a.o", "", {}},
        Accepted{"-fprofile-instr-use=x.profdata -c a.c", "a.c", L::c, "a.o", "", {}},
        Accepted{"-g -gdwarf-4 -c a.c", "a.c", L::c, "a.o", "", {}}));

TEST(ParseArgs, CxxDriverCompilesCAsCxxUnlessTold) {
  auto r = parse("-c a.c", Family::gcc, true);
  ASSERT_TRUE(std::holds_alternative<ParsedArgs>(r));
  EXPECT_EQ(std::get<ParsedArgs>(r).language, Language::cxx);
  r = parse("-x c -c a.c", Family::gcc, true);
  EXPECT_EQ(std::get<ParsedArgs>(r).language, Language::c);
}

TEST(ParseArgs, HashedArgsKeepOrderAndDropOutputsAndColor) {
  auto r = parse("-O2 -DX=1 -c a.c -o b.o -MD -MF b.d -fdiagnostics-color=always -pipe -g");
  const auto& a = std::get<ParsedArgs>(r);
  EXPECT_EQ(a.hashed_args, (std::vector<std::string>{"-O2", "-DX=1", "-MD", "-g"}));
  EXPECT_EQ(a.preprocessor_args, (std::vector<std::string>{"-O2", "-DX=1", "-pipe", "-g"}));
  EXPECT_EQ(a.color, ColorChoice::always);
  EXPECT_TRUE(a.debug_info);
}

TEST(ParseArgs, DefineValuesAndOrderChangeHashedArgs) {
  auto a = std::get<ParsedArgs>(parse("-DX=1 -c a.c")).hashed_args;
  auto b = std::get<ParsedArgs>(parse("-DX=2 -c a.c")).hashed_args;
  auto c = std::get<ParsedArgs>(parse("-Ia -Ib -c a.c")).hashed_args;
  auto d = std::get<ParsedArgs>(parse("-Ib -Ia -c a.c")).hashed_args;
  EXPECT_NE(a, b);
  EXPECT_NE(c, d);
}

TEST(ParseArgs, DebugInfoOffWithG0) {
  EXPECT_FALSE(std::get<ParsedArgs>(parse("-g -g0 -c a.c")).debug_info);
  EXPECT_FALSE(std::get<ParsedArgs>(parse("-c a.c")).debug_info);
  EXPECT_TRUE(std::get<ParsedArgs>(parse("-ggdb3 -c a.c")).debug_info);
}

TEST(ParseArgs, ExtraFilesAreListed) {
  auto a = std::get<ParsedArgs>(
      parse("-fprofile-instr-use=x.profdata -fsanitize-ignorelist=ign.txt -c a.c"));
  EXPECT_EQ(a.extra_hashed_files, (std::vector<std::string>{"x.profdata", "ign.txt"}));
}

TEST(ResponseFile, SplitsLikeGcc) {
  EXPECT_EQ(split_response_file("-c  a.c\n-DX=\"a b\" 'q r' x\\ y"),
            (std::vector<std::string>{"-c", "a.c", "-DX=a b", "q r", "x y"}));
  EXPECT_EQ(split_response_file(""), std::vector<std::string>{});
  EXPECT_EQ(split_response_file("''"), std::vector<std::string>{""});
}

TEST(ResponseFile, ExpandsNestedFilesRelativeToCwd) {
  char dir[] = "/tmp/sccache-rsp-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  std::ofstream(std::string(dir) + "/outer.rsp") << "-O2 @inner.rsp -o out.o";
  std::ofstream(std::string(dir) + "/inner.rsp") << "-c a.c";
  auto r = parse_arguments({"@outer.rsp", "-DZ"}, dir, Family::gcc, false);
  std::filesystem::remove_all(dir);
  auto* a = std::get_if<ParsedArgs>(&r);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->input, "a.c");
  EXPECT_EQ(a->output, "out.o");
  EXPECT_EQ(a->hashed_args, (std::vector<std::string>{"-O2", "-DZ"}));
}

}  // namespace
}  // namespace sccache::compiler
