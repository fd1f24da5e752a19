#pragma once
// Who is at the other end of a connected socket. The server runs compilers for its clients, so it
// must serve only its own user; a client must send its compiles only to its own user's server.
// A unix socket tells the peer's credentials (SO_PEERCRED). TCP does not: on loopback the peer's
// socket is in this machine's socket table, and its owner is found there (NETLINK_SOCK_DIAG, an
// exact lookup of the peer's 4-tuple; the /proc/net/tcp table if netlink is unavailable).
#include <sys/types.h>

#include <optional>
#include <vector>

#include "util/error.hpp"

namespace sccache::util {

// How a TCP peer is looked up: netlink first, the /proc table if that fails; or only the table
// (tests, so the fallback is exercised too).
enum class TcpLookup { netlink_then_table, table_only };

// The uid owning the socket at the other end of `fd` (a connected unix or loopback TCP socket).
// An error when it cannot be established: callers refuse the peer (fail closed). A TCP socket no
// process holds (one still in its listener's accept queue, or one its process has closed) shows
// no owner — the kernel says uid 0 for it — and is ErrorCode::unavailable: a client may ask again
// once the server has accepted; a server's peer that has hung up is simply gone.
Result<uid_t> peer_uid(int fd, TcpLookup how = TcpLookup::netlink_then_table);

// The process at the other end of a unix socket (SO_PEERCRED), as of its connect; nullopt for
// any other socket.
std::optional<pid_t> unix_peer_pid(int fd);

// For a client's TCP socket: the owners of every socket listening where it is connected (the
// address, or any address, on that port) — who may have taken the connection. Lets a client tell
// whose server it reached before that server has accepted, or after it has hung up.
Result<std::vector<uid_t>> tcp_listener_uids(int fd);

}  // namespace sccache::util
