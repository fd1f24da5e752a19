#pragma once
// One Compile request, end to end: detect the compiler, read the arguments, answer whether the
// server takes it, then look the result up (preprocess → key → storage) or compile, answer with
// CompileFinished, and only then write the new entry to the cache.
#include <asio/awaitable.hpp>

#include "protocol/messages.hpp"
#include "server/frame_io.hpp"
#include "server/service.hpp"

namespace sccache::server {

asio::awaitable<void> run_compile(Service& service, protocol::Compile request, Socket& socket);

}  // namespace sccache::server
