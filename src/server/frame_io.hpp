#pragma once
// Reading and writing whole frames on a connection of either transport (TCP or unix socket).
// Nothing a peer sends can make the server hold memory it has not received, or a connection it
// does not use: a frame's buffer grows as its bytes arrive (never from the length its header
// announces), a started frame must be complete within a deadline, and an idle connection closes.
#include <asio/awaitable.hpp>
#include <asio/generic/stream_protocol.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.hpp"
#include "util/error.hpp"

namespace sccache::server {

using Socket = asio::generic::stream_protocol::socket;

struct FrameLimits {
  std::uint32_t max_length = protocol::k_max_frame_length;  // longest body accepted
  std::chrono::milliseconds idle{60'000};      // between frames, before the connection closes
  std::chrono::milliseconds complete{10'000};  // from a frame's first byte to its last
};

// Frames from one connection, in order. Holds the bytes received past the current frame.
class FrameReader {
 public:
  FrameReader(Socket& socket, FrameLimits limits);

  enum class End { closed, idle };  // how a connection ended between frames
  // The next frame body; End when the peer hung up or stayed silent past `idle`; an error for a
  // frame that is oversized, truncated, or not complete in time (the connection should close).
  asio::awaitable<util::Result<std::variant<std::string, End>>> next();

 private:
  enum class Fill { more, eof, timeout, error };
  // Reads at most `at_most` more bytes into the buffer, giving up at `deadline`.
  asio::awaitable<Fill> fill(std::size_t at_most, std::chrono::steady_clock::time_point deadline);
  // Reads until `total` bytes are buffered; `what` names them in the error.
  asio::awaitable<util::Result<void>> need(std::size_t total, const char* what,
                                           std::chrono::steady_clock::time_point deadline);
  std::size_t buffered() const { return m_buffer.size() - m_start; }

  Socket& m_socket;
  FrameLimits m_limits;
  asio::steady_timer m_timer;
  std::string m_buffer;
  std::size_t m_start = 0;  // where the unconsumed bytes begin
  std::string m_error;      // the last read error, for the message
};

// Throws asio::system_error when the peer has gone. Pass a named Response: g++ 12 destroys
// temporaries inside a co_await expression twice (a double free).
asio::awaitable<void> send(Socket& socket, const protocol::Response& response);
// Several frames in one write (a cache hit's two answers reach the client in one wake-up).
asio::awaitable<void> send_all(Socket& socket, const std::vector<protocol::Response>& responses);

}  // namespace sccache::server
