#include <fcntl.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>

#include "exec/process_runner.hpp"
#include "util/fs.hpp"

namespace sccache::exec {

namespace {

using asio::experimental::awaitable_operators::operator&&;
constexpr auto k_as_tuple = asio::experimental::as_tuple(asio::use_awaitable);

// Owns the spawn attributes and file actions for one child.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  ~Pipe() {
    if (read_end >= 0) ::close(read_end);
    if (write_end >= 0) ::close(write_end);
  }
};

std::vector<char*> to_argv(const std::vector<std::string>& items) {
  std::vector<char*> out;
  out.reserve(items.size() + 1);
  for (const auto& s : items) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

asio::awaitable<void> drain(asio::posix::stream_descriptor& pipe, std::string& out) {
  std::array<char, 65536> buffer;
  for (;;) {
    auto [ec, n] = co_await pipe.async_read_some(asio::buffer(buffer), k_as_tuple);
    out.append(buffer.data(), n);
    if (ec) co_return;
  }
}

asio::awaitable<void> await_exit(asio::posix::stream_descriptor& pidfd) {
  // A pidfd becomes readable when the process exits.
  co_await pidfd.async_wait(asio::posix::descriptor_base::wait_read, k_as_tuple);
}

void fill_status(int status, ProcessResult& result) {
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
}

}  // namespace

asio::awaitable<util::Result<ProcessResult>> PosixProcessRunner::run(ProcessSpec spec) {
  Pipe out, err;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) co_return util::fail_errno("pipe", errno);
  out.read_end = fds[0], out.write_end = fds[1];
  if (::pipe2(fds, O_CLOEXEC) != 0) co_return util::fail_errno("pipe", errno);
  err.read_end = fds[0], err.write_end = fds[1];

  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, out.write_end, 1);
  posix_spawn_file_actions_adddup2(&setup.actions, err.write_end, 2);
  // Passed descriptors go to 3, 4, …: one already below its place is first moved above them all
  // (a copy of ours, closed once the child has its own).
  int first_closed = 3;
  int above = 3 + static_cast<int>(spec.pass_fds.size());
  std::vector<util::UniqueFd> moved;
  for (int fd : spec.pass_fds) {
    if (fd < above) {
      moved.emplace_back(::fcntl(fd, F_DUPFD_CLOEXEC, above));
      if (moved.back().get() < 0) co_return util::fail_errno("dup", errno);
      fd = moved.back().get();
    }
    posix_spawn_file_actions_adddup2(&setup.actions, fd, first_closed++);
  }
  // Nothing else of the server's reaches a compiler: not its listening socket (a compiler that
  // outlived the server would keep the port or socket bound), not libraries' sockets or pipes.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, first_closed);
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&setup.actions, spec.cwd.c_str());

  std::vector<std::string> argv_items;
  argv_items.reserve(spec.args.size() + 1);
  argv_items.push_back(spec.argv0.empty() ? spec.exe : spec.argv0);
  argv_items.insert(argv_items.end(), spec.args.begin(), spec.args.end());
  auto argv = to_argv(argv_items);
  auto envp = to_argv(spec.env);

  pid_t pid = -1;
  int rc =
      ::posix_spawn(&pid, spec.exe.c_str(), &setup.actions, &setup.attr, argv.data(), envp.data());
  if (rc != 0) co_return util::fail_errno("spawn " + spec.exe, rc);
  ::close(out.write_end), out.write_end = -1;
  ::close(err.write_end), err.write_end = -1;

  // The child stays a zombie until we reap it, so the pid cannot be reused before pidfd_open.
  int pidfd = static_cast<int>(
      ::syscall(SYS_pidfd_open, pid, 0));  // glibc's wrapper lacks C linkage in C++
  if (pidfd < 0) {
    int e = errno;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    co_return util::fail_errno("pidfd_open", e);
  }

  auto executor = co_await asio::this_coro::executor;
  asio::posix::stream_descriptor out_pipe(executor, out.read_end);
  out.read_end = -1;
  asio::posix::stream_descriptor err_pipe(executor, err.read_end);
  err.read_end = -1;
  asio::posix::stream_descriptor exit_watch(executor, pidfd);

  ProcessResult result;
  co_await (drain(out_pipe, result.stdout_bytes) && drain(err_pipe, result.stderr_bytes) &&
            await_exit(exit_watch));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  fill_status(status, result);
  co_return result;
}

}  // namespace sccache::exec
