#pragma once
// For tests only: an HTTP/1.1 server on 127.0.0.1 (a free port) that keeps connections open, so the
// libcurl exchange can be checked against a real socket (connection reuse, uploads, timeouts, and
// the headers libcurl sends, such as its SigV4 Authorization).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sccache::storage::http::testing {

// Answers every request with `reply_body` (or not at all when `silent`), keeping the connection;
// counts connections and remembers the request bodies.
class KeepAliveServer {
 public:
  explicit KeepAliveServer(std::string reply_body, bool silent = false)
      : m_reply(std::move(reply_body)), m_silent(silent) {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), len);
    ::listen(m_fd, 8);
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_acceptor = std::thread([this] { accept_loop(); });
  }
  ~KeepAliveServer() {
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    m_acceptor.join();
    std::lock_guard lock(m_mutex);
    for (int c : m_clients) ::shutdown(c, SHUT_RDWR);
    for (auto& t : m_sessions) t.join();
    for (int c : m_clients) ::close(c);
  }
  int port() const { return m_port; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
  }
  int connections() const { return m_connections; }
  std::vector<std::string> bodies() {
    std::lock_guard lock(m_mutex);
    return m_bodies;
  }

 private:
  void accept_loop() {
    for (;;) {
      int c = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      ++m_connections;
      std::lock_guard lock(m_mutex);
      m_clients.push_back(c);
      m_sessions.emplace_back([this, c] { serve(c); });
    }
  }
  void serve(int c) {
    std::string in;
    char buf[4096];
    for (;;) {
      auto end = in.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        if (auto cl = in.find("Content-Length: "); cl != std::string::npos && cl < end) {
          length = std::stoul(in.substr(cl + 16));
        }
        if (in.find("Expect: 100-continue") < end && in.size() == end + 4) {
          (void)!::write(c, "HTTP/1.1 100 Continue\r\n\r\n", 25);
        }
        if (in.size() >= end + 4 + length) {
          {
            std::lock_guard lock(m_mutex);
            m_bodies.push_back(in.substr(end + 4, length));
          }
          in.erase(0, end + 4 + length);
          if (m_silent) continue;
          std::string reply =
              "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(m_reply.size()) + "\r\n\r\n" +
              m_reply;
          (void)!::write(c, reply.data(), reply.size());
          continue;
        }
      }
      ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) return;
      in.append(buf, static_cast<std::size_t>(n));
    }
  }

  std::string m_reply;
  bool m_silent;
  int m_fd = -1;
  int m_port = 0;
  std::atomic<int> m_connections{0};
  std::thread m_acceptor;
  std::mutex m_mutex;
  std::vector<int> m_clients;
  std::vector<std::thread> m_sessions;
  std::vector<std::string> m_bodies;
};

}  // namespace sccache::storage::http::testing
