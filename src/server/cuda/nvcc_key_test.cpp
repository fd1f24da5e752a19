#include "server/cuda/nvcc_key.hpp"

#include <gtest/gtest.h>

#include "util/temp_dir.hpp"

namespace sccache::server::cuda {
namespace {

namespace cu = compiler::cuda;

TEST(WithoutTempNames, DropsThePerRunPartOnly) {
  EXPECT_EQ(without_temp_names("/tmp/tmpxft_000018cd_00000000-6_k.ptx"), "/tmp/tmpxft-6_k.ptx");
  EXPECT_EQ(without_temp_names("--image3=kind=elf,sm=75,file=/t/tmpxft_1a_00000000-8_k.cubin,"
                               "x=tmpxft_2b_0-3_k.fatbin.c"),
            "--image3=kind=elf,sm=75,file=/t/tmpxft-8_k.cubin,x=tmpxft-3_k.fatbin.c");
  // Not nvcc's pattern: kept as written.
  EXPECT_EQ(without_temp_names("tmpxft_zz-1 tmpxft_12 tmpxft_"), "tmpxft_zz-1 tmpxft_12 tmpxft_");
  EXPECT_EQ(without_temp_names("k.cu"), "k.cu");
}

TEST(ResolveTool, SearchesPathAndKeepsSlashes) {
  EXPECT_EQ(resolve_tool("sh", "/nonexistent:/bin:/usr/bin", "/"), "/bin/sh");
  EXPECT_EQ(resolve_tool("/usr/bin/env", "", "/"), "/usr/bin/env");
  EXPECT_EQ(resolve_tool("bin/sh", "", "/"), "/bin/sh");  // against the cwd
  EXPECT_EQ(resolve_tool("no-such-tool-here", "/bin:/usr/bin", "/"), std::nullopt);
  EXPECT_EQ(resolve_tool("", "/bin", "/"), std::nullopt);
}

struct KeyFixture : ::testing::Test {
  std::string key_for(const std::string& dryrun_text, std::vector<std::string> texts,
                      std::string cwd = "/src") {
    auto dryrun = cu::parse_dryrun(dryrun_text, {});
    EXPECT_TRUE(dryrun.has_value());
    protocol::Compile request{"/usr/local/cuda/bin/nvcc", cwd, {"-c", "k.cu"}, {}};
    KeyInputs in{nvcc, args, request, *dryrun, "/bin:/usr/bin", texts};
    auto key = nvcc_key(in, memo);
    EXPECT_TRUE(key.has_value());
    return key.value_or("");
  }
  hash::FileMemo memo;
  Nvcc nvcc{"nvcc 13", "identity"};
  cu::NvccArgs args = [] {
    cu::NvccArgs a;
    a.input = "k.cu";
    a.output = "k.o";
    a.hashed_args = {"-c"};
    return a;
  }();
  std::string plan(const std::string& pid) {
    return "#$ PATH=/bin\n"
           "#$ sh -E -x c++ k.cu -o /tmp/tmpxft_" +
           pid +
           "_00000000-5_k.cpp4.ii\n"
           "#$ sh -D__CUDA_ARCH__=750 -E k.cu -o /tmp/tmpxft_" +
           pid +
           "_00000000-7_k.cpp1.ii\n"
           "#$ sh --orig_src_path_name \"/src/k.cu\" /tmp/tmpxft_" +
           pid + "_00000000-5_k.cpp4.ii\n";
  }
};

TEST_F(KeyFixture, StableAcrossRunsAndSensitiveToEachSide) {
  auto base = key_for(plan("18cd"), {"host 1", "device"});
  EXPECT_EQ(base, key_for(plan("77aa"), {"host 1", "device"}));  // another run's temporaries
  EXPECT_NE(base, key_for(plan("18cd"), {"host 2", "device"}));  // host-only code (#2299)
  EXPECT_NE(base, key_for(plan("18cd"), {"host 1", "device 2"}));
  EXPECT_NE(base, key_for(plan("18cd"), {"host 1", "device"}, "/elsewhere"));
  auto other_flag = plan("18cd") + "#$ sh -c -O3 x.cpp -o k.o\n";
  EXPECT_NE(base, key_for(other_flag, {"host 1", "device"}));
}

TEST_F(KeyFixture, NoKeyWithoutEveryPreprocessOrTool) {
  auto dryrun = cu::parse_dryrun(plan("1"), {});
  ASSERT_TRUE(dryrun.has_value());
  protocol::Compile request{"/usr/local/cuda/bin/nvcc", "/src", {"-c", "k.cu"}, {}};
  std::vector<std::string> one_text{"host"};
  EXPECT_EQ(nvcc_key({nvcc, args, request, *dryrun, "/bin", one_text}, memo), std::nullopt);
  std::vector<std::string> texts{"host", "device"};
  EXPECT_EQ(nvcc_key({nvcc, args, request, *dryrun, "/nonexistent", texts}, memo), std::nullopt);
}

}  // namespace
}  // namespace sccache::server::cuda
