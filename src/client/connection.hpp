#pragma once
// The client's side of the wire: a blocking socket to the server (plain POSIX, no event loop, so
// the client starts in well under a millisecond), one request out, frames back.
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "protocol/messages.hpp"
#include "util/error.hpp"

namespace sccache::client {

class Connection {
 public:
  // Connects to the unix socket if configured, else to 127.0.0.1:port, and checks that the server
  // is this user's (another user's would run our compiles as itself). No retries.
  static util::Result<Connection> open(const config::ClientConfig& endpoint);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  ~Connection();

  util::Result<void> send(const protocol::Request& request);
  // The next response, waiting at most `timeout` (ErrorCode::timeout after it). A wait longer
  // than a few seconds also ends as soon as the server process is seen stopped or gone.
  util::Result<protocol::Response> receive(std::chrono::milliseconds timeout);

 private:
  explicit Connection(int fd) : m_fd(fd) {}
  // Takes `size` bytes from the buffer, reading more from the socket as needed, until `deadline`.
  util::Result<std::string> take(std::size_t size, std::chrono::steady_clock::time_point deadline);
  // Waits until the socket is readable; false at `deadline`, or when the server is not running.
  bool wait_readable(std::chrono::steady_clock::time_point deadline);

  int m_fd = -1;
  pid_t m_server_pid = 0;  // from SO_PEERCRED on a unix socket; 0 over TCP
  std::string m_buffer;    // bytes received but not yet consumed: one read often holds two frames
  std::size_t m_consumed = 0;
};

// Connects, starting a server first if none answers; errors when none could be reached in time.
util::Result<Connection> connect_or_start(const config::ClientConfig& endpoint);

}  // namespace sccache::client
