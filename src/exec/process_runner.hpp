#pragma once
// Running a child process without blocking the event loop: its output pipes are read
// asynchronously and its exit is awaited through a pidfd.
#include <asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace sccache::exec {

struct ProcessSpec {
  std::string exe;                // path of the program (absolute, or relative to `cwd`)
  std::vector<std::string> args;  // arguments after argv[0]
  std::string cwd;                // working directory of the child; empty = inherit
  std::vector<std::string> env;   // "NAME=value" entries; the child's whole environment
  std::string argv0;              // argv[0]; empty = exe
  // Descriptors the child gets as 3, 4, … (a client's jobserver). Every other descriptor of the
  // server is closed in the child.
  std::vector<int> pass_fds = {};
};

struct ProcessResult {
  std::optional<int> exit_code;  // set when the child exited
  std::optional<int> signal;     // set when a signal killed it
  std::string stdout_bytes;
  std::string stderr_bytes;
  bool succeeded() const { return exit_code && *exit_code == 0; }
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // An error only when the process could not be started; a non-zero exit is a result.
  virtual asio::awaitable<util::Result<ProcessResult>> run(ProcessSpec spec) = 0;
};

// The real thing: posix_spawn + pipes + pidfd, on the calling coroutine's executor.
class PosixProcessRunner final : public ProcessRunner {
 public:
  asio::awaitable<util::Result<ProcessResult>> run(ProcessSpec spec) override;
};

}  // namespace sccache::exec
