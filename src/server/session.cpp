#include "server/session.hpp"

#include "protocol/codec.hpp"
#include "server/compile_job.hpp"
#include "util/log.hpp"

namespace sccache::server {

namespace {

// Answers one request; returns false when the connection should close.
asio::awaitable<bool> dispatch(Service& service, protocol::Request request, Socket& socket) {
  if (auto* compile = std::get_if<protocol::Compile>(&request)) {
    co_await run_compile(service, std::move(*compile), socket);
  } else if (std::holds_alternative<protocol::ZeroStats>(request)) {
    service.stats().zero();
    {
      protocol::Response reply = protocol::Stats{service.info()};
      co_await send(socket, reply);
    }
  } else if (std::holds_alternative<protocol::GetStats>(request)) {
    {
      protocol::Response reply = protocol::Stats{service.info()};
      co_await send(socket, reply);
    }
  } else if (std::holds_alternative<protocol::DistStatus>(request)) {
    {
      protocol::Response reply = protocol::DistInfo{"distributed compilation is not supported"};
      co_await send(socket, reply);
    }
  } else if (std::holds_alternative<protocol::Shutdown>(request)) {
    {
      protocol::Response reply = protocol::ShuttingDown{service.info()};
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
