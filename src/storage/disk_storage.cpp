#include "storage/disk_storage.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <vector>

#include "util/fs.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace sccache::storage {

namespace {

namespace fs = std::filesystem;

// Stale temporary files (a writer killed mid-write) older than this are removed at start-up.
constexpr std::chrono::hours k_stale_temp_age{1};

bool valid_key(const std::string& key) {
  return key.size() >= 3 && std::all_of(key.begin(), key.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class DiskStorage final : public Storage {
 public:
  DiskStorage(fs::path dir, std::uint64_t max_size) : m_dir(std::move(dir)), m_max_size(max_size) {
    std::error_code ec;
    fs::create_directories(m_dir, ec);
  }

  // Indexes the entries already on disk. Until it has run, sizes count only new entries and
  // nothing is evicted (eviction needs the ages of all entries).
  void warm_up() override { scan(); }

  util::Result<std::optional<std::string>> get(const std::string& key) override {
    if (!valid_key(key)) return util::fail(util::ErrorCode::invalid, "invalid cache key " + key);
    auto path = path_of(key);
    auto data = util::read_file(path);
    if (!data) {
      if (errno == ENOENT || !fs::exists(path)) return std::optional<std::string>{};
      return tl::make_unexpected(data.error());
    }
    ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // now: most recently used
    std::lock_guard lock(m_mutex);
    if (auto it = m_index.find(key); it != m_index.end()) it->second.last_use = now_ns();
    return std::optional<std::string>{std::move(*data)};
  }

  util::Result<void> put(const std::string& key, std::string_view blob) override {
    if (!valid_key(key)) return util::fail(util::ErrorCode::invalid, "invalid cache key " + key);
    if (blob.size() > m_max_size) {
      log::debug("entry {} of {} bytes is larger than the cache; not stored", key, blob.size());
      return {};
    }
    auto written = util::write_file_atomic(path_of(key), blob, 0644);
    if (!written) return written;
    std::lock_guard lock(m_mutex);
    record(key, blob.size(), now_ns());
    evict_if_needed();
    return {};
  }

  void remove(const std::string& key) override {
    if (!valid_key(key)) return;
    util::remove_quietly(path_of(key));
    std::lock_guard lock(m_mutex);
    forget(key);
  }

  std::string location() const override {
    return "Local disk: " + util::debug_quote(m_dir.string());
  }
  std::optional<std::uint64_t> current_size() const override {
    std::lock_guard lock(m_mutex);
    return m_total;
  }
  std::optional<std::uint64_t> max_size() const override { return m_max_size; }

 private:
  struct Item {
    std::uint64_t size = 0;
    std::int64_t last_use = 0;
  };

  fs::path path_of(const std::string& key) const {
    return m_dir / std::string(1, key[0]) / std::string(1, key[1]) / key;
  }

  void record(const std::string& key, std::uint64_t size, std::int64_t last_use) {
    forget(key);
    m_index[key] = Item{size, last_use};
    m_total += size;
  }

  void forget(const std::string& key) {
    if (auto it = m_index.find(key); it != m_index.end()) {
      m_total -= it->second.size;
      m_index.erase(it);
    }
  }

  // Once over the limit, drop least recently used entries down to 90% so that eviction runs rarely.
  void evict_if_needed() {
    if (!m_scanned || m_total <= m_max_size) return;
    std::vector<std::pair<std::int64_t, std::string>> by_age;
    by_age.reserve(m_index.size());
    for (const auto& [key, item] : m_index) by_age.emplace_back(item.last_use, key);
    std::sort(by_age.begin(), by_age.end());
    std::uint64_t target = m_max_size / 10 * 9;
    for (const auto& [age, key] : by_age) {
      if (m_total <= target) break;
      util::remove_quietly(path_of(key));
      forget(key);
    }
  }

  void scan() {
    std::error_code ec;
    auto stale_before =
        now_ns() - std::chrono::duration_cast<std::chrono::nanoseconds>(k_stale_temp_age).count();
    std::lock_guard lock(m_mutex);
    for (fs::recursive_directory_iterator it(m_dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it.depth() != 2 || !it->is_regular_file(ec)) continue;
      std::string name = it->path().filename().string();
      auto st = util::stat_file(it->path());
      if (!st) continue;
      if (name.find(".tmp.") != std::string::npos) {
        if (st->mtime_ns < stale_before) util::remove_quietly(it->path());
        continue;
      }
      // An entry written or read since start-up is already recorded with a fresher age.
      if (valid_key(name) && !m_index.contains(name)) record(name, st->size, st->mtime_ns);
    }
    m_scanned = true;
    evict_if_needed();
  }

  fs::path m_dir;
  std::uint64_t m_max_size;
  mutable std::mutex m_mutex;
  std::map<std::string, Item> m_index;
  std::uint64_t m_total = 0;
  bool m_scanned = false;
};

}  // namespace

std::unique_ptr<Storage> make_disk_storage(const std::filesystem::path& dir,
                                           std::uint64_t max_size) {
  return std::make_unique<DiskStorage>(dir, max_size);
}

}  // namespace sccache::storage
