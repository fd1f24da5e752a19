#include "client/server_spawn.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "client/connection.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

extern char** environ;

namespace sccache::client {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int k_notify_fd = 3;

std::vector<std::string> server_environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    if (entry.starts_with("SCCACHE_START_SERVER=") ||
        entry.starts_with("SCCACHE_STARTUP_NOTIFY_FD="))
      continue;
    env.emplace_back(entry);
  }
  env.emplace_back("SCCACHE_START_SERVER=1");
  env.emplace_back("SCCACHE_STARTUP_NOTIFY_FD=" + std::to_string(k_notify_fd));
  return env;
}

util::Result<pid_t> spawn_detached(int notify_write_end) {
  auto self = util::current_executable();
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, notify_write_end, k_notify_fd);
  posix_spawn_file_actions_addclosefrom_np(&actions, k_notify_fd + 1);
  posix_spawn_file_actions_addchdir_np(&actions, "/");  // don't pin the build's directory
  std::string self_str = self.string();
  std::vector<char*> argv{self_str.data(), nullptr};
  auto env = server_environment();
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, self_str.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return util::fail_errno("start the sccache server", rc);
  return pid;
}

// Reads the server's report: one status byte, then for a failure its message.
util::Result<char> await_report(int fd, Clock::time_point deadline, std::string& message) {
  char status = 0;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      return util::fail(util::ErrorCode::timeout, "timed out waiting for server startup");
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char buf[512];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (status == 0) {
      status = buf[0];
      message.append(buf + 1, static_cast<std::size_t>(n - 1));
    } else {
      message.append(buf, static_cast<std::size_t>(n));
    }
  }
  if (status == 0) return util::fail(util::ErrorCode::io, "the server exited during startup");
  return status;
}

// Another server won the race to listen; it may still be between bind() and listen().
util::Result<void> await_other_server(const config::ClientConfig& endpoint,
                                      Clock::time_point deadline) {
  while (Clock::now() < deadline) {
    auto conn = Connection::open(endpoint);
    if (conn) return {};
    // Listening, but another user's (or unidentifiable): waiting will not change that.
    if (conn.error().code == util::ErrorCode::invalid) return tl::make_unexpected(conn.error());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return util::fail(util::ErrorCode::timeout, "timed out waiting for the other server to listen");
}

}  // namespace

util::Result<void> start_server(const config::ClientConfig& endpoint) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return util::fail_errno("pipe", errno);
  if (fds[1] == k_notify_fd) {  // dup2 onto itself would keep close-on-exec set
    int moved = ::fcntl(fds[1], F_DUPFD_CLOEXEC, k_notify_fd + 1);
    ::close(fds[1]);
    fds[1] = moved;
  }
  auto deadline =
      Clock::now() + config::startup_timeout(config::process_env(), endpoint.startup_timeout);
  auto pid = spawn_detached(fds[1]);
  ::close(fds[1]);
  if (!pid) {
    ::close(fds[0]);
    return tl::make_unexpected(pid.error());
  }
  std::string message;
  auto status = await_report(fds[0], deadline, message);
  ::close(fds[0]);
  if (!status) return tl::make_unexpected(status.error());
  // The detached server lives on; reap nothing: it is in its own session and outlives us.
  if (*status == 'R') {
    // One warning a line (the log's and the config file's).
    for (const auto& line : util::split(message, '\n'))
      if (!line.empty()) std::fprintf(stderr, "sccache: warning: %s\n", line.c_str());
    return {};
  }
  if (*status == 'A') return await_other_server(endpoint, deadline);
  return util::fail(util::ErrorCode::io, "server startup failed: " + message);
}

}  // namespace sccache::client
