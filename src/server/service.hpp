#pragma once
// State shared by every connection of one server: config, stats, storage, compiler detection, the
// thread pool, and the bookkeeping that drives idle exit and draining shutdown.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "config/config.hpp"
#include "exec/process_runner.hpp"
#include "hash/file_memo.hpp"
#include "protocol/messages.hpp"
#include "server/compile_slots.hpp"
#include "server/manifest_memo.hpp"
#include "stats/server_stats.hpp"
#include "storage/storage.hpp"

namespace sccache::server {

class CompilerFamily;

class Service {
 public:
  Service(asio::io_context& io, asio::thread_pool& pool, config::ServerConfig config,
          std::unique_ptr<storage::Storage> storage, std::filesystem::path scratch);
  ~Service();

  asio::io_context& io() { return m_io; }
  asio::thread_pool& pool() { return m_pool; }
  const config::ServerConfig& config() const { return m_config; }
  stats::ServerStats& stats() { return m_stats; }
  storage::Storage& storage() { return *m_storage; }
  exec::ProcessRunner& runner() { return m_runner; }
  // For compiles of clients without a make jobserver (compiler_run.hpp).
  CompileSlots& compile_slots() { return m_compile_slots; }
  // The compiler families, in the order a request asks them (server/families.cpp).
  const std::vector<std::unique_ptr<CompilerFamily>>& families() const { return m_families; }
  hash::FileMemo& file_memo() { return m_file_memo; }
  ManifestMemo& manifests() { return m_manifests; }
  // Serialises read-modify-write of direct-mode manifests (on the thread pool).
  std::mutex& manifest_mutex() { return m_manifest_mutex; }

  // Stats plus cache location and sizes, as sent to clients.
  protocol::ServerInfo info() const;  // may ask remotes for their sizes: from the pool
  void zero_stats();                  // the server's counters and the cache levels'

  // Work in flight (a request being served or a cache write): the server does not exit under it.
  class WorkGuard {
   public:
    explicit WorkGuard(Service& s);
    ~WorkGuard();
    WorkGuard(const WorkGuard&) = delete;
    WorkGuard& operator=(const WorkGuard&) = delete;

   private:
    Service& m_service;
  };
  // Connections being served (the listener stops accepting at its cap); one per session.
  class SessionGuard {
   public:
    explicit SessionGuard(Service& s) : m_service(s) { ++m_service.m_sessions; }
    ~SessionGuard() { --m_service.m_sessions; }
    SessionGuard(const SessionGuard&) = delete;
    SessionGuard& operator=(const SessionGuard&) = delete;

   private:
    Service& m_service;
  };
  int sessions() const { return m_sessions; }

  void touch() { m_last_activity = std::chrono::steady_clock::now(); }
  std::chrono::steady_clock::time_point last_activity() const { return m_last_activity; }
  int work_in_flight() const { return m_in_flight; }

  // Shutdown: stop accepting, let in-flight work finish, then stop the loop.
  void request_shutdown();
  bool shutting_down() const { return m_shutting_down; }
  void on_shutdown(std::function<void()> callback) { m_on_shutdown = std::move(callback); }
  // Signalled whenever work_in_flight() drops to zero.
  asio::steady_timer& idle_signal() { return m_idle_signal; }

 private:
  asio::io_context& m_io;
  asio::thread_pool& m_pool;
  config::ServerConfig m_config;
  stats::ServerStats m_stats;
  std::unique_ptr<storage::Storage> m_storage;
  exec::PosixProcessRunner m_runner;
  CompileSlots m_compile_slots;
  std::vector<std::unique_ptr<CompilerFamily>> m_families;
  hash::FileMemo m_file_memo;
  ManifestMemo m_manifests;
  std::mutex m_manifest_mutex;
  std::chrono::steady_clock::time_point m_last_activity = std::chrono::steady_clock::now();
  std::atomic<int> m_in_flight{0};
  int m_sessions = 0;  // (the I/O thread's only)
  bool m_shutting_down = false;
  std::function<void()> m_on_shutdown;
  asio::steady_timer m_idle_signal;
};

}  // namespace sccache::server
