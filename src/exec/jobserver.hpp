#pragma once
// A client's GNU make jobserver (cargo's CARGO_MAKEFLAGS, make's MAKEFLAGS: `--jobserver-auth=R,W`,
// older `--jobserver-fds=R,W`), reopened by the server for a compile it runs on the client's
// behalf: rustc then shares the client's tokens (its extra codegen threads wait for them), as it
// does under cargo without a cache. The descriptors are the client's, so the server opens the same
// pipe through /proc/PID/fd of the client process (its own user's: the peer was checked), checks
// both ends are one pipe, and hands its own descriptors to the child. Anything else — a closed or
// invalid descriptor, another kind of file, a `fifo:` path that is no FIFO, a client over TCP — is
// no jobserver: the variable is dropped, never a hang or a warning from the compiler.
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "util/fs.hpp"

namespace sccache::exec {

struct JobserverAuth {
  int read_fd = -1, write_fd = -1;  // in the client; or
  std::string fifo;                 // `fifo:PATH` (make 4.4)
  bool operator==(const JobserverAuth&) const = default;
};

// The last jobserver option of a MAKEFLAGS-style value; nullopt without one (or a malformed one).
std::optional<JobserverAuth> parse_jobserver(std::string_view makeflags);

// `makeflags` naming `read_fd`,`write_fd` in every jobserver option (fifo ones included).
std::string with_jobserver_fds(std::string_view makeflags, int read_fd, int write_fd);

// `makeflags` without its jobserver options (for a child that gets no jobserver).
std::string without_jobserver(std::string_view makeflags);

struct Jobserver {
  util::UniqueFd read, write;  // ours, close-on-exec, blocking
};

// The jobserver `makeflags` names in process `pid`, opened for this process; nullopt when there is
// none that can be trusted to be one.
std::optional<Jobserver> open_client_jobserver(pid_t pid, std::string_view makeflags);

}  // namespace sccache::exec
