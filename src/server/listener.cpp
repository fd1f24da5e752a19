#include "server/listener.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/use_awaitable.hpp>

#include "server/completion.hpp"
#include "server/session.hpp"
#include "util/log.hpp"

namespace sccache::server {

namespace {

constexpr auto k_as_tuple = asio::experimental::as_tuple(asio::use_awaitable);

bool someone_listens_on(asio::io_context& io, const std::string& path) {
  asio::local::stream_protocol::socket probe(io);
  asio::error_code ec;
  probe.connect(asio::local::stream_protocol::endpoint(path), ec);
  return !ec;
}

}  // namespace

Listener::Listener(asio::io_context& io, const config::ClientConfig& endpoint)
    : m_io(io), m_acceptor(io), m_endpoint(endpoint) {
  if (endpoint.unix_socket.empty()) {
    open_tcp(endpoint.port);
  } else {
    open_unix(endpoint.unix_socket);
  }
}

Listener::~Listener() {
  close();
  if (m_lock_fd >= 0) ::close(m_lock_fd);  // never listened: close() had nothing to release
}

void Listener::open_tcp(std::uint16_t port) {
  asio::ip::tcp::endpoint ep(asio::ip::address_v4::loopback(), port);
  asio::error_code ec;
  m_acceptor.open(asio::generic::stream_protocol(ep.protocol()), ec);
  if (!ec) m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) m_acceptor.bind(asio::generic::stream_protocol::endpoint(ep), ec);
  if (!ec) m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec == asio::error::address_in_use) {
    m_status = Status::address_in_use;
  } else if (ec) {
    m_error = "cannot listen on " + describe() + ": " + ec.message();
  } else {
    m_status = Status::listening;
  }
}

void Listener::open_unix(const std::string& path) {
  std::string lock_path = path + ".lock";
  m_lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (m_lock_fd < 0) {
    m_error = "cannot open " + lock_path + ": " + std::strerror(errno);
    return;
  }
  // Whoever holds the lock owns the socket path; a stale socket file without a holder is ours.
  if (::flock(m_lock_fd, LOCK_EX | LOCK_NB) != 0 || someone_listens_on(m_io, path)) {
    m_status = Status::address_in_use;
    return;
  }
  ::unlink(path.c_str());
  asio::local::stream_protocol::endpoint ep(path);
  asio::error_code ec;
  m_acceptor.open(asio::generic::stream_protocol(ep.protocol()), ec);
  if (!ec) m_acceptor.bind(asio::generic::stream_protocol::endpoint(ep), ec);
  if (!ec) m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    m_error = "cannot listen on " + path + ": " + ec.message();
  } else {
    m_status = Status::listening;
  }
}

std::string Listener::describe() const {
  if (!m_endpoint.unix_socket.empty()) return m_endpoint.unix_socket;
  return "127.0.0.1:" + std::to_string(m_endpoint.port);
}

asio::awaitable<void> Listener::accept_loop(Service& service) {
  while (m_acceptor.is_open()) {
    auto [ec, socket] = co_await m_acceptor.async_accept(k_as_tuple);
    if (ec == asio::error::operation_aborted || !m_acceptor.is_open()) break;
    if (ec) {
      log::warn("accept failed: {}", ec.message());
      continue;
    }
    service.touch();
    asio::co_spawn(service.io(), run_session(service, std::move(socket)),
                   log_failure("a connection"));
  }
}

void Listener::close() {
  if (!m_acceptor.is_open()) return;
  asio::error_code ec;
  m_acceptor.close(ec);
  if (!m_endpoint.unix_socket.empty() && m_status == Status::listening) {
    ::unlink(m_endpoint.unix_socket.c_str());
  }
  // A server still draining must not keep a new one from taking over the path.
  if (m_lock_fd >= 0) {
    ::close(m_lock_fd);
    m_lock_fd = -1;
  }
}

}  // namespace sccache::server
