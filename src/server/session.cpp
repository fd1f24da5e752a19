#include "server/session.hpp"

#include "exec/offload.hpp"
#include "protocol/codec.hpp"
#include "server/compile_job.hpp"
#include "util/log.hpp"
#include "util/peer_uid.hpp"

#include <malloc.h>
#include <unistd.h>

namespace sccache::server {

namespace {

// The stats may ask a remote level for its size: never on the I/O thread.
asio::awaitable<protocol::ServerInfo> server_info(Service& service) {
  co_return co_await exec::offload(service.pool(), [&service] { return service.info(); });
}

// Answers one request; returns false when the connection should close.
asio::awaitable<bool> dispatch(Service& service, protocol::Request request, Socket& socket) {
  if (auto* compile = std::get_if<protocol::Compile>(&request)) {
    compile->peer_pid = util::unix_peer_pid(socket.native_handle()).value_or(0);
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
    auto info = co_await server_info(service);
    // The socket is let go of before the answer: a --start-server run right after --stop-server
    // must find the address free, not this server on its way out. (This request's own work guard
    // keeps the drain from stopping the loop before the answer is sent.)
    service.request_shutdown();
    protocol::Response reply = protocol::ShuttingDown{std::move(info)};
    co_await send(socket, reply);
    co_return false;
  }
  co_return true;
}

// The server runs programs for its clients: only its own user may talk to it. Checked before a
// byte is read; a peer that cannot be identified is refused too.
bool admit_peer(Service& service, Socket& socket) {
  auto uid = util::peer_uid(socket.native_handle());
  if (uid && *uid == ::geteuid()) return true;
  // A peer that has already hung up (a probe connecting to see whether a server is there) gets
  // nothing either, but is no refusal worth a warning.
  if (!uid && uid.error().code == util::ErrorCode::unavailable) {
    log::debug("closing a connection whose peer is gone: {}", uid.error().message);
    return false;
  }
  service.stats().add(stats::ExtraCounter::connections_refused);
  static log::RateLimit limit(10);
  if (auto held_back = limit.admit()) {
    log::warn("refused a connection from {} ({} more not logged)",
              uid ? "uid " + std::to_string(*uid) : "an unknown peer: " + uid.error().message,
              *held_back);
  }
  return false;
}

// Above this, a request's memory is returned to the system once it has been served.
constexpr std::size_t k_large_frame = 8 << 20;

// Broken frames are the peer's doing: logged, but never more than a few a minute.
void log_closed(const std::string& why) {
  static log::RateLimit limit(20);
  if (auto held_back = limit.admit())
    log::warn("closing a connection: {} ({} more not logged)", why, *held_back);
}

}  // namespace

asio::awaitable<void> run_session(Service& service, Socket socket) {
  Service::SessionGuard counted(service);
  if (!admit_peer(service, socket)) co_return;
  const auto& config = service.config();
  FrameReader frames(
      socket, {config.max_frame_length, config.connection_idle_timeout, config.frame_timeout});
  for (;;) {
    auto frame = co_await frames.next();
    if (!frame) co_return log_closed(frame.error().message);
    auto* body = std::get_if<std::string>(&*frame);
    if (!body) co_return;  // hung up, or idle: nothing to say
    bool large = body->size() > k_large_frame;
    auto request = protocol::decode_request(*body);
    if (!request) co_return log_closed("malformed request: " + request.error().message);
    body->clear();
    body->shrink_to_fit();
    bool more = false;
    {
      Service::WorkGuard busy(service);
      more = co_await dispatch(service, std::move(*request), socket);
    }
    // A huge request leaves a heap of small freed blocks that glibc keeps: hand them back.
    if (large) ::malloc_trim(0);
    if (!more) co_return;
  }
}

}  // namespace sccache::server
