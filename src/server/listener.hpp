#pragma once
// The listening socket: TCP on 127.0.0.1:port, or a unix socket path. For a unix socket a lock file
// beside it (`<path>.lock`, held for the server's life) decides which of two racing servers binds.
#include <asio/awaitable.hpp>
#include <asio/basic_socket_acceptor.hpp>
#include <asio/generic/stream_protocol.hpp>
#include <asio/io_context.hpp>
#include <optional>

#include "config/config.hpp"
#include "server/service.hpp"
#include "util/error.hpp"

namespace sccache::server {

class Listener {
 public:
  enum class Status { listening, address_in_use, failed };

  Listener(asio::io_context& io, const config::ClientConfig& endpoint);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  Status status() const { return m_status; }
  const std::string& error() const { return m_error; }
  std::string describe() const;  // "127.0.0.1:4226" or the socket path

  // Accepts until close(); each connection runs as its own session coroutine.
  asio::awaitable<void> accept_loop(Service& service);
  void close();

 private:
  void open_tcp(std::uint16_t port);
  void open_unix(const std::string& path);

  asio::io_context& m_io;
  asio::basic_socket_acceptor<asio::generic::stream_protocol> m_acceptor;
  config::ClientConfig m_endpoint;
  Status m_status = Status::failed;
  std::string m_error;
  int m_lock_fd = -1;
};

}  // namespace sccache::server
