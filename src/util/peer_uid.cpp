#include "util/peer_uid.hpp"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace sccache::util {

namespace {

// Both ends of a TCP connection, as the kernel names them.
struct Tuple {
  int family = 0;
  sockaddr_storage local{};
  sockaddr_storage remote{};
};

std::uint16_t port_of(const sockaddr_storage& a) {
  return a.ss_family == AF_INET ? reinterpret_cast<const sockaddr_in&>(a).sin_port
                                : reinterpret_cast<const sockaddr_in6&>(a).sin6_port;
}

// The address as four 32-bit words in network order, as inet_diag_sockid holds it.
void copy_address(const sockaddr_storage& a, __be32 out[4]) {
  std::memset(out, 0, 16);
  if (a.ss_family == AF_INET) {
    out[0] = reinterpret_cast<const sockaddr_in&>(a).sin_addr.s_addr;
  } else {
    std::memcpy(out, &reinterpret_cast<const sockaddr_in6&>(a).sin6_addr, 16);
  }
}

bool is_loopback(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) {
    return (ntohl(reinterpret_cast<const sockaddr_in&>(a).sin_addr.s_addr) >> 24) == 127;
  }
  const auto& v6 = reinterpret_cast<const sockaddr_in6&>(a).sin6_addr;
  if (IN6_IS_ADDR_V4MAPPED(&v6)) return v6.s6_addr[12] == 127;
  return IN6_IS_ADDR_LOOPBACK(&v6);
}

tl::unexpected<Error> ownerless() {
  return fail(ErrorCode::unavailable,
              "no process holds the peer's socket (not accepted yet, or closed)");
}

// The peer's socket is the one whose source is our remote end and whose destination is our
// local end. One request, not a dump: the kernel looks the 4-tuple up directly.
Result<uid_t> lookup_by_netlink(const Tuple& t) {
  int nl = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (nl < 0) return fail_errno("netlink socket", errno);
  struct {
    nlmsghdr header;
    inet_diag_req_v2 request;
  } message{};
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST;
  message.request.sdiag_family = static_cast<std::uint8_t>(t.family);
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = ~0u;
  message.request.id.idiag_sport = port_of(t.remote);
  message.request.id.idiag_dport = port_of(t.local);
  copy_address(t.remote, message.request.id.idiag_src);
  copy_address(t.local, message.request.id.idiag_dst);
  message.request.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  message.request.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(nl, &message, sizeof message, 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof kernel) < 0) {
    int e = errno;
    ::close(nl);
    return fail_errno("sock_diag request", e);
  }
  alignas(nlmsghdr) char reply[1024];
  ssize_t n = ::recv(nl, reply, sizeof reply, 0);
  int e = errno;
  ::close(nl);
  if (n < 0) return fail_errno("sock_diag reply", e);
  auto* h = reinterpret_cast<nlmsghdr*>(reply);
  if (!NLMSG_OK(h, static_cast<unsigned>(n))) return fail(ErrorCode::io, "short sock_diag reply");
  if (h->nlmsg_type == NLMSG_ERROR) {
    auto* err = static_cast<nlmsgerr*>(NLMSG_DATA(h));
    return fail_errno("sock_diag lookup", -err->error);
  }
  if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || h->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg)))
    return fail(ErrorCode::io, "unexpected sock_diag reply");
  auto* found = static_cast<inet_diag_msg*>(NLMSG_DATA(h));
  // A socket no process holds (not yet accepted; or closed: an orphan, a TIME_WAIT or FIN_WAIT2
  // remnant) is shown with no inode and uid 0: root's server would take a peer that sent a frame
  // and hung up for root.
  if (found->idiag_inode == 0) return ownerless();
  return static_cast<uid_t>(found->idiag_uid);
}

// /proc/net/tcp{,6}: "sl local_address rem_address st tx:rx tr:when retrnsmt uid ...", addresses
// as hex words in host order (IPv4) or four such words (IPv6), ports in hex.
std::string proc_address(const sockaddr_storage& a) {
  __be32 words[4];
  copy_address(a, words);
  char out[48];
  if (a.ss_family == AF_INET) {
    std::snprintf(out, sizeof out, "%08X:%04X", words[0], ntohs(port_of(a)));
  } else {
    std::snprintf(out, sizeof out, "%08X%08X%08X%08X:%04X", words[0], words[1], words[2], words[3],
                  ntohs(port_of(a)));
  }
  return out;
}

