#include "exec/jobserver.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>
#include <string>

#include "exec/process_runner.hpp"
#include "util/temp_dir.hpp"

namespace sccache::exec {
namespace {

TEST(Jobserver, TheLastOptionNamesIt) {
  EXPECT_EQ(parse_jobserver("-j --jobserver-fds=6,7 --jobserver-auth=6,7"),
            (JobserverAuth{6, 7, {}}));
  EXPECT_EQ(parse_jobserver("-j4 --jobserver-auth=3,4 --jobserver-auth=fifo:/tmp/js"),
            (JobserverAuth{-1, -1, "/tmp/js"}));
  for (const char* bad : {"-j", "", "--jobserver-auth=6", "--jobserver-auth=a,b",
                          "--jobserver-auth=6,-1", "--jobserver-auth=fifo:"}) {
    EXPECT_EQ(parse_jobserver(bad), std::nullopt) << bad;
  }
}

TEST(Jobserver, RewritesEveryOptionToTheChildsDescriptors) {
  EXPECT_EQ(with_jobserver_fds("-j --jobserver-fds=6,7 --jobserver-auth=6,7", 3, 4),
            "-j --jobserver-fds=3,4 --jobserver-auth=3,4");
  EXPECT_EQ(with_jobserver_fds("k --jobserver-auth=fifo:/x -j2", 3, 4),
            "k --jobserver-auth=3,4 -j2");
  EXPECT_EQ(with_jobserver_fds("-j", 3, 4), "-j");
}

TEST(Jobserver, DropsEveryOptionForAChildWithout) {
  EXPECT_EQ(without_jobserver("-j --jobserver-fds=6,7 --jobserver-auth=6,7"), "-j");
  EXPECT_EQ(without_jobserver("k --jobserver-auth=fifo:/x -j2"), "k -j2");
  EXPECT_EQ(without_jobserver("--jobserver-auth=3,4"), "");
  EXPECT_EQ(without_jobserver(" -k"), " -k");
}

class ClientPipe : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::pipe(m_fds), 0); }
  void TearDown() override {
    ::close(m_fds[0]);
    ::close(m_fds[1]);
  }
  std::string flags() const {
    return "-j --jobserver-auth=" + std::to_string(m_fds[0]) + "," + std::to_string(m_fds[1]);
  }
  int m_fds[2] = {-1, -1};
};

// The same pipe, reopened: a token put in by the client comes out of ours, and back.
TEST_F(ClientPipe, IsReopenedThroughProc) {
  auto js = open_client_jobserver(::getpid(), flags());
  ASSERT_TRUE(js);
  ASSERT_EQ(::write(m_fds[1], "+", 1), 1);
  char token = 0;
  ASSERT_EQ(::read(js->read.get(), &token, 1), 1);
  EXPECT_EQ(token, '+');
  ASSERT_EQ(::write(js->write.get(), "-", 1), 1);
  ASSERT_EQ(::read(m_fds[0], &token, 1), 1);
  EXPECT_EQ(token, '-');
  EXPECT_EQ(::fcntl(js->read.get(), F_GETFL) & O_NONBLOCK, 0);  // the protocol's reads block
  EXPECT_NE(::fcntl(js->read.get(), F_GETFD) & FD_CLOEXEC, 0);
}

