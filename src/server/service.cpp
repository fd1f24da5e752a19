#include "server/service.hpp"

#include <asio/post.hpp>
#include <thread>

#include "server/compiler_family.hpp"
#include "server/families.hpp"

namespace sccache::server {

Service::Service(asio::io_context& io, asio::thread_pool& pool, config::ServerConfig config,
                 std::unique_ptr<storage::Storage> storage, std::filesystem::path scratch)
    : m_io(io),
      m_pool(pool),
      m_config(std::move(config)),
      m_storage(std::move(storage)),
      m_compile_slots(io, std::thread::hardware_concurrency()),
      m_idle_signal(io, asio::steady_timer::time_point::max()) {
  m_families = make_families(*this, scratch);
}

Service::~Service() = default;

protocol::ServerInfo Service::info() const {
  protocol::ServerInfo info;
  info.stats = m_stats.snapshot();
  info.cache_location = m_storage->location();
  info.cache_size = m_storage->current_size();
  info.max_cache_size = m_storage->max_size();
  info.version = SCCACHE_VERSION;
  auto& extras = info.extras.emplace(m_stats.extras());
  extras.direct_mode = m_config.direct_mode;
  extras.compile_slots = m_compile_slots.capacity();
  extras.file_memo_entries = m_file_memo.entries();
  extras.file_memo_bytes = m_file_memo.memory_bytes();
  for (auto& l : m_storage->levels()) {
    protocol::CacheLevel c{std::move(l.location),
                           l.writable,
                           l.available,
                           l.hits,
                           l.misses,
                           l.read_errors,
                           l.timeouts,
                           l.skipped,
                           l.writes,
                           l.write_errors,
                           l.size,
                           l.max_size};
    c.too_large = l.too_large;
    extras.levels.push_back(std::move(c));
  }
  return info;
}

void Service::zero_stats() {
  m_stats.zero();
  m_storage->reset_level_counts();
}

Service::WorkGuard::WorkGuard(Service& s) : m_service(s) {
  ++m_service.m_in_flight;
  m_service.touch();
}

Service::WorkGuard::~WorkGuard() {
  m_service.touch();
  if (--m_service.m_in_flight == 0) {
    // Wake whoever waits for the server to fall quiet; the timer lives on the I/O thread.
    asio::post(m_service.m_io, [&s = m_service] { s.m_idle_signal.cancel(); });
  }
}

void Service::request_shutdown() {
  if (m_shutting_down) return;
  m_shutting_down = true;
  if (m_on_shutdown) m_on_shutdown();
}

}  // namespace sccache::server
