#pragma once
// Reading and writing whole frames on a connection of either transport (TCP or unix socket).
#include <asio/awaitable.hpp>
#include <asio/generic/stream_protocol.hpp>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.hpp"
#include "util/error.hpp"

namespace sccache::server {

using Socket = asio::generic::stream_protocol::socket;

// The next frame body; nullopt on a clean end of stream; an error for a broken or oversized frame.
asio::awaitable<util::Result<std::optional<std::string>>> read_frame(Socket& socket,
                                                                     std::uint32_t max_length);
// Throws asio::system_error when the peer has gone. Pass a named Response: g++ 12 destroys
// temporaries inside a co_await expression twice (a double free).
asio::awaitable<void> send(Socket& socket, const protocol::Response& response);
// Several frames in one write (a cache hit's two answers reach the client in one wake-up).
asio::awaitable<void> send_all(Socket& socket, const std::vector<protocol::Response>& responses);

}  // namespace sccache::server
