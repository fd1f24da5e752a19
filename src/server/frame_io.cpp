#include "server/frame_io.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <asio/read.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "protocol/codec.hpp"
#include "protocol/frame.hpp"

namespace sccache::server {

namespace {
constexpr auto k_as_tuple = asio::experimental::as_tuple(asio::use_awaitable);
}

asio::awaitable<util::Result<std::optional<std::string>>> read_frame(Socket& socket,
                                                                     std::uint32_t max_length) {
  std::array<unsigned char, 4> header{};
  auto [ec, n] = co_await asio::async_read(socket, asio::buffer(header), k_as_tuple);
  if (ec == asio::error::eof && n == 0) co_return std::optional<std::string>{};
  if (ec) co_return util::fail(util::ErrorCode::io, "reading a frame header: " + ec.message());
  auto length = protocol::parse_frame_header(header, max_length);
  if (!length) co_return tl::make_unexpected(length.error());
  std::string body(*length, '\0');
  auto [ec2, n2] = co_await asio::async_read(socket, asio::buffer(body), k_as_tuple);
  if (ec2) {
    co_return util::fail(util::ErrorCode::corrupt, "frame truncated after " + std::to_string(n2) +
                                                       " of " + std::to_string(*length) + " bytes");
  }
  co_return std::optional<std::string>{std::move(body)};
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
