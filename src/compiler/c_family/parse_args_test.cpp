#include "compiler/c_family/parsed_args.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "compiler/response_file.hpp"  // split_response_file: command lines as written
#include "util/temp_dir.hpp"

namespace sccache::compiler::c_family {
namespace {

using L = Language;
constexpr Family gcc = Family::gcc;
constexpr Family clang = Family::clang;

// Command lines are written as a shell would see them (quotes group, backslash escapes).
std::vector<std::string> words(const std::string& line) {
  return split_response_file(line);
}

ParseResult parse(const std::string& line, Family family = gcc, bool plusplus = false,
                  const std::string& cwd = "/nonexistent-cwd") {
  return parse_arguments(words(line), cwd, family, plusplus);
}

std::string describe(const ParseResult& r) {
  if (std::holds_alternative<NotCompilation>(r)) return "not a compile";
  if (auto* c = std::get_if<CannotCache>(&r)) return "cannot cache: " + c->reason;
  return "cacheable";
}

ParsedArgs accepted(const std::string& line, Family family = gcc, bool plusplus = false) {
  auto r = parse(line, family, plusplus);
  EXPECT_TRUE(std::holds_alternative<ParsedArgs>(r)) << line << " → " << describe(r);
  auto* a = std::get_if<ParsedArgs>(&r);
  return a ? *a : ParsedArgs{};
}

// ---- not a compile, or not cacheable: the reason is the stats key ----
struct Refusal {
  std::string line;
  std::string reason;  // "" = NotCompilation
  Family family = gcc;
};

std::ostream& operator<<(std::ostream& out, const Refusal& r) {
  return out << (r.family == gcc ? "gcc " : "clang ") << r.line;
}

class Refused : public ::testing::TestWithParam<Refusal> {};

TEST_P(Refused, HasTheExpectedReason) {
  const auto& p = GetParam();
  auto r = parse(p.line, p.family);
  if (p.reason.empty()) {
    EXPECT_TRUE(std::holds_alternative<NotCompilation>(r)) << p.line << " → " << describe(r);
  } else {
    auto* c = std::get_if<CannotCache>(&r);
    ASSERT_NE(c, nullptr) << p.line << " → " << describe(r);
    EXPECT_EQ(c->reason, p.reason) << p.line;
  }
}

INSTANTIATE_TEST_SUITE_P(
    NotCompilations, Refused,
    ::testing::Values(Refusal{"a.o b.o -o prog", ""}, Refusal{"a.c -o prog", ""},
                      Refusal{"a.c b.c -O2 -o prog -lm", ""}, Refusal{"--version", ""},
                      Refusal{"-v", ""}, Refusal{"-dumpversion", ""}, Refusal{"-dumpmachine", ""},
                      Refusal{"--help", ""}, Refusal{"-print-search-dirs", ""},
                      Refusal{"-shared -fPIC a.o -o liba.so -lm", ""},
                      Refusal{"-Wl,--as-needed -Wl,-rpath,/x a.o -o prog -L/usr/lib -lz", ""},
                      Refusal{"--coverage a.o -o prog", ""},
                      Refusal{"-fprofile-generate a.o -o prog", ""},
                      Refusal{"-fprofile-use -flto a.o -o prog", ""},
                      Refusal{"-save-temps a.o -o prog", ""}, Refusal{"-o", ""}));

INSTANTIATE_TEST_SUITE_P(
    OtherModes, Refused,
    ::testing::Values(Refusal{"-E a.c", "-E"}, Refusal{"-E -P a.c -o a.i", "-E"},
                      Refusal{"-x c -E -dM /dev/null", "-E"}, Refusal{"-M a.c", "-M"},
                      Refusal{"-MM a.c", "-MM"}, Refusal{"-c -M a.c", "-M"},
                      Refusal{"-c -MM -MF a.d a.c", "-MM"}, Refusal{"-S -E a.c", "-E"},
                      Refusal{"-S -o - a.c", "output to stdout"},
                      Refusal{"-S a.s", "-S of assembler source"},
                      Refusal{"-S -c a.S -o a.s", "-S of assembler source"},
                      Refusal{"-fsyntax-only a.c", "-fsyntax-only"},
                      Refusal{"-fsyntax-only -x c /dev/null", "-fsyntax-only"},
                      Refusal{"-Werror -fsyntax-only -c a.c", "-fsyntax-only"}));

INSTANTIATE_TEST_SUITE_P(
    Shapes, Refused,
    ::testing::Values(
        Refusal{"-c a.c b.c", "multiple input files"},
        Refusal{"-c a.c b.c -o x.o", "multiple input files"},
        Refusal{"-c a.c b.o", "multiple input files"}, Refusal{"-c", "no input file"},
        Refusal{"-c -O2 -Wall", "no input file"}, Refusal{"-c -o x.o -I inc", "no input file"},
        Refusal{"-x c -c - -o x.o", "-"}, Refusal{"-c -x c++ -", "-"},
        Refusal{"-c a.h", "unknown source language"},
        Refusal{"-c a.hpp -o a.hpp.gch", "unknown source language"},
        Refusal{"-c a.xyz", "unknown source language"},
        Refusal{"-c a.cu", "unknown source language"},
        Refusal{"-c Makefile", "unknown source language"},
        Refusal{"-x fortran -c a.f", "unsupported -x language"},
        Refusal{"-x c-header -c a.h", "unsupported -x language"},
        Refusal{"-x cuda -c a.cu", "unsupported -x language"},  // (gcc has no CUDA)
        Refusal{"-c a.c -o -", "output to stdout"},
        Refusal{"-c a.c -o /dev/null", "output to /dev/null"},
        Refusal{"-c a.c -arch x86_64 -arch arm64", "multiple -arch"},
        Refusal{"-c a.c -o", "missing option value"}, Refusal{"-c a.c -MF", "missing option value"},
        Refusal{"-c -- -a.c", "--", clang}, Refusal{"-c a.c @/nonexistent/args.rsp", "@file"},
        Refusal{"a.o @/nonexistent/args.rsp", "@file"}));

INSTANTIATE_TEST_SUITE_P(
    TooHard, Refused,
    ::testing::Values(Refusal{"-c a.c -save-temps", "-save-temps"},
                      Refusal{"-c a.c -save-temps=obj", "-save-temps"},
                      Refusal{"-c a.c --save-temps", "-save-temps"},
                      Refusal{"-c a.cpp -fmodules-ts", "-fmodules-ts"},
                      Refusal{"-c a.cpp -fmodules -fcxx-modules", "-fmodules"},
                      Refusal{"-c a.mm -fcxx-modules", "-fcxx-modules", clang},
                      Refusal{"-c a.cpp -fmodule-file=m.pcm", "-fmodule-file", clang},
                      Refusal{"-c a.cpp -frepo", "-frepo"},
                      Refusal{"-c a.c -fprofile-use", "-fprofile-use"},
                      Refusal{"-c a.c -fprofile-use=prof/", "-fprofile-use"},
                      Refusal{"-c a.c -fauto-profile=a.afdo", "-fauto-profile"},
                      Refusal{"-c a.c -working-directory /x", "-working-directory", clang},
                      Refusal{"-c a.c -Xclang -load -Xclang plugin.so", "-Xclang -load", clang},
                      Refusal{"-c a.c -Xclang -add-plugin -Xclang p", "-Xclang -load", clang},
                      Refusal{"-c a.c -Wp,-MD,a.d,-MT,x", "-Wp,-M*"},
                      Refusal{"-c a.c -Wp,-M", "-Wp,-M*"},
                      Refusal{"-c a.c -MD -Wp,-MD,a.dep", "-Wp,-M*"},
                      Refusal{"-c a.c -Wp,-MD,a.dep -Wp,-MMD,b.dep", "-Wp,-M*"},
                      Refusal{"-c a.c -Xpreprocessor -MD", "-Wp,-M*"}));

INSTANTIATE_TEST_SUITE_P(
    UnknownOutputs, Refused,
    ::testing::Values(Refusal{"-c a.c -Wa,-adhln=a.lst", "unknown outputs"},
                      Refusal{"-c a.c -Wa,--noexecstack,-als=x.lst", "unknown outputs"},
                      Refusal{"-c a.c -Xassembler -ahls=a.lst", "unknown outputs"},
                      Refusal{"-c a.s -Wa,--MD,a.d", "unknown outputs"},
                      Refusal{"-c a.c -gsplit-dwarf -dumpdir x/", "unknown outputs"},
                      Refusal{"-c a.c --coverage -dumpbase b", "unknown outputs"},
                      Refusal{"-c a.c --coverage -fprofile-note=n.gcno", "unknown outputs"},
                      Refusal{"-c a.c -fstack-usage", "unknown outputs"},
                      Refusal{"-c a.c -fdump-tree-all", "unknown outputs"},
                      Refusal{"-c a.c -fdump-ipa-cgraph", "unknown outputs"},
                      Refusal{"-c a.c -fcallgraph-info=su", "unknown outputs"},
                      Refusal{"-c a.c -aux-info x.txt", "unknown outputs"},
                      Refusal{"-c a.c --serialize-diagnostics a.dia", "unknown outputs", clang},
                      Refusal{"-c a.c -save-stats=obj", "unknown outputs", clang},
                      Refusal{"-c a.c -ftime-trace", "unknown outputs", clang},
                      Refusal{"-c a.c -fopt-info-vec=vec.txt", "unknown outputs"},
                      Refusal{"-c a.c -MJ a.json", "unknown outputs", clang}));

// ---- cacheable compiles ----
struct Accepted {
  std::string line;
  std::string input;
  Language language;
  std::string output;
  std::string dep_file;  // "" = none
  std::vector<std::string> dep_targets = {};
  Family family = gcc;
  bool plusplus = false;
};

std::ostream& operator<<(std::ostream& out, const Accepted& a) {
  return out << (a.family == gcc ? "gcc" : "clang") << (a.plusplus ? "++ " : " ") << a.line;
}

// The values the compiler writes to, which must never reach the key: -o X, -MF X, -MT X, -MQ X,
// -Wp,-MD,X (separate or joined), and the input itself.
std::vector<std::string> output_values(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    for (std::string_view o : {"-o", "-MF", "-MT", "-MQ"}) {
      if (args[i] == o && i + 1 < args.size()) out.push_back(args[i + 1]);
      if (args[i] != o && args[i].starts_with(o)) out.push_back(args[i]);
    }
    if (args[i].starts_with("-Wp,-MD,") || args[i].starts_with("-Wp,-MMD,")) {
      out.push_back(args[i]);
    }
  }
  return out;
}

bool is_dependency_option(std::string_view arg) {
  for (std::string_view o : {"-MD", "-MMD", "-MF", "-MT", "-MQ", "-MP", "-Wp,-MD", "-Wp,-MMD"}) {
    if (arg.starts_with(o)) return true;
  }
  return false;
}

class Cacheable : public ::testing::TestWithParam<Accepted> {};

TEST_P(Cacheable, ReadsInputOutputAndDeps) {
  const auto& p = GetParam();
  auto a = accepted(p.line, p.family, p.plusplus);
  EXPECT_EQ(a.input, p.input);
  EXPECT_EQ(a.language, p.language);
  EXPECT_EQ(a.output, p.output);
  EXPECT_EQ(a.dep_file.value_or(""), p.dep_file);
  EXPECT_EQ(a.dep_targets, p.dep_targets);
  auto args = words(p.line);
  auto forbidden = output_values(args);
  for (const auto& h : a.hashed_args) {
    EXPECT_NE(h, p.input);
    EXPECT_NE(h, "-o");
    EXPECT_NE(h, "-c");
    EXPECT_EQ(std::count(forbidden.begin(), forbidden.end(), h), 0) << h;
  }
  // The -E run gets no compile, output or dependency options, and not the input (appended later).
  for (const auto& pre : a.preprocessor_args) {
    EXPECT_NE(pre, "-c");
    EXPECT_NE(pre, "-o");
    EXPECT_NE(pre, p.input);
    EXPECT_FALSE(is_dependency_option(pre)) << pre;
    EXPECT_EQ(std::count(forbidden.begin(), forbidden.end(), pre), 0) << pre;
  }
}

INSTANTIATE_TEST_SUITE_P(
    BuildSystems, Cacheable,
    ::testing::Values(
        Accepted{"-c a.c", "a.c", L::c, "a.o", ""},
        Accepted{"-c src/a.c", "src/a.c", L::c, "a.o", ""},
        Accepted{"-c a.c -o out/b.o", "a.c", L::c, "out/b.o", ""},
        Accepted{"-c a.c -oout/b.o", "a.c", L::c, "out/b.o", ""},
        // assembler options that write nothing of their own
        Accepted{"-c a.c -Wa,--noexecstack -Wa,-mrelax-relocations=no", "a.c", L::c, "a.o", ""},
        Accepted{"-c a.c -Xassembler --compress-debug-sections", "a.c", L::c, "a.o", ""},
        Accepted{"-O2 -g -Wall -fPIC -DX=1 -I inc -Iinc2 -c a.c -o a.o", "a.c", L::c, "a.o", ""},
        // CMake + Ninja, C and C++
        Accepted{"-DFOO -I/x -O2 -g -MD -MT CMakeFiles/t.dir/a.c.o -MF CMakeFiles/t.dir/a.c.o.d "
                 "-o CMakeFiles/t.dir/a.c.o -c /src/a.c",
                 "/src/a.c",
                 L::c,
                 "CMakeFiles/t.dir/a.c.o",
                 "CMakeFiles/t.dir/a.c.o.d",
                 {"CMakeFiles/t.dir/a.c.o"}},
        Accepted{"-DFOO_EXPORTS -I/src/include -isystem /usr/include/eigen3 -O3 -DNDEBUG -fPIC "
                 "-std=gnu++17 -MD -MT src/CMakeFiles/foo.dir/foo.cpp.o -MF "
                 "src/CMakeFiles/foo.dir/foo.cpp.o.d -o src/CMakeFiles/foo.dir/foo.cpp.o -c "
                 "/src/src/foo.cpp",
                 "/src/src/foo.cpp",
                 L::cxx,
                 "src/CMakeFiles/foo.dir/foo.cpp.o",
                 "src/CMakeFiles/foo.dir/foo.cpp.o.d",
                 {"src/CMakeFiles/foo.dir/foo.cpp.o"},
                 gcc,
                 true},
        // CMake, Unix Makefiles
        Accepted{"-O2 -o CMakeFiles/t.dir/main.c.o -c /src/main.c", "/src/main.c", L::c,
                 "CMakeFiles/t.dir/main.c.o", ""},
        // automake, libtool PIC and non-PIC
        Accepted{"-DHAVE_CONFIG_H -I. -I.. -g -O2 -MT lapi.lo -MD -MP -MF .deps/lapi.Tpo -c lapi.c "
                 "-fPIC -DPIC -o .libs/lapi.o",
                 "lapi.c",
                 L::c,
                 ".libs/lapi.o",
                 ".deps/lapi.Tpo",
                 {"lapi.lo"}},
        Accepted{"-DHAVE_CONFIG_H -I. -I.. -g -O2 -MT lapi.lo -MD -MP -MF .deps/lapi.Tpo -c lapi.c "
                 "-o lapi.o",
                 "lapi.c",
                 L::c,
                 "lapi.o",
                 ".deps/lapi.Tpo",
                 {"lapi.lo"}},
        Accepted{"-DHAVE_CONFIG_H -I. -g -O2 -MT foo.o -MD -MP -MF .deps/foo.Tpo -c -o foo.o foo.c",
                 "foo.c",
                 L::c,
                 "foo.o",
                 ".deps/foo.Tpo",
                 {"foo.o"}},
        Accepted{"-c -g -O2 conftest.c", "conftest.c", L::c, "conftest.o", ""},
        // Meson
        Accepted{"-Ilib/libfoo.a.p -Ilib -fdiagnostics-color=always -D_FILE_OFFSET_BITS=64 -Wall "
                 "-Winvalid-pch -O3 -fPIC -MD -MQ lib/libfoo.a.p/foo.c.o -MF "
                 "lib/libfoo.a.p/foo.c.o.d -o lib/libfoo.a.p/foo.c.o -c ../lib/foo.c",
                 "../lib/foo.c",
                 L::c,
                 "lib/libfoo.a.p/foo.c.o",
                 "lib/libfoo.a.p/foo.c.o.d",
                 {"lib/libfoo.a.p/foo.c.o"}},
        Accepted{"-Isrc/app.p -fdiagnostics-color=always -D_GLIBCXX_ASSERTIONS=1 -std=c++17 -g "
                 "-MD -MQ 'src/app.p/my main.cpp.o' -MF 'src/app.p/my main.cpp.o.d' -o "
                 "'src/app.p/my main.cpp.o' -c '../src/my main.cpp'",
                 "../src/my main.cpp",
                 L::cxx,
                 "src/app.p/my main.cpp.o",
                 "src/app.p/my main.cpp.o.d",
                 {"src/app.p/my\\ main.cpp.o"},
                 clang,
                 true},
        // Linux kernel (Kbuild): dependency file through -Wp, named after the input by gcc
        Accepted{"-Wp,-MMD,kernel/.fork.o.d -nostdinc -I./arch/x86/include -I./include -include "
                 "./include/linux/kconfig.h -D__KERNEL__ -fno-PIE -mcmodel=kernel -O2 "
                 "'-DKBUILD_MODFILE=\"kernel/fork\"' -DKBUILD_BASENAME='\"fork\"' -c -o "
                 "kernel/fork.o kernel/fork.c",
                 "kernel/fork.c",
                 L::c,
                 "kernel/fork.o",
                 "kernel/.fork.o.d",
                 {"fork.o"}},
        Accepted{"-Wp,-MMD,kernel/.fork.o.d -nostdinc -D__KERNEL__ -c -o kernel/fork.o "
                 "kernel/fork.c",
                 "kernel/fork.c",
                 L::c,
                 "kernel/fork.o",
                 "kernel/.fork.o.d",
                 {},
                 clang},
        Accepted{"-Wp,-MD,arch/x86/entry/.entry_64.o.d -D__ASSEMBLY__ -c -o "
                 "arch/x86/entry/entry_64.o arch/x86/entry/entry_64.S",
                 "arch/x86/entry/entry_64.S",
                 L::assembler_with_cpp,
                 "arch/x86/entry/entry_64.o",
                 "arch/x86/entry/.entry_64.o.d",
                 {"entry_64.o"}},
        Accepted{"-Wp,-MD,out/t.dep -MQ 'a b' -c x.c -o out/t.o",
                 "x.c",
                 L::c,
                 "out/t.o",
                 "out/t.dep",
                 {"a\\ b"}},
        Accepted{"-nostdinc -isystem inc -D__KERNEL__ -mcmodel=kernel -fno-pic -c kernel/fork.c "
                 "-o kernel/fork.o",
                 "kernel/fork.c", L::c, "kernel/fork.o", ""},
        Accepted{"-Werror -Oz -c -x c /dev/null -o .178435.tmp", "/dev/null", L::c, ".178435.tmp",
                 ""}));

INSTANTIATE_TEST_SUITE_P(
    DependencyFiles, Cacheable,
    ::testing::Values(
        Accepted{"-c a.c -o out/y.o -MD", "a.c", L::c, "out/y.o", "out/y.d"},
        Accepted{"-c a.c -o out/y -MMD", "a.c", L::c, "out/y", "out/y.d"},
        Accepted{"-c a.c -o out/y.c.o -MD", "a.c", L::c, "out/y.c.o", "out/y.c.d"},
        Accepted{"-c a.c -o out.dir/y -MD", "a.c", L::c, "out.dir/y", "out.dir/y.d"},
        Accepted{"-c a.c -o out/.hidden -MD", "a.c", L::c, "out/.hidden", "out/.d", {}, clang},
        Accepted{"-c a.c -MD -o y.o.tmp", "a.c", L::c, "y.o.tmp", "y.o.d"},
        Accepted{"-c sub/a.c -MD", "sub/a.c", L::c, "a.o", "a.d"},
        Accepted{"-c a.c -o 'out/sp ace.o' -MD", "a.c", L::c, "out/sp ace.o", "out/sp ace.d"},
        Accepted{
            "-c a.c -MD -MFdeps/a.d -MTt1 -MT t2", "a.c", L::c, "a.o", "deps/a.d", {"t1", "t2"}},
        Accepted{"-c a.c -MD -MQ '$x# y'", "a.c", L::c, "a.o", "a.d", {"$$x\\#\\ y"}},
        // gcc 12 and clang 14 write: a\ b c\\\ d e\\\\\ f (the line is split gcc-style)
        Accepted{R"(-c a.c -MD -MT a\\\ b -MQ c\\\ d -MQ e\\\\\ f)",
                 "a.c",
                 L::c,
                 "a.o",
                 "a.d",
                 {R"(a\ b)", R"(c\\\ d)", R"(e\\\\\ f)"},
                 clang},
        Accepted{R"(-c a.c -MD -MT a\\\ b -MQ c\\\ d -MQ e\\\\\ f)",
                 "a.c",
                 L::c,
                 "a.o",
                 "a.d",
                 {R"(a\ b)", R"(e\\\\\ f)", R"(c\\\ d)"}},
        // gcc passes -MQ before -MT and then swaps each -MT with the first quoted target
        Accepted{"-c a.c -MD -MQ q1 -MT t1 -MQ q2 -MT t2",
                 "a.c",
                 L::c,
                 "a.o",
                 "a.d",
                 {"t1", "t2", "q1", "q2"}},
        Accepted{"-c a.c -MD -MQ q1 -MT t1 -MQ q2 -MT t2",
                 "a.c",
                 L::c,
                 "a.o",
                 "a.d",
                 {"q1", "t1", "q2", "t2"},
                 clang},
        Accepted{
            "-c a.c -MD -MT x -MQ c -MQ e -MQ f", "a.c", L::c, "a.o", "a.d", {"x", "e", "f", "c"}},
        Accepted{"-c a.c -MD -MF /dev/null", "a.c", L::c, "a.o", ""},
        Accepted{"-c a.c -MT ignored-without-MD", "a.c", L::c, "a.o", ""},
        Accepted{"-c a.c -MMD -MP -MG -MF a.dep", "a.c", L::c, "a.o", "a.dep"}));

INSTANTIATE_TEST_SUITE_P(
    Languages, Cacheable,
    ::testing::Values(Accepted{"-c a.cc", "a.cc", L::cxx, "a.o", ""},
                      Accepted{"-c a.cp", "a.cp", L::cxx, "a.o", ""},
                      Accepted{"-c a.cxx", "a.cxx", L::cxx, "a.o", ""},
                      Accepted{"-c a.cpp", "a.cpp", L::cxx, "a.o", ""},
                      Accepted{"-c a.CPP", "a.CPP", L::cxx, "a.o", ""},
                      Accepted{"-c a.C", "a.C", L::cxx, "a.o", ""},
                      Accepted{"-c a.c++", "a.c++", L::cxx, "a.o", ""},
                      Accepted{"-c a.m", "a.m", L::objc, "a.o", ""},
                      Accepted{"-c a.mm", "a.mm", L::objcxx, "a.o", ""},
                      Accepted{"-c a.M", "a.M", L::objcxx, "a.o", ""},
                      Accepted{"-c a.i", "a.i", L::c_preprocessed, "a.o", ""},
                      Accepted{"-c a.ii", "a.ii", L::cxx_preprocessed, "a.o", ""},
                      Accepted{"-c a.mi", "a.mi", L::objc_preprocessed, "a.o", ""},
                      Accepted{"-c a.mii", "a.mii", L::objcxx_preprocessed, "a.o", ""},
                      Accepted{"-c a.s", "a.s", L::assembler, "a.o", ""},
                      Accepted{"-c a.S", "a.S", L::assembler_with_cpp, "a.o", ""},
                      Accepted{"-c a.sx", "a.sx", L::assembler_with_cpp, "a.o", ""},
                      Accepted{"-c a.tar.c", "a.tar.c", L::c, "a.tar.o", ""},
                      Accepted{"-x c++ -c a.c", "a.c", L::cxx, "a.o", ""},
                      Accepted{"-xc++ -c a.c", "a.c", L::cxx, "a.o", ""},
                      Accepted{"-x c -c a.weird", "a.weird", L::c, "a.o", ""},
                      Accepted{"-x c -c dir/noext", "dir/noext", L::c, "noext.o", ""},
                      Accepted{"-x assembler-with-cpp -c a.asm", "a.asm", L::assembler_with_cpp,
                               "a.o", ""},
                      Accepted{"-x cpp-output -c a.txt", "a.txt", L::c_preprocessed, "a.o", ""},
                      Accepted{"-x c++ -x none -c a.c", "a.c", L::c, "a.o", ""},
                      Accepted{"-c a.c -x c++", "a.c", L::c, "a.o", ""},
                      // g++ / clang++ compile .c and .i as C++; -x still wins
                      Accepted{"-c a.c", "a.c", L::cxx, "a.o", "", {}, gcc, true},
                      Accepted{"-c a.i", "a.i", L::cxx_preprocessed, "a.o", "", {}, gcc, true},
                      Accepted{"-x c -c a.c", "a.c", L::c, "a.o", "", {}, gcc, true},
                      Accepted{"-c a.m", "a.m", L::objc, "a.o", "", {}, clang, true},
                      Accepted{"-c a.c", "a.c", L::cxx, "a.o", "", {}, clang, true}));

INSTANTIATE_TEST_SUITE_P(
    Options, Cacheable,
    ::testing::Values(
        Accepted{"-c a.c -pipe -fcolor-diagnostics", "a.c", L::c, "a.o", ""},
        Accepted{"-target x86_64-linux-gnu -c a.c", "a.c", L::c, "a.o", "", {}, clang},
        Accepted{"--target=aarch64-linux-gnu -c a.c", "a.c", L::c, "a.o", "", {}, clang},
        Accepted{"--sysroot=/sys -c a.c", "a.c", L::c, "a.o", ""},
        Accepted{"--sysroot /sys -c a.c", "a.c", L::c, "a.o", ""},
        Accepted{"-isysroot /sdk -c a.c", "a.c", L::c, "a.o", "", {}, clang},
        Accepted{"-isystem /usr/x -iquote q -idirafter d -include pre.h -imacros m.h -c a.c", "a.c",
                 L::c, "a.o", ""},
        Accepted{"-D X=1 -U Y -I inc -iprefix p -iwithprefix w -imultilib m -c a.c", "a.c", L::c,
                 "a.o", ""},
        Accepted{"-Xclang -fno-pch-timestamp -c a.c", "a.c", L::c, "a.o", "", {}, clang},
        Accepted{"-mllvm -inline-threshold=100 -c a.c", "a.c", L::c, "a.o", "", {}, clang},
        Accepted{"-gcc-toolchain /opt/gcc -c a.c", "a.c", L::c, "a.o", "", {}, clang},
        Accepted{"-Xpreprocessor -DX -c a.c", "a.c", L::c, "a.o", ""},
        Accepted{"-Wa,--noexecstack -Xassembler --gdwarf-5 -Wl,-z,now -Xlinker -v -c a.c", "a.c",
                 L::c, "a.o", ""},
        Accepted{"-Wp,-D_FORTIFY_SOURCE=2 -c a.c", "a.c", L::c, "a.o", ""},
        Accepted{"-arch x86_64 -arch x86_64 -c a.c", "a.c", L::c, "a.o", "", {}, clang},
        Accepted{"-fprofile-instr-use=x.profdata -c a.c", "a.c", L::c, "a.o", "", {}, clang},
        Accepted{"-fprofile-generate -c a.c", "a.c", L::c, "a.o", "", {}, clang},
        Accepted{"-g -gdwarf-4 -c a.c", "a.c", L::c, "a.o", ""},
        Accepted{"-c -o out.o -- a.c", "a.c", L::c, "out.o", "", {}, clang},
        Accepted{"-c a.c -fdiagnostics-color=never -fno-diagnostics-color", "a.c", L::c, "a.o", ""},
        Accepted{"--param max-inline-insns-single=100 --param=l1-cache-size=64 -c a.c", "a.c", L::c,
                 "a.o", ""}));

// -S: the output is assembly; without -o, <stem>.s, while the dependency rule still names <stem>.o.
INSTANTIATE_TEST_SUITE_P(
    Assembly, Cacheable,
    ::testing::Values(Accepted{"-S a.c", "a.c", L::c, "a.s", ""},
                      Accepted{"-S src/a.c -O2", "src/a.c", L::c, "a.s", ""},
                      Accepted{"-S -c a.c -o out/x.s", "a.c", L::c, "out/x.s", ""},
                      Accepted{"-S -MD src/a.c", "src/a.c", L::c, "a.s", "a.d", {"a.o"}},
                      Accepted{"-S -MD a.c", "a.c", L::c, "a.s", "a.d", {"a.o"}, clang},
                      Accepted{"-S -MD a.c -o out/x.s", "a.c", L::c, "out/x.s", "out/x.d"},
                      Accepted{"-S -MD -MT t a.cpp", "a.cpp", L::cxx, "a.s", "a.d", {"t"}}));

TEST(ParseArgs, SwallowsShellRedirectionsAsInputsOnlyWhenWrittenSo) {
  // A build log line pasted with its redirections has three inputs: not cacheable.
  auto r = parse("-MT lapi.lo -MD -c lapi.c -o lapi.o >/dev/null 2>&1");
  ASSERT_TRUE(std::holds_alternative<CannotCache>(r));
  EXPECT_EQ(std::get<CannotCache>(r).reason, "multiple input files");
}

// clang's CUDA mode is a language of the clang family (nvcc has a family of its own).
TEST(ParseArgs, ClangCompilesCudaByExtensionOrX) {
  auto device =
      accepted("--cuda-device-only --cuda-gpu-arch=sm_75 -nocudainc -c k.cu -o k.cubin", clang);
  EXPECT_EQ(device.language, Language::cuda);
  EXPECT_EQ(device.output, "k.cubin");
  EXPECT_EQ(accepted("-x cuda -c k.cc", clang).language, Language::cuda);
  EXPECT_EQ(key_name(Language::cuda), "cuda-cpp-output");
}

TEST(ParseArgs, HashedArgsKeepOrderAndDropOutputsAndColor) {
  auto a =
      accepted("-O2 -DX=1 -c a.c -o b.o -MD -MF b.d -MT t -fdiagnostics-color=always -pipe -g");
  EXPECT_EQ(a.hashed_args, (std::vector<std::string>{"-O2", "-DX=1", "-MD", "-g"}));
  EXPECT_EQ(a.preprocessor_args, (std::vector<std::string>{"-O2", "-DX=1", "-pipe", "-g"}));
  EXPECT_EQ(a.color, ColorChoice::always);
  EXPECT_TRUE(a.debug_info);
}

TEST(ParseArgs, XBeforeTheInputIsKeptForTheRunWithE) {
  auto a = accepted("-x c++ -c a.c -o a.o");
  EXPECT_EQ(a.preprocessor_args, (std::vector<std::string>{"-x", "c++"}));
  EXPECT_TRUE(a.language_from_x);
  EXPECT_FALSE(accepted("-c a.cpp").language_from_x);
}

TEST(ParseArgs, XAfterTheInputIsUndoneForTheRunWithE) {
  // The caller appends -E and the input: a trailing -x c++ would otherwise apply to it.
  auto a = accepted("-c a.c -x c++");
  EXPECT_EQ(a.language, Language::c);
  EXPECT_EQ(a.preprocessor_args, (std::vector<std::string>{"-x", "c++", "-x", "none"}));
  auto b = accepted("-x c -c a.weird -x c++");
  EXPECT_EQ(b.preprocessor_args, (std::vector<std::string>{"-x", "c", "-x", "c++", "-x", "c"}));
}

TEST(ParseArgs, KernelDependencyOptionIsHashedWithoutItsFile) {
  auto a = accepted("-Wp,-MMD,kernel/.fork.o.d -O2 -c -o kernel/fork.o kernel/fork.c");
  EXPECT_EQ(a.hashed_args, (std::vector<std::string>{"-Wp,-MMD", "-O2"}));
  EXPECT_EQ(a.preprocessor_args, (std::vector<std::string>{"-O2"}));
}

TEST(ParseArgs, DefineValuesAndOrderChangeHashedArgs) {
  EXPECT_NE(accepted("-DX=1 -c a.c").hashed_args, accepted("-DX=2 -c a.c").hashed_args);
  EXPECT_NE(accepted("-Ia -Ib -c a.c").hashed_args, accepted("-Ib -Ia -c a.c").hashed_args);
  EXPECT_NE(accepted("-O2 -c a.c").hashed_args, accepted("-O3 -c a.c").hashed_args);
  EXPECT_EQ(accepted("-c a.c -o x.o").hashed_args, accepted("-c b.c -o y/z.o").hashed_args);
  EXPECT_EQ(accepted("-c a.c -MD -MF x.d").hashed_args, accepted("-c a.c -MD -MF y.d").hashed_args);
  EXPECT_NE(accepted("-c a.c -MD").hashed_args, accepted("-c a.c -MMD").hashed_args);
}

TEST(ParseArgs, ColorChoices) {
  EXPECT_EQ(accepted("-c a.c").color, ColorChoice::automatic);
  EXPECT_EQ(accepted("-c a.c -fdiagnostics-color").color, ColorChoice::always);
  EXPECT_EQ(accepted("-c a.c -fcolor-diagnostics").color, ColorChoice::always);
  EXPECT_EQ(accepted("-c a.c -fno-color-diagnostics").color, ColorChoice::never);
  EXPECT_EQ(accepted("-c a.c -fdiagnostics-color=never").color, ColorChoice::never);
  EXPECT_EQ(accepted("-c a.c -fno-diagnostics-color").color, ColorChoice::never);
  EXPECT_EQ(accepted("-c a.c -fdiagnostics-color -fdiagnostics-color=auto").color,
            ColorChoice::automatic);
  EXPECT_EQ(accepted("-c a.c -fansi-escape-codes").color, ColorChoice::automatic);
  auto plain = accepted("-c a.c -fdiagnostics-color=always -fdiagnostics-plain-output");
  EXPECT_EQ(plain.color, ColorChoice::never);
  EXPECT_EQ(plain.hashed_args, (std::vector<std::string>{"-fdiagnostics-plain-output"}));
  EXPECT_TRUE(
      accepted("-c a.c -fcolor-diagnostics -fdiagnostics-color=always").hashed_args.empty());
}

TEST(ParseArgs, AssemblyIsKeyedApartFromObjects) {
  auto s = accepted("-S -O2 a.c");
  EXPECT_TRUE(s.assembly);
  EXPECT_EQ(s.hashed_args, (std::vector<std::string>{"-S", "-O2"}));
  EXPECT_EQ(s.preprocessor_args, (std::vector<std::string>{"-O2"}));
  EXPECT_FALSE(accepted("-c -O2 a.c").assembly);
  EXPECT_NE(s.hashed_args, accepted("-c -O2 a.c").hashed_args);
}

// Files named after the output, and the output's path in the key (checked with gcc 12, clang 14).
TEST(ParseArgs, SplitDwarfWritesADwoNamedAfterTheObject) {
  auto a = accepted("-g -gsplit-dwarf -c a.c -o out/b.o");
  EXPECT_EQ(a.side_outputs, (std::vector<SideOutput>{{"dwo", "out/b.dwo"}}));
  EXPECT_TRUE(a.output_path_in_result);
  EXPECT_EQ(a.hashed_args, (std::vector<std::string>{"-g", "-gsplit-dwarf"}));
  EXPECT_EQ(accepted("-gsplit-dwarf -c src/a.c").side_outputs,
            (std::vector<SideOutput>{{"dwo", "a.dwo"}}));
  EXPECT_EQ(accepted("-g -gsplit-dwarf=split -c a.c -o x").side_outputs,
            (std::vector<SideOutput>{{"dwo", "x.dwo"}}));
  auto single = accepted("-g -gsplit-dwarf=single -c a.c", clang);
  EXPECT_TRUE(single.side_outputs.empty());
  EXPECT_FALSE(single.output_path_in_result);
  EXPECT_TRUE(accepted("-g -gsplit-dwarf -S a.c").side_outputs.empty());  // no .dwo from -S
}

TEST(ParseArgs, CoverageWritesAGcnoAndProfilingNamesTheGcda) {
  auto a = accepted("--coverage -c a.c -o out/b.o");
  EXPECT_EQ(a.side_outputs, (std::vector<SideOutput>{{"gcno", "out/b.gcno"}}));
  EXPECT_TRUE(a.output_path_in_result);
  EXPECT_EQ(accepted("-ftest-coverage -c a.c").side_outputs,
            (std::vector<SideOutput>{{"gcno", "a.gcno"}}));
  EXPECT_EQ(accepted("-coverage -S a.c -o a.s").side_outputs,
            (std::vector<SideOutput>{{"gcno", "a.gcno"}}));
  for (const char* line :
       {"-fprofile-arcs -c a.c", "-fprofile-generate -c a.c", "-fprofile-generate=prof -c a.c"}) {
    auto p = accepted(line);
    EXPECT_TRUE(p.side_outputs.empty()) << line;
    EXPECT_TRUE(p.output_path_in_result) << line;
  }
  EXPECT_FALSE(accepted("-fprofile-generate -c a.c", clang).output_path_in_result);  // .profraw
  EXPECT_TRUE(accepted("-fprofile-arcs -c a.c", clang).output_path_in_result);
  EXPECT_FALSE(accepted("-O2 -g -c a.c").output_path_in_result);
}

TEST(ParseArgs, DebugInfo) {
  EXPECT_FALSE(accepted("-c a.c").debug_info);
  EXPECT_FALSE(accepted("-g -g0 -c a.c").debug_info);
  EXPECT_TRUE(accepted("-g0 -g -c a.c").debug_info);
  EXPECT_TRUE(accepted("-ggdb3 -c a.c").debug_info);
  EXPECT_TRUE(accepted("-gdwarf-4 -c a.c").debug_info);
  EXPECT_TRUE(accepted("-gline-tables-only -c a.c", clang).debug_info);
  // Modifiers alone produce no debug information (checked with readelf on gcc 12 and clang 14).
  EXPECT_FALSE(
      accepted("-gz -grecord-gcc-switches -gno-column-info -gstrict-dwarf -c a.c").debug_info);
  EXPECT_FALSE(accepted("-gcc-toolchain /opt/gcc -c a.c", clang).debug_info);
}

TEST(ParseArgs, ExtraFilesAreListed) {
  auto a = accepted("-fprofile-instr-use=x.profdata -fsanitize-ignorelist=ign.txt -c a.c", clang);
  EXPECT_EQ(a.extra_hashed_files, (std::vector<std::string>{"x.profdata", "ign.txt"}));
  auto b = accepted("-fprofile-use=/p/app.profdata -fprofile-use -c a.c", clang);
  EXPECT_EQ(b.extra_hashed_files,
            (std::vector<std::string>{"/p/app.profdata", "default.profdata"}));
  auto c = accepted("-include-pch pch.h.pch -ivfsoverlay v.yaml -fplugin=./p.so -c a.c", clang);
  EXPECT_EQ(c.extra_hashed_files, (std::vector<std::string>{"pch.h.pch", "v.yaml", "./p.so"}));
}

TEST(ParseArgs, ClangProfileDirectoryMeansItsDefaultProfile) {
  auto tmp = util::TempDir::create_or_throw("sccache-prof-");
  const std::string dir = tmp.path().string();
  std::filesystem::create_directory(dir + "/prof");
  auto r = parse_arguments(words("-fprofile-use=prof -c a.c"), dir, clang, false);
  ASSERT_TRUE(std::holds_alternative<ParsedArgs>(r));
  EXPECT_EQ(std::get<ParsedArgs>(r).extra_hashed_files,
            (std::vector<std::string>{"prof/default.profdata"}));
}

TEST(ParseArgs, CMakePrecompiledHeaderThroughXclangIsHashed) {
  auto a = accepted(
      "-Xclang -include-pch -Xclang /b/cmake_pch.hxx.pch -Xclang -include -Xclang /b/cmake_pch.hxx "
      "-c a.cpp -o a.o",
      clang);
  EXPECT_EQ(a.extra_hashed_files, (std::vector<std::string>{"/b/cmake_pch.hxx.pch"}));
  EXPECT_EQ(a.preprocessor_args.size(), 8u);
}

TEST(ParseArgs, PlusPlusDriverDoesNotChangeAssembler) {
  EXPECT_EQ(accepted("-c a.S", gcc, true).language, Language::assembler_with_cpp);
  EXPECT_EQ(accepted("-c a.s", clang, true).language, Language::assembler);
}

TEST(ParseArgs, GccRejectsDoubleDashSoItStaysAnOption) {
  auto a = accepted("-c -- a.c");
  EXPECT_EQ(a.input, "a.c");
  EXPECT_EQ(a.hashed_args, (std::vector<std::string>{"--"}));
  auto b = accepted("-c -- a.c", clang);
  EXPECT_TRUE(b.hashed_args.empty());
  EXPECT_TRUE(b.preprocessor_args.empty());
}

}  // namespace
}  // namespace sccache::compiler::c_family
