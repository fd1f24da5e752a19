#pragma once
// Who is at the other end of a connected socket. The server runs compilers for its clients, so it
// must serve only its own user; a client must send its compiles only to its own user's server.
// A unix socket tells the peer's credentials (SO_PEERCRED). TCP does not: on loopback the peer's
// socket is in this machine's socket table, and its owner is found there (NETLINK_SOCK_DIAG, an
// exact lookup of the peer's 4-tuple; the /proc/net/tcp table if netlink is unavailable).
#include <sys/types.h>

#include "util/error.hpp"

namespace sccache::util {

// How a TCP peer is looked up: netlink first, the /proc table if that fails; or only the table
// (tests, so the fallback is exercised too).
enum class TcpLookup { netlink_then_table, table_only };

// The uid owning the socket at the other end of `fd` (a connected unix or loopback TCP socket).
// An error when it cannot be established: callers refuse the peer (fail closed).
Result<uid_t> peer_uid(int fd, TcpLookup how = TcpLookup::netlink_then_table);

}  // namespace sccache::util
