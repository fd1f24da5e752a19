// The splits below are nvcc 13.0's, read back from the -D it passes to gcc in -dryrun output
// (NVCC_APPEND_FLAGS='<value>' nvcc -E k.cu -dryrun).
#include "compiler/cuda/env_flags.hpp"

#include <gtest/gtest.h>

#include <ostream>

namespace sccache::compiler::cuda {
namespace {

using Strings = std::vector<std::string>;
using Env = std::vector<std::pair<std::string, std::string>>;

struct Split {
  std::string value;
  std::optional<Strings> words;  // nullopt: not split like nvcc, refused
};

std::ostream& operator<<(std::ostream& out, const Split& s) {
  return out << s.value;
}

class EnvFlagsSplit : public ::testing::TestWithParam<Split> {};

TEST_P(EnvFlagsSplit, SplitAsNvccDoes) {
  EXPECT_EQ(split_env_flags(GetParam().value), GetParam().words);
}

INSTANTIATE_TEST_SUITE_P(
    Nvcc13, EnvFlagsSplit,
    ::testing::Values(Split{"", Strings{}}, Split{"   \t ", Strings{}},
                      Split{"-DFOO=1", Strings{"-DFOO=1"}},
                      Split{"  -DFOO=1    -DBAR=2  ", Strings{"-DFOO=1", "-DBAR=2"}},
                      Split{"-DFOO=1\t-DBAR=2", Strings{"-DFOO=1", "-DBAR=2"}},
                      Split{"-DFOO=1\n-DBAR=2", Strings{"-DFOO=1\n-DBAR=2"}},  // not a separator
                      Split{"-DFOO=\"a b\"", Strings{"-DFOO=\"a b\""}},        // quotes stay
                      Split{"-DFOO=a\"b c\"d", Strings{"-DFOO=a\"b c\"d"}},
                      Split{"\"-DFOO=a b\"", Strings{"\"-DFOO=a b\""}},  // an input for nvcc
                      Split{"-DFOO='a b'", Strings{"-DFOO='a", "b'"}},   // ' is plain
                      Split{"-Xcompiler \"-DA -DB\"", Strings{"-Xcompiler", "\"-DA -DB\""}},
                      Split{"-DFOO=a\\b", std::nullopt},     // nvcc drops this backslash...
                      Split{"-DFOO=a\\ b", std::nullopt},    // ...and rejects this one
                      Split{"-DFOO=\"a b", std::nullopt}));  // "Stray '"' character"

TEST(EnvFlags, PrependAndAppendSurroundTheArguments) {
  Env env = {{"PATH", "/bin"},
             {"NVCC_APPEND_FLAGS", "-DFOO=app -t 2"},
             {"NVCC_PREPEND_FLAGS", "-DFOO=pre"}};
  auto args = with_env_flags({"-c", "k.cu", "-DFOO=mid"}, env);
  ASSERT_TRUE(args.has_value());
  // measured: -D "FOO=pre" -D "FOO=mid" -D "FOO=app"
  EXPECT_EQ(*args, (Strings{"-DFOO=pre", "-c", "k.cu", "-DFOO=mid", "-DFOO=app", "-t", "2"}));
}

TEST(EnvFlags, TheLastValueOfANameCounts) {
  Env env = {{"NVCC_APPEND_FLAGS", "-DA"}, {"NVCC_APPEND_FLAGS", "-DB"}};
  EXPECT_EQ(with_env_flags({"-c"}, env), (Strings{"-c", "-DB"}));
}

TEST(EnvFlags, WithoutTheVariablesTheArgumentsAreUnchanged) {
  EXPECT_EQ(with_env_flags({"-c", "k.cu"}, Env{{"NVCC_FLAGS", "-DX"}}), (Strings{"-c", "k.cu"}));
  EXPECT_EQ(with_env_flags({"-c", "k.cu"}, Env{{"NVCC_APPEND_FLAGS", ""}}),
            (Strings{"-c", "k.cu"}));
}

TEST(EnvFlags, AnUnsplittableValueNamesItsVariable) {
  auto prepend = with_env_flags({"-c"}, Env{{"NVCC_PREPEND_FLAGS", "-DX=\\y"}});
  ASSERT_FALSE(prepend.has_value());
  EXPECT_EQ(prepend.error().reason, "NVCC_PREPEND_FLAGS");
  auto append = with_env_flags({"-c"}, Env{{"NVCC_APPEND_FLAGS", "\"open"}});
  ASSERT_FALSE(append.has_value());
  EXPECT_EQ(append.error().reason, "NVCC_APPEND_FLAGS");
}

TEST(EnvFlags, SplicedFlagsDecideTheParse) {
  auto args = with_env_flags({"k.cu"}, Env{{"NVCC_PREPEND_FLAGS", "-c -o out.o"}});
  ASSERT_TRUE(args.has_value());
  auto result = parse_nvcc_arguments(*args);
  auto* parsed = std::get_if<NvccArgs>(&result);
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(parsed->output, "out.o");
}

}  // namespace
}  // namespace sccache::compiler::cuda
