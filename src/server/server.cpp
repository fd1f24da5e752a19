#include "server/server.hpp"

#include "hash/hasher.hpp"

#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_awaitable.hpp>
#include <thread>

#include "server/completion.hpp"
#include "server/listener.hpp"
#include "server/service.hpp"
#include "storage/factory.hpp"
#include "util/log.hpp"
#include "util/temp_dir.hpp"

namespace sccache::server {

namespace {

constexpr auto k_as_tuple = asio::experimental::as_tuple(asio::use_awaitable);
// In-flight compiles and cache writes get this long to finish once shutdown starts.
constexpr std::chrono::seconds k_drain_deadline{30};

void report(int fd, char status, const std::string& message = {}) {
  if (fd < 0) return;
  std::string bytes(1, status);
  bytes += message;
  [[maybe_unused]] auto n = ::write(fd, bytes.data(), bytes.size());
  ::close(fd);
}

// Sessions, pipes and files all take descriptors; a build with many jobs needs more than the soft
// limit's usual 1024. (The accept loop still backs off when they run out.)
void raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Exits the server after `idle_timeout` without requests or work in flight (0 = never).
asio::awaitable<void> watch_idle(Service& service) {
  auto timeout = service.config().idle_timeout;
  if (timeout.count() == 0) co_return;
  asio::steady_timer timer(service.io());
  while (!service.shutting_down()) {
    auto quiet_until = service.last_activity() + timeout;
    if (service.work_in_flight() == 0 && std::chrono::steady_clock::now() >= quiet_until) {
      log::info("idle for {} s, shutting down", timeout.count());
      service.request_shutdown();
      co_return;
    }
    timer.expires_at(
        std::max(quiet_until, std::chrono::steady_clock::now() + std::chrono::milliseconds(100)));
    co_await timer.async_wait(k_as_tuple);
  }
}

// After shutdown starts: wait for work in flight (bounded), then stop the loop.
asio::awaitable<void> drain_and_stop(Service& service) {
  auto deadline = std::chrono::steady_clock::now() + k_drain_deadline;
  while (service.work_in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
    service.idle_signal().expires_at(deadline);
    co_await service.idle_signal().async_wait(k_as_tuple);
  }
  if (service.work_in_flight() > 0)
    log::warn("stopping with {} jobs unfinished", service.work_in_flight());
  service.io().stop();
}

}  // namespace

int run_server(const config::ServerConfig& config, int notify_fd) {
  // A hit decompresses an object of up to a few hundred KiB. By default glibc serves such blocks
  // with mmap, or trims them off the heap when freed, so every hit faulted in fresh zero pages (9 %
  // of the server's time on a C++ hit). Keep up to 64 MiB of freed memory for the next hit instead.
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 64 << 20);
  ::signal(SIGPIPE, SIG_IGN);
  // Reported to the client that starts us (the server's own stderr is /dev/null); compiles run.
  std::string warnings = log::init(config.log_level, config.error_log);
  for (const auto& w : config.warnings) {
    log::warn("config: {}", w);
    warnings += (warnings.empty() ? "" : "\n") + w;
  }
  raise_fd_limit();
  asio::io_context io(1);
  Listener listener(io, config.endpoint);
  if (listener.status() == Listener::Status::address_in_use) {
    log::info("another server already listens on {}", listener.describe());
    report(notify_fd, k_ready_in_use);
    return 0;
  }
  if (listener.status() == Listener::Status::failed) {
    log::error("{}", listener.error());
    report(notify_fd, k_ready_failed, listener.error());
    return 1;
  }
  if (auto crypto = hash::crypto_available(); !crypto) {
    log::error("{}", crypto.error().message);
    report(notify_fd, k_ready_failed, crypto.error().message);
    return 1;
  }
  unsigned threads = std::max(2u, std::thread::hardware_concurrency());
  asio::thread_pool pool(threads);
  auto storage = storage::make_storage(config);
  if (!storage) {
    log::error("{}", storage.error().message);
    report(notify_fd, k_ready_failed, storage.error().message);
    return 1;
  }
  auto scratch = util::TempDir::create("sccache-cpp-");
  if (!scratch) {
    report(notify_fd, k_ready_failed, scratch.error().message);
    return 1;
  }
  Service service(io, pool, config, std::move(*storage), scratch->path());
  service.on_shutdown([&] {
    listener.close();
    asio::co_spawn(io, drain_and_stop(service), log_failure("shutdown"));
  });
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const asio::error_code& ec, int) {
    if (!ec) service.request_shutdown();
  });
  asio::co_spawn(io, listener.accept_loop(service), log_failure("the listener"));
  asio::co_spawn(io, watch_idle(service), log_failure("the idle timer"));
  log::info("listening on {}", listener.describe());
  report(notify_fd, k_ready_listening, warnings);
  asio::post(pool, [&service] { service.storage().warm_up(); });
  io.run();
  pool.join();
  log::info("server stopped");  // (the scratch directory goes with `scratch`)
  return 0;
}

}  // namespace sccache::server
