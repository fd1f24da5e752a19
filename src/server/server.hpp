#pragma once
// The server process: listen, serve until told to stop or idle, drain, exit.
#include "config/config.hpp"

namespace sccache::server {

// Readiness report written to the start-up pipe, one byte: listening, address in use (another
// server won the race), or failure followed by a message.
inline constexpr char k_ready_listening = 'R';
inline constexpr char k_ready_in_use = 'A';
inline constexpr char k_ready_failed = 'E';

// Runs until shutdown; `notify_fd` (if ≥ 0) receives the readiness report and is closed.
// Returns the process exit code.
int run_server(const config::ServerConfig& config, int notify_fd);

}  // namespace sccache::server
