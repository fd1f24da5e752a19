#pragma once
// The client's side of the wire: a blocking socket to the server (plain POSIX, no event loop, so
// the client starts in well under a millisecond), one request out, frames back.
#include <optional>
#include <string>

#include "config/config.hpp"
#include "protocol/messages.hpp"
#include "util/error.hpp"

namespace sccache::client {

class Connection {
 public:
  // Connects to the unix socket if configured, else to 127.0.0.1:port. No retries.
  static util::Result<Connection> open(const config::ClientConfig& endpoint);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  ~Connection();

  util::Result<void> send(const protocol::Request& request);
  util::Result<protocol::Response> receive();

 private:
  explicit Connection(int fd) : m_fd(fd) {}
  // Takes `size` bytes from the buffer, reading more from the socket as needed.
  util::Result<std::string> take(std::size_t size);

  int m_fd = -1;
  std::string m_buffer;  // bytes received but not yet consumed: one read often holds two frames
  std::size_t m_consumed = 0;
};

// Connects, starting a server first if none answers; errors when none could be reached in time.
util::Result<Connection> connect_or_start(const config::ClientConfig& endpoint);

}  // namespace sccache::client
