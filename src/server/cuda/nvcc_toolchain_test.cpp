#include "server/cuda/nvcc_toolchain.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "util/temp_dir.hpp"

namespace sccache::server::cuda {
namespace {

namespace fs = std::filesystem;
namespace cu = compiler::cuda;
using Env = std::vector<std::pair<std::string, std::string>>;

// A toolkit in a sandbox: <root>/cuda/bin/{nvcc,nvcc.profile,cudafe++,ptxas}, a host gcc in
// <root>/host, and an empty <root>/early that comes first on the plan's PATH.
struct ToolchainFixture : ::testing::Test {
  ToolchainFixture() {
    for (const char* d : {"cuda/bin", "host", "early", "ccbin-dir"}) fs::create_directories(at(d));
    write("cuda/bin/nvcc", "nvcc");
    write("cuda/bin/nvcc.profile", "PATH += $(_HERE_):\nINCLUDES += \"-I$(_HERE_)/../include\"\n");
    write("cuda/bin/cudafe++", "cudafe");
    write("cuda/bin/ptxas", "ptxas");
    write("host/gcc", "gcc 12");
  }
  std::string at(const std::string& rel) const { return (dir.path() / rel).string(); }
  void write(const std::string& rel, const std::string& text) {
    std::ofstream(at(rel)) << text;
    fs::permissions(at(rel), fs::perms::owner_all);
  }
  cu::Dryrun plan(const std::string& extra_step = "") const {
    std::string text = "#$ _HERE_=" + at("cuda/bin") + "\n#$ PATH=" + plan_path() +
                       "\n#$ gcc -E -x c++ k.cu -o /tmp/tmpxft_1a_00000000-5_k.cpp4.ii\n"
                       "#$ cudafe++ --orig_src_path_name /src/k.cu\n#$ rm /tmp/x\n" +
                       extra_step;
    auto parsed = cu::parse_dryrun(text, {});
    EXPECT_TRUE(parsed.has_value());
    return parsed.value_or(cu::Dryrun{});
  }
  std::string plan_path() const { return at("early") + ":" + at("cuda/bin") + ":" + at("host"); }
  ToolchainQuery query(const Env& e, std::string ccbin = "") const {
    return {at("cuda/bin/nvcc"), "nvcc 13", std::move(ccbin), &e, "/src"};
  }

  util::TempDir dir = util::TempDir::create_or_throw("nvcc-toolchain-");
  hash::FileMemo memo;
  ToolchainMemo toolchains;
  Env env{{"PATH", "/usr/bin"}, {"HOME", "/root"}};
};

TEST_F(ToolchainFixture, PlanToolsAreFoundOnThePlansPath) {
  auto tools = plan_tools(plan(), plan_path(), "/src");
  ASSERT_TRUE(tools.has_value());
  EXPECT_EQ(*tools, (std::set<Tool>{{"cudafe++", at("cuda/bin/cudafe++")},
                                    {"gcc", at("host/gcc")}}));  // rm is no tool to hash
  EXPECT_EQ(plan_tools(plan("#$ cicc x.ii\n"), plan_path(), "/src"), std::nullopt);
}

TEST_F(ToolchainFixture, UnknownUntilAPlanIsSeenThenStable) {
  EXPECT_EQ(toolchains.current(query(env), memo), std::nullopt);
  toolchains.learn(query(env), plan(), plan_path());
  auto first = toolchains.current(query(env), memo);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->tools.size(), 2u);
  EXPECT_EQ(toolchains.current(query(env), memo)->digest, first->digest);
  // Another plan of the toolchain (-c rather than -ptx) adds its tools.
  toolchains.learn(query(env), plan("#$ ptxas -arch=sm_75 x.ptx -o x.cubin\n"), plan_path());
  auto more = toolchains.current(query(env), memo);
  ASSERT_TRUE(more.has_value());
  EXPECT_EQ(more->tools.size(), 3u);
  EXPECT_NE(more->digest, first->digest);
}

TEST_F(ToolchainFixture, ATouchedToolOrProfileOrEnvironmentIsAnotherToolchain) {
  toolchains.learn(query(env), plan(), plan_path());
  auto base = toolchains.current(query(env), memo)->digest;
  Env unrelated = env;
  unrelated.emplace_back("MAKEFLAGS", "-j8");
  EXPECT_EQ(toolchains.current(query(unrelated), memo)->digest, base);
  for (const auto& [name, value] : Env{{"INCLUDES", "-I/x"},  // named by the profile
                                       {"NVCC_CCBIN", "clang"},
                                       {"TMPDIR", "/scratch"},
                                       {"PATH", "/opt/bin"}}) {
    Env changed = env;
    changed.emplace_back(name, value);
    EXPECT_EQ(toolchains.current(query(changed), memo), std::nullopt) << name;
  }
  EXPECT_EQ(toolchains.current(query(env, "g++"), memo), std::nullopt);  // -ccbin
  write("host/gcc", "gcc 13");
  auto rebuilt = toolchains.current(query(env), memo);
  ASSERT_TRUE(rebuilt.has_value());
  EXPECT_NE(rebuilt->digest, base);
  write("cuda/bin/nvcc.profile", "PATH += $(_HERE_):\n");
  EXPECT_EQ(toolchains.current(query(env), memo), std::nullopt);  // not seen with this profile
}

TEST_F(ToolchainFixture, ANewToolEarlierOnPathIsNotVouchedFor) {
  toolchains.learn(query(env), plan(), plan_path());
  ASSERT_TRUE(toolchains.current(query(env), memo).has_value());
  write("early/gcc", "another gcc");
  EXPECT_EQ(toolchains.current(query(env), memo), std::nullopt);
}

TEST_F(ToolchainFixture, ACcbinDirectoryIsNotKeyedWithoutNvcc) {
  toolchains.learn(query(env, at("ccbin-dir")), plan(), plan_path());
  EXPECT_EQ(toolchains.current(query(env, at("ccbin-dir")), memo), std::nullopt);
  toolchains.learn(query(env, at("host/gcc")), plan(), plan_path());
  EXPECT_TRUE(toolchains.current(query(env, at("host/gcc")), memo).has_value());
}

}  // namespace
}  // namespace sccache::server::cuda