Result<uid_t> lookup_by_proc(const Tuple& t) {
  const char* table = t.family == AF_INET ? "/proc/net/tcp" : "/proc/net/tcp6";
  std::FILE* f = std::fopen(table, "re");
  if (!f) return fail_errno(table, errno);
  std::string source = proc_address(t.remote), destination = proc_address(t.local);
  char line[512];
  Result<uid_t> found = fail(ErrorCode::io, "the peer's socket is not in " + std::string(table));
  while (std::fgets(line, sizeof line, f)) {
    char local[64], remote[64];
    unsigned uid = 0;
    unsigned long inode = 0;
    if (std::sscanf(line, " %*s %63s %63s %*s %*s %*s %*s %u %*s %lu", local, remote, &uid,
                    &inode) != 4)
      continue;
    if (source == local && destination == remote) {
      // As above: no inode, no owner, whatever the uid column says.
      found = inode == 0 ? Result<uid_t>(ownerless()) : Result<uid_t>(static_cast<uid_t>(uid));
      break;
    }
  }
  std::fclose(f);
  return found;
}

// The owners of listening sockets in `table` at `exact` or at `wildcard` (the same port on any
// address): those the kernel may have given a connection to that address.
void add_listeners(const char* table, const std::string& exact, const std::string& wildcard,
                   std::vector<uid_t>& out) {
  std::FILE* f = std::fopen(table, "re");
  if (!f) return;
  char line[512];
  while (std::fgets(line, sizeof line, f)) {
    char local[64], state[8];
    unsigned uid = 0;
    if (std::sscanf(line, " %*s %63s %*s %7s %*s %*s %*s %u", local, state, &uid) != 3) continue;
    if (std::strcmp(state, "0A") == 0 && (exact == local || wildcard == local))
      out.push_back(static_cast<uid_t>(uid));
  }
  std::fclose(f);
}

Result<uid_t> tcp_peer_uid(int fd, int family, TcpLookup how) {
  Tuple t;
  t.family = family;
  socklen_t size = sizeof t.local;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&t.local), &size) != 0)
    return fail_errno("getsockname", errno);
  size = sizeof t.remote;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&t.remote), &size) != 0)
    return fail_errno("getpeername", errno);
  // A remote host's sockets are not in our table: only loopback peers can be told apart.
  if (!is_loopback(t.remote) || !is_loopback(t.local))
    return fail(ErrorCode::invalid, "the peer is not on loopback");
  if (how == TcpLookup::table_only) return lookup_by_proc(t);
  auto uid = lookup_by_netlink(t);
  return uid ? uid : lookup_by_proc(t);
}

}  // namespace

Result<std::vector<uid_t>> tcp_listener_uids(int fd) {
  sockaddr_storage server{};
  socklen_t size = sizeof server;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&server), &size) != 0)
    return fail_errno("getpeername", errno);
  if (server.ss_family != AF_INET && server.ss_family != AF_INET6)
    return fail(ErrorCode::invalid, "not a TCP socket");
  char port[8];
  std::snprintf(port, sizeof port, ":%04X", ntohs(port_of(server)));
  std::string any4 = std::string("00000000") + port, any6 = std::string(32, '0') + port;
  std::vector<uid_t> uids;
  if (server.ss_family == AF_INET) {
    add_listeners("/proc/net/tcp", proc_address(server), any4, uids);
    // A dual-stack listener on [::] takes IPv4 connections too (as ::ffff:a.b.c.d).
    sockaddr_storage mapped{};
    auto& v6 = reinterpret_cast<sockaddr_in6&>(mapped);
    v6.sin6_family = AF_INET6;
    v6.sin6_port = port_of(server);
    v6.sin6_addr.s6_addr[10] = v6.sin6_addr.s6_addr[11] = 0xff;
    std::memcpy(&v6.sin6_addr.s6_addr[12], &reinterpret_cast<sockaddr_in&>(server).sin_addr, 4);
    add_listeners("/proc/net/tcp6", proc_address(mapped), any6, uids);
  } else {
    add_listeners("/proc/net/tcp6", proc_address(server), any6, uids);
  }
  return uids;
}

Result<uid_t> peer_uid(int fd, TcpLookup how) {
  sockaddr_storage self{};
  socklen_t size = sizeof self;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &size) != 0)
    return fail_errno("getsockname", errno);
  if (self.ss_family == AF_UNIX) {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
      return fail_errno("SO_PEERCRED", errno);
    return cred.uid;
  }
  if (self.ss_family == AF_INET || self.ss_family == AF_INET6)
    return tcp_peer_uid(fd, self.ss_family, how);
  return fail(ErrorCode::invalid, "not a unix or TCP socket");
}

std::optional<pid_t> unix_peer_pid(int fd) {
  sockaddr_storage self{};
  socklen_t self_len = sizeof self;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &self_len) != 0 ||
      self.ss_family != AF_UNIX)
    return std::nullopt;
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || cred.pid <= 0)
    return std::nullopt;
  return cred.pid;
}

}  // namespace sccache::util
