#pragma once
// Starting the server in the background: re-run this executable with SCCACHE_START_SERVER=1 in its
// own session, stdio on /dev/null, and a pipe on fd 3 (SCCACHE_STARTUP_NOTIFY_FD) on which it
// reports once it listens. Two clients racing end up with one server: the loser reports
// "address in use" and its client connects to the winner.
#include "config/config.hpp"
#include "util/error.hpp"

namespace sccache::client {

// Returns once a server accepts connections on `endpoint`, or an error after the start-up timeout.
util::Result<void> start_server(const config::ClientConfig& endpoint);

}  // namespace sccache::client
