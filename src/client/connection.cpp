#include "client/connection.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include "client/server_spawn.hpp"
#include "protocol/codec.hpp"
#include "protocol/frame.hpp"
#include "util/peer_uid.hpp"

namespace sccache::client {

namespace {

using Clock = std::chrono::steady_clock;

std::string describe(const config::ClientConfig& endpoint) {
  return endpoint.unix_socket.empty() ? "127.0.0.1:" + std::to_string(endpoint.port)
                                      : endpoint.unix_socket;
}

// Whether a process is there and not stopped: /proc/<pid>/stat's state after the command name.
bool process_runs(pid_t pid) {
  char path[32], text[512];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n <= 0) return false;
  text[n] = '\0';
  const char* paren = std::strrchr(text, ')');
  if (!paren || paren[1] != ' ') return true;  // cannot tell: keep waiting
  char state = paren[2];
  return state != 'T' && state != 't' && state != 'Z' && state != 'X';
}

// A connected stream socket, or -1 with errno set.
int connect_to(int family, const sockaddr* addr, socklen_t size) {
  int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, addr, size) != 0) {
    int e = errno;
    ::close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

int connect_unix(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  return connect_to(AF_UNIX, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
}

int connect_tcp(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = connect_to(AF_INET, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int one = 1;
  if (fd >= 0) ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

util::Result<void> write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return util::fail_errno("send to the server", errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

// True when the peer has closed the connection (or reset it); false while it may still answer.
bool peer_hung_up(int fd) {
  pollfd p{fd, POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) return true;
  char byte;
  return ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

// The uid of the server at the other end. Over TCP the server's end of a new connection has no
// owner until the server has accepted it: a listener of another user there is answer enough (fail
// closed); else ask again, backing off briefly, until accepted — or the server hangs up, or the
// time an answer would be waited for has passed.
util::Result<uid_t> server_uid(int fd, std::chrono::milliseconds patience) {
  auto owner = util::peer_uid(fd);
  if (owner || owner.error().code != util::ErrorCode::unavailable) return owner;
  if (auto listeners = util::tcp_listener_uids(fd)) {
    for (uid_t uid : *listeners)
      if (uid != ::geteuid()) return uid;
  }
  auto deadline = Clock::now() + patience;
  for (auto pause = std::chrono::milliseconds(1); Clock::now() < deadline;
       pause = std::min(pause * 2, std::chrono::milliseconds(50))) {
    if (peer_hung_up(fd))
      return util::fail(util::ErrorCode::io,
                        "it closed the connection before it could be identified");
    std::this_thread::sleep_for(pause);
    owner = util::peer_uid(fd);
    if (owner || owner.error().code != util::ErrorCode::unavailable) return owner;
  }
  return owner;
}

}  // namespace

util::Result<Connection> Connection::open(const config::ClientConfig& endpoint) {
  int fd = endpoint.unix_socket.empty() ? connect_tcp(endpoint.port)
                                        : connect_unix(endpoint.unix_socket);
  if (fd < 0) return util::fail_errno("connect to the sccache server", errno);
  Connection conn(fd);
  auto owner = server_uid(fd, endpoint.answer_timeout);
  if (!owner) {
    return util::fail(
        util::ErrorCode::invalid,
        "cannot tell who runs the server at " + describe(endpoint) + ": " + owner.error().message);
  }
  if (*owner != ::geteuid()) {
    return util::fail(util::ErrorCode::invalid, "the server at " + describe(endpoint) +
                                                    " belongs to uid " + std::to_string(*owner) +
                                                    ", not to this user (uid " +
                                                    std::to_string(::geteuid()) + ")");
  }
  ucred cred{};
  socklen_t len = sizeof cred;
  if (!endpoint.unix_socket.empty() &&
      ::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
    conn.m_server_pid = cred.pid;
  }
  return conn;
}

Connection::Connection(Connection&& other) noexcept : m_fd(other.m_fd) {
  other.m_fd = -1;
}

Connection& Connection::operator=(Connection&& other) noexcept {
  std::swap(m_fd, other.m_fd);
  return *this;
}

Connection::~Connection() {
  if (m_fd >= 0) ::close(m_fd);
}

util::Result<void> Connection::send(const protocol::Request& request) {
  return write_all(m_fd, protocol::make_frame(protocol::encode(request)));
}

bool Connection::wait_readable(Clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    // Long waits in slices: between them, a server seen stopped (SIGSTOP, a debugger) or gone
    // ends the wait at once.
    pollfd p{m_fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1000)));
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return true;  // the read will report it
    if (m_server_pid > 0 && !process_runs(m_server_pid)) return false;
  }
}

util::Result<std::string> Connection::take(std::size_t size, Clock::time_point deadline) {
  while (m_buffer.size() - m_consumed < size) {
    if (m_consumed > 0) {
      m_buffer.erase(0, m_consumed);
      m_consumed = 0;
    }
    if (!wait_readable(deadline))
      return util::fail(util::ErrorCode::timeout, "the server did not answer in time");
    char chunk[65536];
    ssize_t n = ::read(m_fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return util::fail_errno("read from the server", errno);
    if (n == 0) return util::fail(util::ErrorCode::io, "the server closed the connection");
    m_buffer.append(chunk, static_cast<std::size_t>(n));
  }
  std::string out = m_buffer.substr(m_consumed, size);
  m_consumed += size;
  return out;
}

util::Result<protocol::Response> Connection::receive(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  auto head = take(4, deadline);
  if (!head) return tl::make_unexpected(head.error());
  std::array<unsigned char, 4> header{};
  std::memcpy(header.data(), head->data(), 4);
  auto length = protocol::parse_frame_header(header, protocol::k_max_frame_length);
  if (!length) return tl::make_unexpected(length.error());
  auto body = take(*length, deadline);
  if (!body) return tl::make_unexpected(body.error());
  return protocol::decode_response(*body);
}

util::Result<Connection> connect_or_start(const config::ClientConfig& endpoint) {
  if (auto conn = Connection::open(endpoint)) return conn;
  auto started = start_server(endpoint);
  if (!started) return tl::make_unexpected(started.error());
  return Connection::open(endpoint);
}

}  // namespace sccache::client
