#include "server/frame_io.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <cstring>

#include "protocol/codec.hpp"
#include "protocol/frame.hpp"

namespace sccache::server {

namespace {

using asio::experimental::awaitable_operators::operator||;
using Clock = std::chrono::steady_clock;
constexpr auto k_as_tuple = asio::experimental::as_tuple(asio::use_awaitable);

// Bytes read per wake-up: a compile request fits in one, a big one grows the buffer by this much
// at a time, so memory follows what has arrived.
constexpr std::size_t k_chunk = 64 * 1024;

}  // namespace

FrameReader::FrameReader(Socket& socket, FrameLimits limits)
    : m_socket(socket), m_limits(limits), m_timer(socket.get_executor()) {}

asio::awaitable<FrameReader::Fill> FrameReader::fill(std::size_t at_most,
                                                     Clock::time_point deadline) {
  if (m_start > 0) {  // what is left of the buffer is the start of the next frame
    m_buffer.erase(0, m_start);
    m_start = 0;
  }
  std::size_t old = m_buffer.size();
  m_buffer.resize(old + at_most);
  m_timer.expires_at(deadline);
  auto done = co_await (
      m_socket.async_read_some(asio::buffer(m_buffer.data() + old, at_most), k_as_tuple) ||
      m_timer.async_wait(k_as_tuple));
  if (done.index() == 1) {
    m_buffer.resize(old);
    co_return Fill::timeout;
  }
  auto [ec, n] = std::get<0>(done);
  m_buffer.resize(old + n);
  if (ec == asio::error::eof) co_return n > 0 ? Fill::more : Fill::eof;
  if (ec) {
    m_error = ec.message();
    co_return Fill::error;
  }
  co_return Fill::more;
}

asio::awaitable<util::Result<std::variant<std::string, FrameReader::End>>> FrameReader::next() {
  using Result = util::Result<std::variant<std::string, End>>;
  if (buffered() == 0) {
    switch (co_await fill(k_chunk, Clock::now() + m_limits.idle)) {
      case Fill::eof:
        co_return Result(End::closed);
      case Fill::timeout:
        co_return Result(End::idle);
      case Fill::error:
        co_return util::fail(util::ErrorCode::io, "reading a frame: " + m_error);
      case Fill::more:
        break;
    }
  }
  auto deadline = Clock::now() + m_limits.complete;
  if (auto ok = co_await need(4, "frame header", deadline); !ok)
    co_return tl::make_unexpected(ok.error());
  std::array<unsigned char, 4> header{};
  std::memcpy(header.data(), m_buffer.data() + m_start, 4);
  auto length = protocol::parse_frame_header(header, m_limits.max_length);
  if (!length) co_return tl::make_unexpected(length.error());
  std::size_t total = 4 + std::size_t{*length};
  if (auto ok = co_await need(total, "frame", deadline); !ok)
    co_return tl::make_unexpected(ok.error());
  std::string body;
  if (m_start == 0 && m_buffer.size() == total) {  // the usual case: one frame, no copy
    m_buffer.erase(0, 4);
    body = std::move(m_buffer);
    m_buffer.clear();
  } else {
    body = m_buffer.substr(m_start + 4, *length);
    m_start += total;
  }
  co_return Result(std::move(body));
}

asio::awaitable<util::Result<void>> FrameReader::need(std::size_t total, const char* what,
                                                      Clock::time_point deadline) {
  while (buffered() < total) {
    auto got = co_await fill(std::min(k_chunk, total - buffered()), deadline);
    if (got == Fill::more) continue;
    std::string had = std::to_string(buffered()) + " of " + std::to_string(total) + " bytes";
    if (got == Fill::timeout) {
      co_return util::fail(util::ErrorCode::timeout, std::string(what) + " not complete within " +
                                                         std::to_string(m_limits.complete.count()) +
                                                         " ms (" + had + ")");
    }
    co_return util::fail(util::ErrorCode::corrupt, std::string(what) + " truncated after " + had);
  }
  co_return util::Result<void>{};
}

asio::awaitable<void> send(Socket& socket, const protocol::Response& response) {
  std::string frame = protocol::make_frame(protocol::encode(response));
  co_await asio::async_write(socket, asio::buffer(frame), asio::use_awaitable);
}

asio::awaitable<void> send_all(Socket& socket, const std::vector<protocol::Response>& responses) {
  std::string frames;
  for (const auto& r : responses) frames += protocol::make_frame(protocol::encode(r));
  co_await asio::async_write(socket, asio::buffer(frames), asio::use_awaitable);
}

}  // namespace sccache::server
