#include "compiler/cuda/direct_mode.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler::cuda {
namespace {

using Strings = std::vector<std::string>;
using Env = std::vector<std::pair<std::string, std::string>>;

// nvcc 13.0's own nvcc.profile, abridged.
constexpr std::string_view k_profile = R"(
TOP              = $(_HERE_)/..
CICC_PATH        = $(TOP)/nvvm/bin
PATH            += $(CICC_PATH):$(_HERE_):
INCLUDES        +=  "-I$(TOP)/$(_TARGET_DIR_)/include" $(_SPACE_)
LIBRARIES        =+ $(_SPACE_) "-L$(TOP)/$(_TARGET_DIR_)/lib$(_TARGET_SIZE_)/stubs"
PTXAS_FLAGS     +=
)";

TEST(ProfileVariables, NamesEveryAssignedAndExpandedVariable) {
  auto names = profile_variables(k_profile);
  for (const char* name : {"TOP", "_HERE_", "CICC_PATH", "PATH", "INCLUDES", "_TARGET_DIR_",
                           "LIBRARIES", "_SPACE_", "_TARGET_SIZE_", "PTXAS_FLAGS"}) {
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), name)) << name;
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_TRUE(profile_variables("").empty());
  EXPECT_EQ(profile_variables("9X = $(A1)"), (Strings{"A1", "X"}));  // no leading digit
}

TEST(PlanEnv, KeepsWhatNvccReadsSortedLastValueWins) {
  Env env{{"PATH", "/bin"},         {"HOME", "/root"},           {"NVCC_CCBIN", "g++"},
          {"INCLUDES", "-I/x"},     {"TMPDIR", "/scratch"},      {"MAKEFLAGS", "-j2"},
          {"PTXAS_FLAGS", "-v"},    {"NVCC_APPEND_FLAGS", "-g"}, {"PATH", "/usr/bin"},
          {"LD_LIBRARY_PATH", "/l"}};
  auto kept = plan_env(env, profile_variables(k_profile));
  EXPECT_EQ(kept, (Env{{"INCLUDES", "-I/x"},
                       {"NVCC_APPEND_FLAGS", "-g"},
                       {"NVCC_CCBIN", "g++"},
                       {"PATH", "/usr/bin"},
                       {"PTXAS_FLAGS", "-v"},
                       {"TMPDIR", "/scratch"}}));
  // A profile that names LD_LIBRARY_PATH makes it count.
  auto with_ld = plan_env(env, profile_variables("LD_LIBRARY_PATH += $(TOP)/lib:"));
  EXPECT_NE(std::find(with_ld.begin(), with_ld.end(),
                      std::pair<std::string, std::string>{"LD_LIBRARY_PATH", "/l"}),
            with_ld.end());
}

TEST(NeedsDryrun, OnlyForTheGpuPresent) {
  NvccArgs args;
  EXPECT_EQ(needs_dryrun(args), std::nullopt);
  args.gpu_code = {"-gencode=arch=compute_80,code=sm_80", "-arch=all"};
  EXPECT_EQ(needs_dryrun(args), std::nullopt);
  args.gpu_code.push_back("-arch=native");
  EXPECT_EQ(needs_dryrun(args), "-arch=native");
}

TEST(FilesInAll, UnionOfEveryTextFirstTextFirst) {
  // The host side includes host.h only, the device side dev.h only; both include common.h.
  std::string host = "# 1 \"k.cu\"\n# 1 \"common.h\" 1\n# 2 \"k.cu\" 2\n# 1 \"host.h\" 1\n";
  std::string device = "# 1 \"k.cu\"\n# 1 \"common.h\" 1\n# 2 \"k.cu\" 2\n# 1 \"dev.h\" 1\n";
  auto files = files_in_all({host, device});
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& f : files) got.emplace_back(f.path, f.includer);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{
                     {"k.cu", ""}, {"common.h", "k.cu"}, {"host.h", "k.cu"}, {"dev.h", "k.cu"}}));
  EXPECT_TRUE(files_in_all({}).empty());
}

}  // namespace
}  // namespace sccache::compiler::cuda
