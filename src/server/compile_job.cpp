#include "server/compile_job.hpp"

#include <asio/co_spawn.hpp>

#include "server/compiler_family.hpp"
#include "server/completion.hpp"

namespace sccache::server {

namespace {

using stats::Counter;

// The first family that knows the compiler decides (see families.cpp for their order).
asio::awaitable<std::optional<Admission>> admit(Service& service, protocol::Compile& request) {
  for (auto& family : service.families()) {
    if (auto admitted = co_await family->admit(request)) co_return admitted;
  }
  co_return std::nullopt;
}

// Runs after the answer: the family's cache writes, as their own coroutine.
asio::awaitable<void> write_after_answer(std::unique_ptr<FamilyCompile> compile,
                                         std::unique_ptr<Service::WorkGuard> busy) {
  co_await compile->write(std::move(busy));
}

}  // namespace

asio::awaitable<void> run_compile(Service& service, protocol::Compile request, Socket& socket) {
  auto& stats = service.stats();
  stats.add(Counter::compile_requests);
  auto exe = request.exe;
  auto admitted = co_await admit(service, request);
  if (!admitted) {
    stats.add(Counter::requests_unsupported_compiler);
    protocol::Response reply = protocol::CompileResponse{protocol::UnsupportedCompiler{exe}};
    co_await send(socket, reply);
    co_return;
  }
  auto* taken = std::get_if<std::unique_ptr<FamilyCompile>>(&*admitted);
  if (!taken) {
    if (auto* declined = std::get_if<NotCached>(&*admitted)) {
      stats.add_not_cached(declined->reason);
    } else {
      stats.add(Counter::requests_not_compile);
    }
    protocol::Response reply = protocol::CompileResponse{protocol::UnhandledCompile{}};
    co_await send(socket, reply);
    co_return;
  }
  auto compile = std::move(*taken);
  stats.add(Counter::requests_executed);
  // A hit known before anything runs: both answers then go out in one write.
  if (auto hit = co_await compile->lookup_at_once()) {
    std::vector<protocol::Response> replies{protocol::CompileResponse{protocol::CompileStarted{}},
                                            std::move(*hit)};
    co_await send_all(socket, replies);
    co_return;
  }
  {
    protocol::Response reply = protocol::CompileResponse{protocol::CompileStarted{}};
    co_await send(socket, reply);
  }

  protocol::Response reply = co_await compile->serve();
  // Taken before the answer: a --stop-server that follows it must still wait for the cache write.
  auto busy = std::make_unique<Service::WorkGuard>(service);
  // The answer goes first; the client never waits for the cache write.
  std::exception_ptr send_error;
  try {
    co_await send(socket, reply);
  } catch (...) {
    send_error = std::current_exception();
  }
  if (compile->has_writes()) {
    asio::co_spawn(service.io(), write_after_answer(std::move(compile), std::move(busy)),
                   log_failure("a cache write"));
  }
  if (send_error) std::rethrow_exception(send_error);
}

}  // namespace sccache::server
