#include "storage/disk_storage.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
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
    if (!valid_key(key)) return invalid_key(key);
    auto path = path_of(key);
    const std::int64_t started = now_ns();
    auto data = read_entry(path);
    if (!data) return data;
    // The mtime is the LRU age that survives a restart. Failure (a read-only cache) is harmless.
    if (*data) ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
    std::lock_guard lock(m_mutex);
    if (!*data) {
      forget_missing(key, started);
    } else if (auto it = m_index.find(key); it != m_index.end()) {
      it->second.last_use = now_ns();
    } else {
      record(key, (*data)->size(), now_ns());  // written by another process since our scan
    }
    return data;
  }

  util::Result<void> put(const std::string& key, std::string_view blob) override {
    if (!valid_key(key)) return invalid_key(key);
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
    drop(key);
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

  static tl::unexpected<util::Error> invalid_key(const std::string& key) {
    return util::fail(util::ErrorCode::invalid, "invalid cache key " + util::debug_quote(key));
  }

  // A failed read is a miss when the file is absent. It may have appeared just after the read
  // failed (a concurrent put renaming it in): one more attempt tells that apart from an I/O error.
  static util::Result<std::optional<std::string>> read_entry(const fs::path& path) {
    for (int attempt = 0;; ++attempt) {
      auto data = util::read_file(path);
      if (data) return std::optional<std::string>{std::move(*data)};
      std::error_code ec;
      if (!fs::exists(path, ec) && !ec) return std::optional<std::string>{};
      if (attempt > 0) return tl::make_unexpected(data.error());
    }
  }

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

  // Forgets an entry whose file is gone; a scan under way must not bring it back.
  void drop(const std::string& key) {
    forget(key);
    if (!m_scanned) m_dropped.insert(key);
  }

  // A read found no file: it was removed behind our back (another process, a user), so stop
  // counting it, unless a put recorded it after the read began (then the file is new).
  void forget_missing(const std::string& key, std::int64_t read_started) {
    auto it = m_index.find(key);
    if (it == m_index.end() || it->second.last_use < read_started) drop(key);
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

  struct Found {
    std::string key;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
  };

  // One pass over the tree, without the lock so that get/put go on meanwhile. Removes temporary
  // files left by writers killed mid-write.
  std::vector<Found> list_entries() const {
    std::vector<Found> found;
    const auto stale_before =
        now_ns() - std::chrono::duration_cast<std::chrono::nanoseconds>(k_stale_temp_age).count();
    std::error_code ec;
    fs::recursive_directory_iterator it(m_dir, fs::directory_options::skip_permission_denied, ec);
    for (fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
      if (it.depth() != 2) continue;
      std::error_code entry_ec;  // a file vanishing under us must not end the scan
      if (it->is_directory(entry_ec)) it.disable_recursion_pending();  // not ours: no deeper
      if (!it->is_regular_file(entry_ec)) continue;
      std::string name = it->path().filename().string();
      auto st = util::stat_file(it->path());
      if (!st) continue;
      if (name.find(".tmp.") != std::string::npos) {
        if (st->mtime_ns < stale_before) util::remove_quietly(it->path());
      } else if (valid_key(name)) {
        found.push_back(Found{std::move(name), st->size, st->mtime_ns});
      }
    }
    if (ec) log::warn("indexing {}: {}", util::debug_quote(m_dir.string()), ec.message());
    return found;
  }

  void scan() {
    auto found = list_entries();
    std::lock_guard lock(m_mutex);
    for (auto& f : found) {
      // An entry written, read or removed since start-up is known better than the scan knows it.
      if (!m_index.contains(f.key) && !m_dropped.contains(f.key)) record(f.key, f.size, f.mtime_ns);
    }
    m_dropped.clear();
    m_scanned = true;
    evict_if_needed();
  }

  fs::path m_dir;
  std::uint64_t m_max_size;
  mutable std::mutex m_mutex;
  std::map<std::string, Item> m_index;
  std::uint64_t m_total = 0;
  bool m_scanned = false;
  std::set<std::string> m_dropped;  // removed before the scan finished
};

}  // namespace

std::unique_ptr<Storage> make_disk_storage(const std::filesystem::path& dir,
                                           std::uint64_t max_size) {
  return std::make_unique<DiskStorage>(dir, max_size);
}

}  // namespace sccache::storage
