#pragma once
// One client connection: read a request frame, answer it, repeat until the client hangs up.
// A malformed frame closes this connection only; the server keeps serving others.
#include <asio/awaitable.hpp>

#include "server/frame_io.hpp"
#include "server/service.hpp"

namespace sccache::server {

asio::awaitable<void> run_session(Service& service, Socket socket);

}  // namespace sccache::server
