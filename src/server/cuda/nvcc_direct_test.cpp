#include "server/cuda/nvcc_direct.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "util/temp_dir.hpp"

namespace sccache::server::cuda {
namespace {

namespace cc = compiler::c_family;

struct DirectKeyFixture : ::testing::Test {
  std::string key(const std::string& source) {
    std::ofstream(dir.path() / "k.cu") << source;
    auto k = nvcc_direct_key({args, request, toolchain}, memo);
    EXPECT_TRUE(k.has_value());
    return k ? k->key : "";
  }
  util::TempDir dir = util::TempDir::create_or_throw("nvcc-direct-");
  hash::FileMemo memo;
  compiler::cuda::NvccArgs args = [] {
    compiler::cuda::NvccArgs a;
    a.input = "k.cu";
    a.output = "k.o";
    a.hashed_args = {"-c"};
    return a;
  }();
  protocol::Compile request{"/usr/local/cuda/bin/nvcc", dir.path().string(), {"-c", "k.cu"}, {}};
  Toolchain toolchain{"toolchain 1", {}};
};

TEST_F(DirectKeyFixture, ChangesWithEachFieldThatReachesTheOutput) {
  auto base = key("__global__ void k() {}\n");
  EXPECT_EQ(base, key("__global__ void k() {}\n"));
  EXPECT_NE(base, key("__global__ void k() { }\n"));  // the source
  key("__global__ void k() {}\n");
  toolchain.digest = "toolchain 2";
  EXPECT_NE(base, key("__global__ void k() {}\n"));
  toolchain.digest = "toolchain 1";
  args.hashed_args.push_back("-O3");
  EXPECT_NE(base, key("__global__ void k() {}\n"));
  args.hashed_args.pop_back();
  args.output = "other.o";
  EXPECT_NE(base, key("__global__ void k() {}\n"));
  args.output = "k.o";
  args.dep_file = "k.d";
  EXPECT_NE(base, key("__global__ void k() {}\n"));
  args.dep_file.reset();
  request.env_vars.emplace_back("CPATH", "/inc");  // the host compiler's own
  EXPECT_NE(base, key("__global__ void k() {}\n"));
  request.env_vars.back() = {"HOME", "/root"};
  EXPECT_EQ(base, key("__global__ void k() {}\n"));
}

TEST_F(DirectKeyFixture, RefusesTimeMacrosAndMissingSources) {
  std::ofstream(dir.path() / "k.cu") << "const char* when = __TIME__;\n";
  auto k = nvcc_direct_key({args, request, toolchain}, memo);
  ASSERT_FALSE(k.has_value());
  EXPECT_EQ(k.error().reason, cc::NotRecordedReason::time_macros);
  args.input = "missing.cu";
  k = nvcc_direct_key({args, request, toolchain}, memo);
  ASSERT_FALSE(k.has_value());
  EXPECT_EQ(k.error().reason, cc::NotRecordedReason::unreadable);
}

const std::string k_verbose =
    "#include \"...\" search starts here:\n#include <...> search starts here:\n"
    " /usr/local/cuda/include\n /usr/include\nEnd of search list.\n";

TEST(ManifestInputs, TakesTheSearchListAndForcedIncludes) {
  std::vector<std::string> verbose{k_verbose, k_verbose};
  std::vector<std::string> argv{"gcc", "-E", "-include", "cuda_runtime.h", "k.cu"};
  std::vector<cc::IncludedFile> files{{"k.cu", ""}, {"h.h", "k.cu"}};
  auto in = manifest_inputs({"/src", files, verbose, argv, 42, std::nullopt});
  ASSERT_TRUE(in.has_value()) << in.error();
  EXPECT_EQ(in->search_dirs, (std::vector<std::string>{"/usr/local/cuda/include", "/usr/include"}));
  EXPECT_EQ(in->forced_includes, std::vector<std::string>{"cuda_runtime.h"});
  EXPECT_EQ(in->files.size(), 2u);
  EXPECT_EQ(in->read_since_ns, 42);
}

TEST(ManifestInputs, RefusesWithoutOneSearchList) {
  std::vector<std::string> argv{"gcc", "-E", "k.cu"};
  std::vector<std::string> none{"gcc version 12\n"};
  EXPECT_FALSE(manifest_inputs({"/src", {}, none, argv, 0, std::nullopt}).has_value());
  std::vector<std::string> differ{k_verbose,
                                  "#include <...> search starts here:\n /x\n"
                                  "End of search list.\n"};
  EXPECT_FALSE(manifest_inputs({"/src", {}, differ, argv, 0, std::nullopt}).has_value());
  std::vector<std::string> empty;
  EXPECT_FALSE(manifest_inputs({"/src", {}, empty, argv, 0, std::nullopt}).has_value());
}

}  // namespace
}  // namespace sccache::server::cuda
