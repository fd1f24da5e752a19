#include "storage/multilevel_storage.hpp"

#include <atomic>

#include "storage/circuit_breaker.hpp"
#include "util/log.hpp"

namespace sccache::storage {

namespace {

// A remote failing this way is unreachable or too slow; other failures (a damaged entry) are not
// the remote's health.
bool is_outage(const util::Error& e) {
  return e.code == util::ErrorCode::timeout || e.code == util::ErrorCode::io;
}

struct Counts {
  std::atomic<std::uint64_t> hits{0}, misses{0}, read_errors{0}, timeouts{0}, skipped{0};
  std::atomic<std::uint64_t> writes{0}, write_errors{0}, too_large{0};
};

class MultilevelStorage final : public Storage {
 public:
  explicit MultilevelStorage(std::vector<Level> levels)
      : m_levels(std::move(levels)), m_counts(m_levels.size()), m_breakers(m_levels.size()) {}

  util::Result<std::optional<std::string>> get(const std::string& key) override {
    std::optional<util::Error> first_error;
    for (std::size_t i = 0; i < m_levels.size(); ++i) {
      auto found = read(i, key);
      if (!found) {
        if (!first_error) first_error = found.error();
        continue;
      }
      if (!*found) continue;
      for (std::size_t j = 0; j < i; ++j) {  // backfill the faster levels
        if (m_levels[j].writable) (void)write(j, key, **found);
      }
      return found;
    }
    if (first_error) return tl::make_unexpected(*first_error);
    return std::optional<std::string>{};
  }

  util::Result<void> put(const std::string& key, std::string_view blob) override {
    util::Result<void> result;
    for (std::size_t i = 0; i < m_levels.size(); ++i) {
      if (!m_levels[i].writable) continue;
      auto written = write(i, key, blob);
      if (!written && result) result = written;
    }
    return result;
  }

  void remove(const std::string& key) override {
    for (std::size_t i = 0; i < m_levels.size(); ++i) {
      if (!m_levels[i].writable || (guarded(i) && m_breakers[i].is_open())) continue;
      m_levels[i].storage->remove(key);
    }
  }

  std::string location() const override {
    std::string out;
    for (const auto& level : m_levels) {
      if (!out.empty()) out += "; ";
      out += level.storage->location();
      if (!level.writable) out += " (read-only)";
    }
    return out;
  }
  // Sizes are those of the first level (local disk); each level's own are in levels().
  std::optional<std::uint64_t> current_size() const override {
    return m_levels.front().storage->current_size();
  }
  std::optional<std::uint64_t> max_size() const override {
    return m_levels.front().storage->max_size();
  }
  void warm_up() override {
    for (auto& level : m_levels) level.storage->warm_up();
  }

  std::vector<LevelReport> levels() const override {
    std::vector<LevelReport> out;
    for (std::size_t i = 0; i < m_levels.size(); ++i) {
      const Counts& c = m_counts[i];
      LevelReport r;
      r.location = m_levels[i].storage->location();
      r.writable = m_levels[i].writable;
      r.available = !guarded(i) || !m_breakers[i].is_open();
      r.hits = c.hits, r.misses = c.misses, r.read_errors = c.read_errors;
      r.timeouts = c.timeouts, r.skipped = c.skipped;
      r.writes = c.writes, r.write_errors = c.write_errors, r.too_large = c.too_large;
      if (r.available) {  // a remote that is down is not asked (each question would time out)
        r.size = m_levels[i].storage->current_size();
        r.max_size = m_levels[i].storage->max_size();
      }
      out.push_back(std::move(r));
    }
    return out;
  }

  void reset_level_counts() override {
    for (Counts& c : m_counts) {
      for (auto* n : {&c.hits, &c.misses, &c.read_errors, &c.timeouts, &c.skipped, &c.writes,
                      &c.write_errors, &c.too_large}) {
        *n = 0;
      }
    }
  }

 private:
  // The first level is the local disk: always asked. Remotes sit behind a circuit breaker.
  static bool guarded(std::size_t i) { return i > 0; }

  util::Result<std::optional<std::string>> read(std::size_t i, const std::string& key) {
    Counts& c = m_counts[i];
    if (guarded(i) && !m_breakers[i].allow()) {
      ++c.skipped;
      return std::optional<std::string>{};
    }
    auto found = m_levels[i].storage->get(key);
    if (found) {
      ++(*found ? c.hits : c.misses);
      note_outcome(i, nullptr);
      return found;
    }
    ++(found.error().code == util::ErrorCode::timeout ? c.timeouts : c.read_errors);
    log::warn("{} read failed: {}", m_levels[i].storage->location(), found.error().message);
    note_outcome(i, &found.error());
    return found;
  }

  util::Result<void> write(std::size_t i, const std::string& key, std::string_view blob) {
    Counts& c = m_counts[i];
    if (guarded(i) && !m_breakers[i].allow()) {
      ++c.skipped;
      return {};  // not an error: the level is known to be down and the read side says so
    }
    auto written = m_levels[i].storage->put(key, blob);
    if (written) {
      ++c.writes;
      note_outcome(i, nullptr);
      return written;
    }
    if (written.error().code == util::ErrorCode::too_large) {
      ++c.too_large;
      log::info("{}", written.error().message);
      note_outcome(i, nullptr);  // the level answered
      return {};
    }
    ++c.write_errors;
    log::warn("{} write failed: {}", m_levels[i].storage->location(), written.error().message);
    note_outcome(i, &written.error());
    return written;
  }

  // Whether the remote answered: any answer (even a damaged entry) closes its breaker.
  void note_outcome(std::size_t i, const util::Error* e) {
    if (!guarded(i)) return;
    if (!e || !is_outage(*e)) return m_breakers[i].record_success();
    if (m_breakers[i].record_failure()) {
      log::warn("{} keeps failing: skipped for a while (at most {} s between retries)",
                m_levels[i].storage->location(), CircuitBreaker::k_max_cool_down.count());
    }
  }

  std::vector<Level> m_levels;
  std::vector<Counts> m_counts;
  mutable std::vector<CircuitBreaker> m_breakers;
};

}  // namespace

std::unique_ptr<Storage> make_multilevel_storage(std::vector<Level> levels) {
  return std::make_unique<MultilevelStorage>(std::move(levels));
}

}  // namespace sccache::storage
