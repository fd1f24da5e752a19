// The testdata/ files are nvcc 13.0.88's stderr, unedited (testdata/README.md has the commands).
#include "compiler/cuda/dryrun.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>

#include "util/fs.hpp"

namespace sccache::compiler::cuda {
namespace {

using Strings = std::vector<std::string>;
using Env = std::vector<std::pair<std::string, std::string>>;
using K = StepKind;

const Env k_no_env;

std::string testdata(const std::string& name) {
  auto text = util::read_file(std::filesystem::path(__FILE__).parent_path() / "testdata" / name);
  EXPECT_TRUE(text.has_value()) << name;
  return text ? *text : std::string();
}

Dryrun parsed(const std::string& name, const Env& env = k_no_env) {
  auto dryrun = parse_dryrun(testdata(name), env);
  EXPECT_TRUE(dryrun.has_value()) << name << ": " << dryrun.error().message;
  return dryrun ? *dryrun : Dryrun{};
}

struct Expected {
  StepKind kind;
  std::string arch = "";
  std::string output = "";  // the -o value's file name (temporaries differ per run); "" = none
};

std::string file_name(const std::optional<std::string>& path) {
  if (!path) return "";
  auto slash = path->rfind('/');
  std::string name = slash == std::string::npos ? *path : path->substr(slash + 1);
  auto dash = name.find('-');  // tmpxft_000066c7_00000000-8_k.sm_75.cubin → k.sm_75.cubin
  if (name.starts_with("tmpxft_") && dash != std::string::npos) {
    name = name.substr(name.find('_', dash) + 1);
  }
  return name;
}

struct Capture {
  std::string file;
  std::vector<Expected> steps;
};

std::ostream& operator<<(std::ostream& out, const Capture& c) {
  return out << c.file;
}

class Captured : public ::testing::TestWithParam<Capture> {};

TEST_P(Captured, StepsAreClassified) {
  auto dryrun = parsed(GetParam().file);
  EXPECT_EQ(dryrun.env.size(), 18u);
  const auto& expected = GetParam().steps;
  ASSERT_EQ(dryrun.steps.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Step& step = dryrun.steps[i];
    EXPECT_EQ(to_string(step.kind), std::string(to_string(expected[i].kind)))
        << i << ": " << step.line;
    EXPECT_EQ(step.arch, expected[i].arch) << i << ": " << step.line;
    EXPECT_EQ(file_name(step.output), expected[i].output) << i << ": " << step.line;
  }
}

const std::vector<Expected> k_one_arch = {{K::host_preprocess, "", "k.cpp4.ii"},
                                          {K::cudafe},
                                          {K::device_preprocess, "750", "k.cpp1.ii"},
                                          {K::cicc, "compute_75", "k.ptx"},
                                          {K::ptxas, "sm_75", "k.sm_75.cubin"},
                                          {K::fatbinary},
                                          {K::rm},
                                          {K::host_compile, "", "k.o"}};

INSTANTIATE_TEST_SUITE_P(
    Nvcc13, Captured,
    ::testing::Values(
        Capture{"plain.txt", k_one_arch}, Capture{"ccbin.txt", k_one_arch},
        Capture{"rdc_two_archs.txt",
                {{K::host_preprocess, "", "k.cpp4.ii"},
                 {K::cudafe},
                 {K::device_preprocess, "800", "k.compute_80.cpp1.ii"},
                 {K::cicc, "compute_80", "k.compute_80.ptx"},
                 {K::ptxas, "sm_80", "k.compute_80.cubin"},
                 {K::device_preprocess, "900", "k.compute_90.cpp1.ii"},
                 {K::cicc, "compute_90", "k.compute_90.ptx"},
                 {K::ptxas, "sm_90", "k.compute_90.sm_90.cubin"},
                 {K::fatbinary},
                 {K::rm},
                 {K::host_compile, "", "k.o"}}},
        // --threads 2: another order, the rm first
        Capture{"threads2.txt",
                {{K::rm},
                 {K::host_preprocess, "", "k.cpp4.ii"},
                 {K::device_preprocess, "800", "k.compute_80.cpp1.ii"},
                 {K::device_preprocess, "900", "k.compute_90.cpp1.ii"},
                 {K::cudafe},
                 {K::cicc, "compute_80", "k.compute_80.ptx"},
                 {K::cicc, "compute_90", "k.compute_90.ptx"},
                 {K::ptxas, "sm_80", "k.compute_80.cubin"},
                 {K::ptxas, "sm_90", "k.compute_90.sm_90.cubin"},
                 {K::fatbinary},
                 {K::host_compile, "", "k.o"}}},
        // code=[compute_90]: ptxas only checks the PTX, without -o
        Capture{"ptx_only.txt",
                {{K::host_preprocess, "", "k.cpp4.ii"},
                 {K::cudafe},
                 {K::device_preprocess, "900", "k.cpp1.ii"},
                 {K::cicc, "compute_90", "k.ptx"},
                 {K::ptxas, "compute_90"},
                 {K::fatbinary},
                 {K::rm},
                 {K::host_compile, "", "k.o"}}},
        // -MD: the device preprocess first, then the host one and nvcc's dependency writer
        Capture{"cmake_md.txt",
                {{K::device_preprocess, "750", "k.cpp1.ii"},
                 {K::host_preprocess, "", "k.cpp4.ii"},
                 {K::filter_dependencies},
                 {K::cudafe},
                 {K::cicc, "compute_75", "k.ptx"},
                 {K::ptxas, "sm_75", "k.sm_75.cubin"},
                 {K::fatbinary},
                 {K::rm},
                 {K::host_compile, "", "k.cu.o"}}}));

TEST(Dryrun, VariablesAreKeptAsPrintedAndExpandedInSteps) {
  auto dryrun = parsed("plain.txt");
  ASSERT_GE(dryrun.env.size(), 14u);
  EXPECT_EQ(dryrun.env[1], (std::pair<std::string, std::string>{"_SPACE_", " "}));
  EXPECT_EQ(dryrun.env[13].first, "INCLUDES");
  EXPECT_EQ(dryrun.env[13].second, "\"-I/usr/local/cuda/bin/../targets/x86_64-linux/include\"  ");
  const Step& cicc = dryrun.steps.at(3);
  EXPECT_TRUE(cicc.line.starts_with("\"$CICC_PATH/cicc\" --c++17"));
  EXPECT_EQ(cicc.argv.at(0), "/usr/local/cuda/bin/../nvvm/bin/cicc");
  EXPECT_EQ(cicc.argv.at(1), "--c++17");
}

TEST(Dryrun, AHostCompilerGivenByCcbinIsUnquoted) {
  auto dryrun = parsed("ccbin.txt");
  EXPECT_EQ(dryrun.steps.at(0).argv.at(0), "/usr/bin/g++-12");
  EXPECT_EQ(dryrun.steps.at(7).argv.at(0), "/usr/bin/g++-12");
}

TEST(Dryrun, ThreadedStepsRedirectTheirOutput) {
  auto dryrun = parsed("threads2.txt");
  for (const Step& step : dryrun.steps) {
    if (step.kind == K::rm) continue;
    ASSERT_TRUE(step.stdout_path.has_value()) << step.line;
    ASSERT_TRUE(step.stderr_path.has_value()) << step.line;
    EXPECT_TRUE(step.stdout_path->ends_with("_stdout")) << step.line;
    EXPECT_TRUE(step.stderr_path->ends_with("_stderr")) << step.line;
    EXPECT_FALSE(step.argv.back().ends_with("_stdout")) << step.line;
  }
}

TEST(Dryrun, TheDependencyWriterNamesTheDependencyFile) {
  auto dryrun = parsed("cmake_md.txt");
  const Step& filter = dryrun.steps.at(2);
  EXPECT_EQ(filter.stdout_path, "CMakeFiles/kern2.dir/src/k.cu.o.d");
}

TEST(Dryrun, PreprocessStepsComeHostFirst) {
  auto dryrun = parsed("cmake_md.txt");
  auto steps = preprocess_steps(dryrun);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0]->kind, K::host_preprocess);
  EXPECT_EQ(steps[1]->kind, K::device_preprocess);
  EXPECT_EQ(preprocess_steps(parsed("threads2.txt")).size(), 3u);
}

