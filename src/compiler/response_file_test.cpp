#include "compiler/response_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "compiler/c_family/parsed_args.hpp"
#include "util/temp_dir.hpp"

namespace sccache::compiler {
namespace {

using namespace c_family;  // (gcc-style command lines are what @files hold here)

std::string describe(const ParseResult& r) {
  if (std::holds_alternative<NotCompilation>(r)) return "not a compile";
  if (auto* c = std::get_if<CannotCache>(&r)) return "cannot cache: " + c->reason;
  return "cacheable";
}

TEST(ResponseFile, SplitsLikeGcc) {
  EXPECT_EQ(split_response_file("-c  a.c\n-DX=\"a b\" 'q r' x\\ y"),
            (std::vector<std::string>{"-c", "a.c", "-DX=a b", "q r", "x y"}));
  EXPECT_EQ(split_response_file("-DA='s\\\\t' -DB=\"q\\\"r\""),
            (std::vector<std::string>{"-DA=s\\t", "-DB=q\"r"}));
  EXPECT_EQ(split_response_file("-DC=a'b c'd\t\r\n"), (std::vector<std::string>{"-DC=ab cd"}));
  EXPECT_EQ(split_response_file(""), std::vector<std::string>{});
  EXPECT_EQ(split_response_file(" \n\t "), std::vector<std::string>{});
  EXPECT_EQ(split_response_file("''"), std::vector<std::string>{""});
  // No comments: gcc 12 and clang 14 both take "#comment" for an input file.
  EXPECT_EQ(split_response_file("-DA=1 #comment"), (std::vector<std::string>{"-DA=1", "#comment"}));
}

class ResponseFiles : public ::testing::Test {
 protected:
  void write(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(m_dir / name).parent_path());
    std::ofstream(m_dir / name) << text;
  }
  ParseResult parse_in_dir(const std::string& line) {
    return parse_arguments(split_response_file(line), m_dir.string(), Family::gcc, false);
  }
  util::TempDir m_tmp = util::TempDir::create_or_throw("sccache-rsp-");
  std::filesystem::path m_dir = m_tmp.path();
};

TEST_F(ResponseFiles, ExpandNestedFilesRelativeToCwd) {
  write("outer.rsp", "-O2 @inner.rsp -o out.o");
  write("inner.rsp", "-c a.c");
  auto r = parse_in_dir("@outer.rsp -DZ");
  auto* a = std::get_if<ParsedArgs>(&r);
  ASSERT_NE(a, nullptr) << describe(r);
  EXPECT_EQ(a->input, "a.c");
  EXPECT_EQ(a->output, "out.o");
  EXPECT_EQ(a->hashed_args, (std::vector<std::string>{"-O2", "-DZ"}));
}

TEST_F(ResponseFiles, NestedNamesAreNotRelativeToTheOuterFile) {
  // gcc 12 and clang 14 both read rsp/outer.rsp's "@inner.rsp" from the working directory.
  write("rsp/outer.rsp", "@inner.rsp");
  write("rsp/inner.rsp", "-DFROM_RSP_DIR");
  write("inner.rsp", "-DFROM_CWD -c a.c");
  auto r = parse_in_dir("@rsp/outer.rsp");
  ASSERT_TRUE(std::holds_alternative<ParsedArgs>(r)) << describe(r);
  EXPECT_EQ(std::get<ParsedArgs>(r).hashed_args, (std::vector<std::string>{"-DFROM_CWD"}));
}

TEST_F(ResponseFiles, NinjaStyleWithQuotedPaths) {
  write("CMakeFiles/t.dir/a.c.o.rsp",
        "-DX=\"a b\" -I'/src/my dir' -MD -MT CMakeFiles/t.dir/a.c.o -MF CMakeFiles/t.dir/a.c.o.d");
  auto r = parse_in_dir("@CMakeFiles/t.dir/a.c.o.rsp -o CMakeFiles/t.dir/a.c.o -c /src/a.c");
  auto* a = std::get_if<ParsedArgs>(&r);
  ASSERT_NE(a, nullptr) << describe(r);
  EXPECT_EQ(a->dep_file, "CMakeFiles/t.dir/a.c.o.d");
  EXPECT_EQ(a->hashed_args, (std::vector<std::string>{"-DX=a b", "-I/src/my dir", "-MD"}));
}

TEST_F(ResponseFiles, AnAbsoluteNameIsReadAsIs) {
  write("abs.rsp", "-c a.c");
  auto r = parse_arguments({"@" + (m_dir / "abs.rsp").string()}, "/", Family::gcc, false);
  ASSERT_TRUE(std::holds_alternative<ParsedArgs>(r)) << describe(r);
}

TEST_F(ResponseFiles, MissingOrEndlessFilesAreNotCached) {
  auto missing = parse_in_dir("-c a.c @missing.rsp");
  ASSERT_TRUE(std::holds_alternative<CannotCache>(missing));
  EXPECT_EQ(std::get<CannotCache>(missing).reason, "@file");
  write("loop.rsp", "-O2 @loop.rsp");
  auto loop = parse_in_dir("-c a.c @loop.rsp");
  ASSERT_TRUE(std::holds_alternative<CannotCache>(loop));
  EXPECT_EQ(std::get<CannotCache>(loop).reason, "@file");
}

// 7 levels of 10 files each once took 19 s and 688 MB: every expansion is bounded in the number
// of files read, their total size, the depth and the arguments it yields.
TEST_F(ResponseFiles, FanOutSizeAndLengthAreBounded) {
  for (int level = 0; level < 7; ++level) {
    std::string text;
    for (int i = 0; i < 10; ++i)
      text += level == 6 ? "-DX " : "@l" + std::to_string(level + 1) + ".rsp ";
    write("l" + std::to_string(level) + ".rsp", text);
  }
  auto fan_out = parse_in_dir("-c a.c @l0.rsp");  // a million files: refused after the 256th
  ASSERT_TRUE(std::holds_alternative<CannotCache>(fan_out)) << describe(fan_out);
  EXPECT_EQ(std::get<CannotCache>(fan_out).reason, "@file");
  write("big.rsp", std::string(k_max_response_bytes + 1, 'x'));
  EXPECT_TRUE(std::holds_alternative<CannotCache>(parse_in_dir("-c a.c @big.rsp")));
  std::string many;
  for (std::size_t i = 0; i <= k_max_arguments; ++i) many += "-D ";
  write("many.rsp", many);
  EXPECT_TRUE(std::holds_alternative<CannotCache>(parse_in_dir("-c a.c @many.rsp")));
  write("few.rsp", "-DA -DB");
  EXPECT_TRUE(std::holds_alternative<ParsedArgs>(parse_in_dir("-c a.c @few.rsp @few.rsp")));
}

TEST_F(ResponseFiles, AResponseFileCanHoldAnEntireLink) {
  write("link.rsp", "a.o b.o -o prog");
  EXPECT_TRUE(std::holds_alternative<NotCompilation>(parse_in_dir("@link.rsp")));
}

}  // namespace
}  // namespace sccache::compiler
