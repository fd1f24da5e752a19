// Expected words are what dash (Debian's /bin/sh) makes of each line: checked with
// `sh -c 'for a in "$@"; do echo "[$a]"; done' x <line>` where it runs.
#include "compiler/cuda/shell_words.hpp"

#include <gtest/gtest.h>

#include <map>
#include <ostream>

namespace sccache::compiler::cuda {
namespace {

using Strings = std::vector<std::string>;

const std::map<std::string, std::string, std::less<>> k_vars = {
    {"CICC_PATH", "/usr/local/cuda/bin/../nvvm/bin"},
    {"TWO", "a  b"},
    {"EMPTY", ""},
    {"QUOTED", "\"-I/x\"  "},
};

std::optional<std::string> lookup(std::string_view name) {
  auto it = k_vars.find(name);
  if (it == k_vars.end()) return std::nullopt;
  return it->second;
}

util::Result<ShellCommand> split(std::string_view line) {
  return split_shell_command(line, lookup);
}

struct Words {
  std::string line;
  Strings argv;
};

std::ostream& operator<<(std::ostream& out, const Words& w) {
  return out << w.line;
}

class ShellWordsSplit : public ::testing::TestWithParam<Words> {};

TEST_P(ShellWordsSplit, SplitAsShDoes) {
  auto command = split(GetParam().line);
  ASSERT_TRUE(command.has_value()) << command.error().message;
  EXPECT_EQ(command->argv, GetParam().argv);
  EXPECT_FALSE(command->stdout_path.has_value());
  EXPECT_FALSE(command->stderr_path.has_value());
}

INSTANTIATE_TEST_SUITE_P(
    Quoting, ShellWordsSplit,
    ::testing::Values(
        Words{"", {}}, Words{"  \t ", {}}, Words{"gcc -E x.cu", {"gcc", "-E", "x.cu"}},
        Words{"gcc  \"-I/usr/include\"   \"-isystem\" \"/a b\"",
              {"gcc", "-I/usr/include", "-isystem", "/a b"}},
        Words{"\"/usr/bin\"/g++-12 -c", {"/usr/bin/g++-12", "-c"}},
        Words{"fatbinary --cicc-cmdline=\"-ftz=0 -prec_div=1 \" x",
              {"fatbinary", "--cicc-cmdline=-ftz=0 -prec_div=1 ", "x"}},
        Words{"a '' \"\" b", {"a", "", "", "b"}}, Words{"'$TWO \\ \"'", {"$TWO \\ \""}},
        Words{"\"a\\\"b\\\\c\\d\\$e\"", {"a\"b\\c\\d$e"}}, Words{"a\\ b\\\"c", {"a b\"c"}},
        Words{"a \\\n b", {"a", "b"}}, Words{"\"a\nb\"", {"a\nb"}}, Words{"a\nb", {"a", "b"}},
        Words{"cost $ 5 $", {"cost", "$", "5", "$"}}, Words{"a$/b", {"a$/b"}},
        Words{"x=1 a=b", {"x=1", "a=b"}}));

INSTANTIATE_TEST_SUITE_P(
    Expansion, ShellWordsSplit,
    ::testing::Values(Words{"\"$CICC_PATH/cicc\" -arch",
                            {"/usr/local/cuda/bin/../nvvm/bin/cicc", "-arch"}},
                      Words{"${CICC_PATH}/cicc", {"/usr/local/cuda/bin/../nvvm/bin/cicc"}},
                      Words{"x $TWO y", {"x", "a", "b", "y"}},  // unquoted: split
                      Words{"x \"$TWO\" y", {"x", "a  b", "y"}}, Words{"x$TWO", {"xa", "b"}},
                      Words{"x $EMPTY y", {"x", "y"}}, Words{"x \"$EMPTY\" y", {"x", "", "y"}},
                      Words{"x $UNSET y", {"x", "y"}},
                      Words{"$QUOTED", {"\"-I/x\""}},  // quotes from a value are characters
                      Words{"$CICC_PATH_X", {}}));     // the longest name, unset

struct Redirect {
  std::string line;
  Strings argv;
  std::string out;  // "" = none
  std::string err;
};

std::ostream& operator<<(std::ostream& out, const Redirect& r) {
  return out << r.line;
}

class Redirections : public ::testing::TestWithParam<Redirect> {};

TEST_P(Redirections, AreTakenOutOfTheArguments) {
  auto command = split(GetParam().line);
  ASSERT_TRUE(command.has_value()) << command.error().message;
  EXPECT_EQ(command->argv, GetParam().argv);
  EXPECT_EQ(command->stdout_path.value_or(""), GetParam().out);
  EXPECT_EQ(command->stderr_path.value_or(""), GetParam().err);
}

INSTANTIATE_TEST_SUITE_P(Forms, Redirections,
                         ::testing::Values(Redirect{"ptxas x.ptx  > /tmp/o_stdout 2>/tmp/o_stderr",
                                                    {"ptxas", "x.ptx"},
                                                    "/tmp/o_stdout",
                                                    "/tmp/o_stderr"},
                                           Redirect{"-- Filter Dependencies -- > k.cu.o.d",
                                                    {"--", "Filter", "Dependencies", "--"},
                                                    "k.cu.o.d",
                                                    ""},
                                           Redirect{"a >o 2> e", {"a"}, "o", "e"},
                                           Redirect{"a >> o", {"a"}, "o", ""},
                                           Redirect{"a b>o", {"a", "b"}, "o", ""},
                                           Redirect{"a 1>o", {"a"}, "o", ""},
                                           Redirect{"a \"2\">o", {"a", "2"}, "o", ""},
                                           Redirect{"a > \"o p\"", {"a"}, "o p", ""},
                                           Redirect{"a '>' b", {"a", ">", "b"}, "", ""}));

TEST(ShellWords, RefusesWhatItDoesNotRun) {
  for (const char* line : {"a \"b", "a 'b",  "a ${B",   "a ${B-c}", "a ${}",     "a | b",  "a && b",
                           "a ;",   "a < b", "(a)",     "a `b`",    "a \"`b`\"", "a $(b)", "a $1",
                           "a $?",  "a >",   "a > > b", "a 2>",     "a 2>&1",    "a 12>o"}) {
    auto command = split(line);
    ASSERT_FALSE(command.has_value()) << line;
    EXPECT_EQ(command.error().code, util::ErrorCode::corrupt) << line;
  }
}

TEST(ShellWords, ExpansionIsBounded) {
  std::string big(k_max_command_bytes / 2 + 1, 'x');
  auto lookup_big = [&](std::string_view) -> std::optional<std::string> { return big; };
  EXPECT_TRUE(split_shell_command("$A", lookup_big).has_value());
  auto twice = split_shell_command("$A$A", lookup_big);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, util::ErrorCode::too_large);
}

TEST(ShellWords, WithoutALookupVariablesAreEmpty) {
  auto command = split_shell_command("a $B \"$C\"", nullptr);
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(command->argv, (Strings{"a", ""}));
}

TEST(ShellWords, KnowsWhenALineContinuesInsideQuotes) {
  EXPECT_FALSE(ends_inside_quotes("gcc \"a b\" 'c d'"));
  EXPECT_TRUE(ends_inside_quotes("NVCC_APPEND_FLAGS=\"-DFOO=1"));
  EXPECT_TRUE(ends_inside_quotes("a 'b"));
  EXPECT_FALSE(ends_inside_quotes("a \\\"b"));
  EXPECT_TRUE(ends_inside_quotes("a \"b\\\"c"));
  EXPECT_FALSE(ends_inside_quotes("a '\\' b"));
  EXPECT_FALSE(ends_inside_quotes("NVCC_APPEND_FLAGS=\"-DX=\"a b\"\""));  // nvcc's own quoting
}

}  // namespace
}  // namespace sccache::compiler::cuda
