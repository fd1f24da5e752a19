#include "stats/server_stats.hpp"

namespace sccache::stats {

namespace {

std::uint64_t& field(protocol::ServerStats& s, Counter counter) {
  switch (counter) {
    case Counter::compile_requests:
      return s.compile_requests;
    case Counter::requests_unsupported_compiler:
      return s.requests_unsupported_compiler;
    case Counter::requests_not_compile:
      return s.requests_not_compile;
    case Counter::requests_not_cacheable:
      return s.requests_not_cacheable;
    case Counter::requests_executed:
      return s.requests_executed;
    case Counter::cache_timeouts:
      return s.cache_timeouts;
    case Counter::cache_read_errors:
      return s.cache_read_errors;
    case Counter::non_cacheable_compilations:
      return s.non_cacheable_compilations;
    case Counter::forced_recaches:
      return s.forced_recaches;
    case Counter::cache_write_errors:
      return s.cache_write_errors;
    case Counter::cache_writes:
      return s.cache_writes;
    case Counter::compile_fails:
      return s.compile_fails;
  }
  return s.compile_requests;  // unreachable: every enumerator is handled above
}

protocol::PerLanguageCount& field(protocol::ServerStats& s, LanguageCounter counter) {
  switch (counter) {
    case LanguageCounter::cache_hits:
      return s.cache_hits;
    case LanguageCounter::cache_misses:
      return s.cache_misses;
    case LanguageCounter::cache_errors:
      return s.cache_errors;
  }
  return s.cache_hits;
}

protocol::Duration& field(protocol::ServerStats& s, Timer timer) {
  switch (timer) {
    case Timer::cache_write:
      return s.cache_write_duration;
    case Timer::cache_read_hit:
      return s.cache_read_hit_duration;
    case Timer::compiler:
      return s.compiler_write_duration;
  }
  return s.cache_write_duration;
}

}  // namespace

void ServerStats::add(Counter counter, std::uint64_t n) {
  std::lock_guard lock(m_mutex);
  field(m_stats, counter) += n;
}

void ServerStats::add(LanguageCounter counter, const std::string& language, std::uint64_t n) {
  std::lock_guard lock(m_mutex);
  field(m_stats, counter).counts[language] += n;
}

void ServerStats::add_time(Timer timer, std::chrono::nanoseconds elapsed) {
  if (elapsed.count() < 0) return;
  std::lock_guard lock(m_mutex);
  auto& d = field(m_stats, timer);
  std::uint64_t nanos = d.nanos + static_cast<std::uint64_t>(elapsed.count());
  d.secs += nanos / 1'000'000'000;
  d.nanos = static_cast<std::uint32_t>(nanos % 1'000'000'000);
}

void ServerStats::add(ExtraCounter counter) {
  std::lock_guard lock(m_mutex);
  switch (counter) {
    case ExtraCounter::direct_hits:
      ++m_extras.direct_hits;
      break;
    case ExtraCounter::preprocessor_hits:
      ++m_extras.preprocessor_hits;
      break;
    case ExtraCounter::manifest_updates:
      ++m_extras.manifest_updates;
      break;
    case ExtraCounter::connections_refused:
      ++m_extras.connections_refused;
      break;
    case ExtraCounter::jobserver_compiles:
      ++m_extras.jobserver_compiles;
      break;
    case ExtraCounter::slot_waits:
      ++m_extras.slot_waits;
      break;
  }
}

protocol::ServerInfoExtras ServerStats::extras() const {
  std::lock_guard lock(m_mutex);
  return m_extras;
}

void ServerStats::add_not_cached(const std::string& reason) {
  std::lock_guard lock(m_mutex);
  ++m_stats.not_cached[reason];
  ++m_stats.requests_not_cacheable;
}

void ServerStats::add_manifest_not_recorded(const std::string& reason) {
  std::lock_guard lock(m_mutex);
  ++m_extras.manifest_not_recorded[reason];
}

protocol::ServerStats ServerStats::snapshot() const {
  std::lock_guard lock(m_mutex);
  return m_stats;
}

void ServerStats::zero() {
  std::lock_guard lock(m_mutex);
  m_stats = protocol::ServerStats{};
  m_extras = protocol::ServerInfoExtras{};
}

}  // namespace sccache::stats
