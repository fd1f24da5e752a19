#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>

#include "exec/process_runner.hpp"

namespace sccache::exec {
namespace {

util::Result<ProcessResult> run_sync(const ProcessSpec& spec) {
  asio::io_context io;
  PosixProcessRunner runner;
  auto future = asio::co_spawn(io, runner.run(spec), asio::use_future);
  io.run();
  return future.get();
}

ProcessSpec shell(std::string script) {
  return ProcessSpec{"/bin/sh", {"-c", std::move(script)}, "", {"PATH=/usr/bin:/bin"}, {}};
}

TEST(PosixProcessRunner, CapturesStdoutStderrAndExitCode) {
  auto result = run_sync(shell("printf out; printf err >&2; exit 3"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->stdout_bytes, "out");
  EXPECT_EQ(result->stderr_bytes, "err");
  ASSERT_TRUE(result->exit_code);
  EXPECT_EQ(*result->exit_code, 3);
  EXPECT_FALSE(result->signal);
  EXPECT_FALSE(result->succeeded());
}

TEST(PosixProcessRunner, ReportsTheKillingSignal) {
  auto result = run_sync(shell("kill -TERM $$"));
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->exit_code);
  ASSERT_TRUE(result->signal);
  EXPECT_EQ(*result->signal, SIGTERM);
}

TEST(PosixProcessRunner, UsesTheGivenWorkingDirectoryAndEnvironment) {
  auto spec = shell("pwd; echo \"$ONLY_THIS\"; env | grep -c HOME || true");
  spec.cwd = "/";
  spec.env = {"ONLY_THIS=yes"};
  auto result = run_sync(spec);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->stdout_bytes, "/\nyes\n0\n");
}

TEST(PosixProcessRunner, ReadsLargeOutputOnBothPipesWithoutDeadlock) {
  // 1 MiB on each pipe, far above the pipe buffer: both must be drained concurrently.
  auto result = run_sync(shell("head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->stdout_bytes.size(), 1048576u);
  EXPECT_EQ(result->stderr_bytes.size(), 1048576u);
  EXPECT_TRUE(result->succeeded());
}

TEST(PosixProcessRunner, ChildrenInheritNoDescriptorBeyondTheStandardThree) {
  // No O_CLOEXEC, like a library's socket; numbered high, apart from what ls opens itself.
  int opened = ::open("/dev/null", O_RDONLY);
  int inheritable = ::fcntl(opened, F_DUPFD, 100);
  ::close(opened);
  ASSERT_GE(inheritable, 100);
  auto result = run_sync(shell("ls /proc/self/fd"));
  ::close(inheritable);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->stdout_bytes.find(std::to_string(inheritable) + "\n"), std::string::npos)
      << result->stdout_bytes;
}

TEST(PosixProcessRunner, StdinIsEmpty) {
  auto result = run_sync(shell("cat; echo done"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->stdout_bytes, "done\n");
}

TEST(PosixProcessRunner, MissingProgramIsAnErrorOrExit127) {
  auto result = run_sync(ProcessSpec{"/nonexistent/compiler", {}, "", {}, {}});
  // posix_spawn reports exec failure either as an error or as exit status 127.
  EXPECT_TRUE(!result || (result->exit_code && *result->exit_code == 127));
}

TEST(PosixProcessRunner, RunsManyChildrenConcurrentlyOnOneThread) {
  asio::io_context io;
  PosixProcessRunner runner;
  std::vector<std::future<util::Result<ProcessResult>>> futures;
  for (int i = 0; i < 16; ++i) {
    ProcessSpec spec{"/bin/sh", {"-c", "echo " + std::to_string(i)}, "", {}, {}};
    futures.push_back(asio::co_spawn(io, runner.run(spec), asio::use_future));
  }
  io.run();
  for (int i = 0; i < 16; ++i) {
    auto result = futures[i].get();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->stdout_bytes, std::to_string(i) + "\n");
  }
}

}  // namespace
}  // namespace sccache::exec
