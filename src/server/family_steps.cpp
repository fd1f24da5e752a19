#include "server/family_steps.hpp"

#include "exec/offload.hpp"
#include "util/log.hpp"

namespace sccache::server {

using Clock = std::chrono::steady_clock;
using stats::Counter;

bool count_lookup(Service& service, const LookupResult& found, const std::string& language,
                  Clock::time_point start) {
  auto& stats = service.stats();
  if (found.status == LookupStatus::timeout) {
    stats.add(Counter::cache_timeouts);
    log::warn("cache read timed out, compiling: {}", found.error);
  } else if (found.status == LookupStatus::read_error) {
    stats.add(Counter::cache_read_errors);
    log::warn("cache read failed, compiling: {}", found.error);
  }
  if (found.status != LookupStatus::hit) return false;
  stats.add(stats::LanguageCounter::cache_hits, language);
  stats.add_time(stats::Timer::cache_read_hit, Clock::now() - start);
  return true;
}

asio::awaitable<void> store_entry(Service& service, const std::string& key,
                                  const storage::CacheEntry& entry) {
  auto start = Clock::now();
  int level = service.config().zstd_level;
  auto put = co_await exec::offload(service.pool(), [&]() -> util::Result<void> {
    auto blob = storage::encode_entry(entry, key, level);
    if (!blob) return tl::make_unexpected(blob.error());
    return service.storage().put(key, *blob);
  });
  if (put) {
    service.stats().add(Counter::cache_writes);
    service.stats().add_time(stats::Timer::cache_write, Clock::now() - start);
  } else {
    service.stats().add(Counter::cache_write_errors);
    log::warn("cache write of {} failed: {}", key, put.error().message);
  }
}

}  // namespace sccache::server