TEST(Dryrun, PreprocessArgvWritesToStdoutOrAGivenFile) {
  auto dryrun = parsed("plain.txt");
  const Step& host = dryrun.steps.at(0);
  auto to_stdout = preprocess_argv(host, std::nullopt);
  ASSERT_TRUE(to_stdout.has_value());
  EXPECT_EQ(to_stdout->size(), host.argv.size() - 2);
  EXPECT_EQ(to_stdout->back(), "k.cu");  // "-o <tmp>/tmpxft_…-5_k.cpp4.ii" gone
  for (const auto& arg : *to_stdout) EXPECT_EQ(arg.find("tmpxft"), std::string::npos) << arg;
  auto to_file = preprocess_argv(dryrun.steps.at(2), std::string("/work/x.cpp1.ii"));
  ASSERT_TRUE(to_file.has_value());
  EXPECT_EQ(to_file->at(to_file->size() - 2), "-o");
  EXPECT_EQ(to_file->back(), "/work/x.cpp1.ii");
  EXPECT_EQ(to_file->at(1), "-D__CUDA_ARCH__=750");
  EXPECT_FALSE(preprocess_argv(dryrun.steps.at(1), std::nullopt).has_value());  // cudafe++
  Step no_output;
  no_output.kind = K::host_preprocess;
  no_output.argv = {"gcc", "-E", "x.cu"};
  EXPECT_FALSE(preprocess_argv(no_output, std::nullopt).has_value());
}

