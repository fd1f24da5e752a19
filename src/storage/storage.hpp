#pragma once
// The backend contract: get / put of opaque blobs under a hex key. Calls block, so the server makes
// them from its thread pool; implementations must be safe to call from several threads at once.
// Failures are values (ErrorCode::timeout kept apart); a miss is std::nullopt.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace sccache::storage {

// What one level of a multilevel storage did since the last reset: the storage keeps these
// outcomes, the server shows them beside its own counters (it adds nothing to them).
struct LevelReport {
  std::string location;
  bool writable = true;
  bool available = true;  // false while its circuit breaker keeps it out of the compile path
  std::uint64_t hits = 0, misses = 0, read_errors = 0, timeouts = 0, skipped = 0;
  std::uint64_t writes = 0, write_errors = 0;
  std::uint64_t too_large = 0;  // writes the level refused by its own size limit (not errors)
  std::optional<std::uint64_t> size, max_size;
};

// What a remote may send back for one entry: a longer answer is an error, not a buffer that grows
// without end (decoding has its own cap on the decompressed size).
inline constexpr std::size_t k_max_remote_blob = std::size_t{512} << 20;

class Storage {
 public:
  virtual ~Storage() = default;
  virtual util::Result<std::optional<std::string>> get(const std::string& key) = 0;
  // ErrorCode::too_large: the backend does not take entries this big (memcached's item limit); a
  // multilevel storage counts it as a skipped write, not as an error.
  virtual util::Result<void> put(const std::string& key, std::string_view blob) = 0;
  // Forget an entry found damaged, so that the next compile replaces it.
  virtual void remove(const std::string& key) = 0;
  // For the stats: e.g. `Local disk: "/home/u/.cache/sccache"`.
  virtual std::string location() const = 0;
  virtual std::optional<std::uint64_t> current_size() const = 0;
  virtual std::optional<std::uint64_t> max_size() const = 0;
  // Slow start-up work (indexing a large cache). The server runs it on its thread pool after it
  // starts listening; get/put work before it finishes.
  virtual void warm_up() {}
  // One report per level, for storages made of several (empty otherwise). Sizes may be asked of a
  // remote: call from the thread pool.
  virtual std::vector<LevelReport> levels() const { return {}; }
  virtual void reset_level_counts() {}
};

}  // namespace sccache::storage
