#include "server/session.hpp"

#include "exec/offload.hpp"
#include "protocol/codec.hpp"
#include "server/compile_job.hpp"
#include "util/log.hpp"

namespace sccache::server {

namespace {

// The stats may ask a remote level for its size: never on the I/O thread.
asio::awaitable<protocol::ServerInfo> server_info(Service& service) {
  co_return co_await exec::offload(service.pool(), [&service] { return service.info(); });
}

// Answers one request; returns false when the connection should close.
asio::awaitable<bool> dispatch(Service& service, protocol::Request request, Socket& socket) {
  if (auto* compile = std::get_if<protocol::Compile>(&request)) {
    co_await run_compile(service, std::move(*compile), socket);
  } else if (std::holds_alternative<protocol::ZeroStats>(request)) {
    service.zero_stats();
    {
      auto info = co_await server_info(service);
      protocol::Response reply = protocol::Stats{std::move(info)};
      co_await send(socket, reply);
    }
  } else if (std::holds_alternative<protocol::GetStats>(request)) {
    {
      auto info = co_await server_info(service);
      protocol::Response reply = protocol::Stats{std::move(info)};
      co_await send(socket, reply);
    }
  } else if (std::holds_alternative<protocol::DistStatus>(request)) {
    {
      protocol::Response reply = protocol::DistInfo{"distributed compilation is not supported"};
      co_await send(socket, reply);
    }
  } else if (std::holds_alternative<protocol::Shutdown>(request)) {
    {
      auto info = co_await server_info(service);
      protocol::Response reply = protocol::ShuttingDown{std::move(info)};
      co_await send(socket, reply);
    }
    service.request_shutdown();
    co_return false;
  }
  co_return true;
}

}  // namespace

asio::awaitable<void> run_session(Service& service, Socket socket) {
  for (;;) {
    auto frame = co_await read_frame(socket, service.config().max_frame_length);
    if (!frame) {
      log::error("closing a connection: {}", frame.error().message);
      co_return;
    }
    if (!*frame) co_return;  // the client hung up
    auto request = protocol::decode_request(**frame);
    if (!request) {
      log::error("closing a connection after a malformed request: {}", request.error().message);
      co_return;
    }
    Service::WorkGuard busy(service);
    if (!co_await dispatch(service, std::move(*request), socket)) co_return;
  }
}

}  // namespace sccache::server
