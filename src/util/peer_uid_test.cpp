#include "util/peer_uid.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sccache::util {
namespace {

// A connected pair over TCP on loopback: {client, accepted}.
std::pair<int, int> tcp_pair(int family) {
  int listener = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  EXPECT_GE(listener, 0);
  sockaddr_storage addr{};
  socklen_t size = 0;
  if (family == AF_INET) {
    auto& in = reinterpret_cast<sockaddr_in&>(addr);
    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    size = sizeof in;
  } else {
    auto& in6 = reinterpret_cast<sockaddr_in6&>(addr);
    in6.sin6_family = AF_INET6;
    in6.sin6_addr = in6addr_loopback;
    size = sizeof in6;
  }
  EXPECT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), size), 0);
  EXPECT_EQ(::listen(listener, 1), 0);
  EXPECT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &size), 0);
  int client = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  EXPECT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&addr), size), 0);
  int accepted = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  ::close(listener);
  return {client, accepted};
}

TEST(PeerUid, UnixSocketPeersAreThisUser) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  for (int fd : fds) {
    auto uid = peer_uid(fd);
    ASSERT_TRUE(uid) << uid.error().message;
    EXPECT_EQ(*uid, ::geteuid());
  }
  ::close(fds[0]);
  ::close(fds[1]);
}

// Both ends of a loopback connection find the other's owner, by netlink and by the socket table.
TEST(PeerUid, LoopbackTcpPeersAreFoundInTheSocketTable) {
  for (int family : {AF_INET, AF_INET6}) {
    auto [client, accepted] = tcp_pair(family);
    ASSERT_GE(client, 0);
    ASSERT_GE(accepted, 0);
    for (int fd : {client, accepted}) {
      for (auto how : {TcpLookup::netlink_then_table, TcpLookup::table_only}) {
        auto uid = peer_uid(fd, how);
        ASSERT_TRUE(uid) << family << ": " << uid.error().message;
        EXPECT_EQ(*uid, ::geteuid());
      }
    }
    ::close(client);
    ::close(accepted);
  }
}

// A peer that sends and hangs up leaves a socket with no owner (uid 0 in the table): never
// taken for root.
TEST(PeerUid, APeerThatHasClosedItsSocketIsNotIdentified) {
  for (auto how : {TcpLookup::netlink_then_table, TcpLookup::table_only}) {
    auto [client, accepted] = tcp_pair(AF_INET);
    ASSERT_GE(client, 0);
    ASSERT_EQ(::send(client, "frame", 5, 0), 5);
    ::close(client);
    auto uid = peer_uid(accepted, how);
    ASSERT_FALSE(uid) << "uid " << *uid;
    EXPECT_EQ(uid.error().code, ErrorCode::unavailable);
    ::close(accepted);
  }
}

// A client that connects before the server has accepted sees a socket nobody holds yet: not
// taken for root, and told apart (unavailable) so that it can ask again once accepted.
TEST(PeerUid, AServerSocketNotYetAcceptedHasNoOwnerYet) {
  for (auto how : {TcpLookup::netlink_then_table, TcpLookup::table_only}) {
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof addr;
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), size), 0);
    ASSERT_EQ(::listen(listener, 1), 0);
    ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &size), 0);
    int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&addr), size), 0);
    auto before = peer_uid(client, how);
    ASSERT_FALSE(before) << "uid " << *before;
    EXPECT_EQ(before.error().code, ErrorCode::unavailable);
    int accepted = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    ASSERT_GE(accepted, 0);
    auto after = peer_uid(client, how);
    ASSERT_TRUE(after) << after.error().message;
    EXPECT_EQ(*after, ::geteuid());
    for (int fd : {listener, client, accepted}) ::close(fd);
  }
}

// Who listens where a client is connected: this user, by the exact address and by a wildcard.
TEST(PeerUid, TheListenersAtAClientsPeerAreFound) {
  for (auto address : {htonl(INADDR_LOOPBACK), htonl(INADDR_ANY)}) {
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = address;
    socklen_t size = sizeof addr;
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), size), 0);
    ASSERT_EQ(::listen(listener, 1), 0);
    ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &size), 0);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&addr), size), 0);
    auto uids = tcp_listener_uids(client);
    ASSERT_TRUE(uids) << uids.error().message;
    EXPECT_EQ(*uids, std::vector<uid_t>{::geteuid()});
    ::close(listener);
    // Once the listener is gone, nobody listens there (or the connection, reset, has no peer).
    uids = tcp_listener_uids(client);
    EXPECT_TRUE(!uids || uids->empty());
    ::close(client);
  }
}

TEST(PeerUid, ANonSocketIsAnError) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_FALSE(peer_uid(fds[0]));
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace sccache::util