TEST(Dryrun, AValueOverSeveralLinesIsJoinedAndWarningsAreSkipped) {
  std::string text =
      "#$ NVCC_APPEND_FLAGS=\"-DFOO=1\n-DBAR=2\"\n"
      "nvcc warning : incompatible redefinition for option 'x'\n"
      "#$ CICC_PATH=/cuda/nvvm/bin\n"
      "#$ gcc -E -D \"FOO=1\n-DBAR=2\" \"k.cu\" -o \"/tmp/k.cpp4.ii\"\n"
      "#$ \"$CICC_PATH/cicc\" -arch compute_75 \"$HOME_DIR/k.cpp1.ii\" -o k.ptx\n";
  auto dryrun = parse_dryrun(text, Env{{"HOME_DIR", "/old"}, {"HOME_DIR", "/home/u"}});
  ASSERT_TRUE(dryrun.has_value()) << dryrun.error().message;
  ASSERT_EQ(dryrun->env.size(), 2u);
  EXPECT_EQ(dryrun->env[0].second, "\"-DFOO=1\n-DBAR=2\"");
  ASSERT_EQ(dryrun->steps.size(), 2u);
  EXPECT_EQ(dryrun->steps[0].kind, K::host_preprocess);
  EXPECT_EQ(dryrun->steps[0].argv,
            (Strings{"gcc", "-E", "-D", "FOO=1\n-DBAR=2", "k.cu", "-o", "/tmp/k.cpp4.ii"}));
  EXPECT_EQ(dryrun->steps[1].argv, (Strings{"/cuda/nvvm/bin/cicc", "-arch", "compute_75",
                                            "/home/u/k.cpp1.ii", "-o", "k.ptx"}));
}

TEST(Dryrun, PrintedVariablesWinOverTheProcessEnvironment) {
  auto dryrun = parse_dryrun(
      "#$ TOOL=/a\n#$ $TOOL/ptxas -arch=sm_80 x.ptx\n#$ TOOL=/b\n"
      "#$ $TOOL/nvlink x\n",
      Env{{"TOOL", "/env"}});
  ASSERT_TRUE(dryrun.has_value());
  ASSERT_EQ(dryrun->steps.size(), 2u);
  EXPECT_EQ(dryrun->steps[0].argv.at(0), "/a/ptxas");
  EXPECT_EQ(dryrun->steps[0].arch, "sm_80");
  EXPECT_EQ(dryrun->steps[1].argv.at(0), "/b/nvlink");
  EXPECT_EQ(dryrun->steps[1].kind, K::nvlink);
}

TEST(Dryrun, ClassifiesByToolAndFlags) {
  EXPECT_EQ(classify({}), K::unknown);
  EXPECT_EQ(classify({"/opt/cuda/bin/cudafe++", "x"}), K::cudafe);
  EXPECT_EQ(classify({"clang++", "-D__CUDA_ARCH__=800", "-E", "x.cu"}), K::device_preprocess);
  EXPECT_EQ(classify({"clang++", "-D__CUDA_ARCH_LIST__=800", "-E", "x.cu"}), K::host_preprocess);
  EXPECT_EQ(classify({"g++", "-D__CUDA_ARCH__=800", "-c", "x.cpp"}), K::host_compile);
  EXPECT_EQ(classify({"g++", "--version"}), K::unknown);
  EXPECT_EQ(classify({"--", "Filter"}), K::unknown);
}

TEST(Dryrun, RefusesAStepShWouldNotSplit) {
  auto dryrun = parse_dryrun("#$ A=1\n#$ gcc -E \"x.cu\n#$ rm x\n", k_no_env);
  ASSERT_FALSE(dryrun.has_value());
  EXPECT_EQ(dryrun.error().code, util::ErrorCode::corrupt);
  EXPECT_NE(dryrun.error().message.find("step 1"), std::string::npos) << dryrun.error().message;
}

TEST(Dryrun, IsBounded) {
  std::string steps;
  for (std::size_t i = 0; i <= k_max_dryrun_steps; ++i) steps += "#$ rm x\n";
  auto many = parse_dryrun(steps, k_no_env);
  ASSERT_FALSE(many.has_value());
  EXPECT_EQ(many.error().code, util::ErrorCode::too_large);
  auto huge = parse_dryrun(std::string(k_max_dryrun_bytes + 1, ' '), k_no_env);
  ASSERT_FALSE(huge.has_value());
  EXPECT_EQ(huge.error().code, util::ErrorCode::too_large);
  auto empty = parse_dryrun("", k_no_env);
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->steps.empty());
}

}  // namespace
}  // namespace sccache::compiler::cuda