TEST_F(ClientPipe, WhatIsNoPipeOfOneJobserverIsNone) {
  int other[2];
  ASSERT_EQ(::pipe(other), 0);
  std::string mixed =
      "--jobserver-auth=" + std::to_string(m_fds[0]) + "," + std::to_string(other[1]);
  EXPECT_FALSE(open_client_jobserver(::getpid(), mixed));
  ::close(other[0]);
  ::close(other[1]);
  EXPECT_FALSE(open_client_jobserver(::getpid(), "--jobserver-auth=900,901"));  // closed
  auto dir = util::TempDir::create_or_throw("jobserver-");
  int file = ::open((dir.path() / "file").c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(file, 0);
  std::string regular = std::to_string(file);
  EXPECT_FALSE(open_client_jobserver(::getpid(), "--jobserver-auth=" + regular + "," + regular));
  ::close(file);
  EXPECT_FALSE(
      open_client_jobserver(::getpid(), "--jobserver-auth=fifo:" + (dir.path() / "none").string()));
  EXPECT_FALSE(open_client_jobserver(0, flags()));
}

TEST_F(ClientPipe, FifoJobserversAreOpenedByPath) {
  auto dir = util::TempDir::create_or_throw("jobserver-");
  auto fifo = (dir.path() / "js").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  int holder = ::open(fifo.c_str(), O_RDWR);  // the client's end: keeps the FIFO open
  ASSERT_GE(holder, 0);
  auto js = open_client_jobserver(::getpid(), "-j --jobserver-auth=fifo:" + fifo);
  ASSERT_TRUE(js);
  ASSERT_EQ(::write(holder, "+", 1), 1);
  char token = 0;
  EXPECT_EQ(::read(js->read.get(), &token, 1), 1);
  ::close(holder);
}

// A child gets the descriptors as 3 and 4, and nothing else of ours.
TEST_F(ClientPipe, TheChildTakesAndReturnsATokenThroughThreeAndFour) {
  auto js = open_client_jobserver(::getpid(), flags());
  ASSERT_TRUE(js);
  ASSERT_EQ(::write(m_fds[1], "+", 1), 1);
  ProcessSpec spec{"/bin/sh",
                   {"-c", "head -c 1 <&3 >/dev/null && printf + >&4 && ls /proc/self/fd"},
                   "",
                   {"PATH=/usr/bin:/bin"},
                   {}};
  spec.pass_fds = {js->read.get(), js->write.get()};
  asio::io_context io;
  PosixProcessRunner runner;
  auto future = asio::co_spawn(io, runner.run(spec), asio::use_future);
  io.run();
  auto result = future.get();
  ASSERT_TRUE(result);
  ASSERT_TRUE(result->succeeded()) << result->stderr_bytes;
  EXPECT_EQ(result->stdout_bytes, "0\n1\n2\n3\n4\n5\n");  // (5: ls's own directory handle)
  char token = 0;
  ASSERT_EQ(::read(m_fds[0], &token, 1), 1);
  EXPECT_EQ(token, '+');
}

// Descriptors already at 3 or 4 (a server with few open files) still arrive in their places.
TEST(PassedDescriptors, ThoseAlreadyLowArriveInTheirPlaces) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  int r = ::fcntl(p[0], F_DUPFD_CLOEXEC, 100), w = ::fcntl(p[1], F_DUPFD_CLOEXEC, 100);
  ::close(p[0]);
  ::close(p[1]);
  int saved3 = ::fcntl(3, F_DUPFD_CLOEXEC, 100), saved4 = ::fcntl(4, F_DUPFD_CLOEXEC, 100);
  ASSERT_GE(::dup3(w, 3, O_CLOEXEC), 0);  // the write end at 3, the read end at 4: crossed
  ASSERT_GE(::dup3(r, 4, O_CLOEXEC), 0);
  ProcessSpec spec{
      "/bin/sh", {"-c", "printf + >&4; head -c 1 <&3"}, "", {"PATH=/usr/bin:/bin"}, {}};
  spec.pass_fds = {4, 3};  // → the read end at 3, the write end at 4
  asio::io_context io;
  PosixProcessRunner runner;
  auto future = asio::co_spawn(io, runner.run(spec), asio::use_future);
  io.run();
  auto result = future.get();
  for (auto [saved, fd] : {std::pair{saved3, 3}, std::pair{saved4, 4}}) {
    if (saved >= 0) {
      ::dup3(saved, fd, O_CLOEXEC);
      ::close(saved);
    } else {
      ::close(fd);
    }
  }
  ::close(r);
  ::close(w);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->succeeded()) << result->stderr_bytes;
  EXPECT_EQ(result->stdout_bytes, "+");
}

}  // namespace
}  // namespace sccache::exec
