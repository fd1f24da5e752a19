#include "server/listener.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/use_awaitable.hpp>

#include <asio/steady_timer.hpp>
#include <filesystem>

#include "server/completion.hpp"
#include "server/session.hpp"
#include "util/log.hpp"
#include "util/private_dir.hpp"

namespace sccache::server {

namespace {

constexpr auto k_as_tuple = asio::experimental::as_tuple(asio::use_awaitable);

// Sessions served at once (each is a socket, a compile's pipes and files).
constexpr int k_max_sessions = 1024;
constexpr std::chrono::milliseconds k_cap_pause{20};
constexpr std::chrono::milliseconds k_resource_pause{100};
constexpr std::chrono::milliseconds k_error_pause{10};

bool out_of_resources(const asio::error_code& ec) {
  int e = ec.value();
  return ec.category() == asio::system_category() &&
         (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM);
}

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
  // The default place is ours alone (0700, checked); a path the user named gets its missing
  // directories made. Either way the socket is 0600, and each peer's uid is checked on accept.
  std::string dir = std::filesystem::path(path).parent_path().string();
  auto made =
      m_endpoint.private_socket_dir ? util::ensure_private_dir(dir) : util::make_directories(dir);
  if (!made) {
    m_error = "cannot listen on " + path + ": " + made.error().message;
    return;
  }
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
  // bind() makes the socket file with the umask's mode; the server is still single-threaded here.
  mode_t old_mask = ::umask(0177);
  if (!ec) m_acceptor.bind(asio::generic::stream_protocol::endpoint(ep), ec);
  ::umask(old_mask);
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
  asio::steady_timer pause(m_io);
  auto wait = [&](std::chrono::milliseconds d) {
    pause.expires_after(d);
    return pause.async_wait(k_as_tuple);
  };
  static log::RateLimit limit(6);
  while (m_acceptor.is_open()) {
    // At the cap, let sessions end before taking more (the kernel's backlog holds the rest).
    while (service.sessions() >= k_max_sessions && m_acceptor.is_open()) co_await wait(k_cap_pause);
    auto [ec, socket] = co_await m_acceptor.async_accept(k_as_tuple);
    if (ec == asio::error::operation_aborted || !m_acceptor.is_open()) break;
    if (ec) {
      // Out of descriptors (or memory): accepting again at once would spin. Back off.
      if (auto held_back = limit.admit())
        log::warn("accept failed: {} ({} more not logged)", ec.message(), *held_back);
      co_await wait(out_of_resources(ec) ? k_resource_pause : k_error_pause);
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
