#include "compiler/c_family/detect.hpp"
#include "util/temp_dir.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>

namespace sccache::compiler::c_family {
namespace {

TEST(ParseProbeOutput, RecognisesGccClangAndCxxDrivers) {
  auto gcc = parse_probe_output(
      "sccache_compiler_id=gcc\nsccache_plusplus=0\nsccache_version=\"12.2.0\"\n");
  ASSERT_TRUE(gcc);
  EXPECT_EQ(gcc->family, Family::gcc);
  EXPECT_FALSE(gcc->plusplus);
  EXPECT_EQ(gcc->version, "12.2.0");
  auto clangxx =
      parse_probe_output("sccache_compiler_id=clang\nsccache_plusplus=1\nsccache_version=\"x\"\n");
  ASSERT_TRUE(clangxx);
  EXPECT_EQ(clangxx->family, Family::clang);
  EXPECT_TRUE(clangxx->plusplus);
}

TEST(ParseProbeOutput, RejectsUnknownCompilers) {
  EXPECT_FALSE(parse_probe_output("sccache_compiler_id=unknown\n"));
  EXPECT_FALSE(parse_probe_output("garbage"));
  EXPECT_FALSE(parse_probe_output(""));
}

class DetectReal : public ::testing::Test {
 protected:
  std::optional<CompilerInfo> detect(const std::string& exe) {
    asio::io_context io;
    asio::thread_pool pool(1);
    exec::PosixProcessRunner runner;
    auto tmp = util::TempDir::create_or_throw("sccache-detect-");
    const std::string dir = tmp.path().string();
    CompilerDetector detector(runner, pool, dir);
    auto future =
        asio::co_spawn(io, detector.detect(exe, {"PATH=/usr/bin:/bin"}, "/"), asio::use_future);
    io.run();
    auto info = future.get();
    return info;
  }
};

TEST_F(DetectReal, FindsGccAndClangByWhatTheyAreNotByName) {
  if (::access("/usr/bin/gcc", X_OK) != 0 || ::access("/usr/bin/clang", X_OK) != 0) GTEST_SKIP();
  auto gcc = detect("/usr/bin/gcc");
  auto gxx = detect("/usr/bin/g++");
  auto clang = detect("/usr/bin/clang");
  auto cc = detect("/usr/bin/cc");
  ASSERT_TRUE(gcc && gxx && clang && cc);
  EXPECT_EQ(gcc->family, Family::gcc);
  EXPECT_FALSE(gcc->plusplus);
  EXPECT_TRUE(gxx->plusplus);
  EXPECT_EQ(clang->family, Family::clang);
  EXPECT_NE(gcc->identity, gxx->identity);
  EXPECT_NE(gcc->identity, clang->identity);
  EXPECT_EQ(gcc->identity.size(), 64u);
}

TEST_F(DetectReal, NonCompilersAreNotSupported) {
  EXPECT_FALSE(detect("/bin/true"));
  EXPECT_FALSE(detect("/nonexistent/cc"));
}

}  // namespace
}  // namespace sccache::compiler::c_family
