#pragma once
// The server's live counters. Thread-safe: the event loop and the thread pool both record.
// A snapshot is the wire struct protocol::ServerStats, so rendering and transport share one shape.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "protocol/messages.hpp"

namespace sccache::stats {

// Plain counters; each maps to one field of protocol::ServerStats.
enum class Counter {
  compile_requests,
  requests_unsupported_compiler,
  requests_not_compile,
  requests_not_cacheable,
  requests_executed,
  cache_timeouts,
  cache_read_errors,
  non_cacheable_compilations,
  forced_recaches,
  cache_write_errors,
  cache_writes,
  compile_fails,
};

// Counters beyond Mozilla v0.4's layout (sent as protocol::ServerInfoExtras).
enum class ExtraCounter {
  direct_hits,
  preprocessor_hits,
  manifest_updates,
  connections_refused,
  jobserver_compiles,
  slot_waits,
};

// Per-language counters.
enum class LanguageCounter { cache_hits, cache_misses, cache_errors };

// Accumulated durations; each is averaged over its own count when shown.
enum class Timer { cache_write, cache_read_hit, compiler };

class ServerStats {
 public:
  void add(Counter counter, std::uint64_t n = 1);
  void add(LanguageCounter counter, const std::string& language, std::uint64_t n = 1);
  void add_time(Timer timer, std::chrono::nanoseconds elapsed);
  void add(ExtraCounter counter);
  void add_not_cached(const std::string& reason);  // also counts requests_not_cacheable
  // A compile direct mode could not vouch for, by reason
  // (compiler::c_family::describe(NotRecordedReason)).
  void add_manifest_not_recorded(const std::string& reason);
  protocol::ServerStats snapshot() const;
  // Direct/preprocessor hit counts; the caller fills in the mode and memo fields.
  protocol::ServerInfoExtras extras() const;
  void zero();

 private:
  mutable std::mutex m_mutex;
  protocol::ServerStats m_stats;
  protocol::ServerInfoExtras m_extras;
};

}  // namespace sccache::stats
