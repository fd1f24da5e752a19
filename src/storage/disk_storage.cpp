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

std::int64_t to_ns(const timespec& ts) {
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

bool is_shard_name(const std::string& name) {
  return name.size() == 1 && valid_key(name + "00");
}

// Everything below the cache directory is reached through directory descriptors, one component
// at a time, with O_NOFOLLOW: a symlink planted inside (an entry, a shard directory) is never
// followed, so nothing there can make the server read, write, touch or remove a file outside. The
// directory itself is the path the user gave, links in it followed: it is their setting, like
// any path in their configuration.
class DiskStorage final : public Storage {
 public:
  DiskStorage(fs::path dir, std::uint64_t max_size, std::uint32_t umask)
      : m_dir(std::move(dir)),
        m_max_size(max_size),
        m_dir_mode(0777 & ~umask),
        m_file_mode(0666 & ~umask) {
    if (auto root = util::open_user_dir(m_dir, true, m_dir_mode); !root)
      log::warn("cache directory: {}", root.error().message);
  }

  // Indexes the entries already on disk. Until it has run, sizes count only new entries and
  // nothing is evicted (eviction needs the ages of all entries).
  void warm_up() override { scan(); }

  util::Result<std::optional<std::string>> get(const std::string& key) override {
    if (!valid_key(key)) return invalid_key(key);
    const std::int64_t started = now_ns();
    auto data = read_entry(key);
    if (!data) return data;
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
    if (blob.size() > m_max_size || blob.size() > k_max_remote_blob) {
      log::debug("entry {} of {} bytes is larger than the cache takes; not stored", key,
                 blob.size());
      return {};
    }
    auto dir = open_shard(key, true);
    if (!dir) return tl::make_unexpected(dir.error());
    auto written = util::write_file_atomic_at((*dir)->get(), key, blob, m_file_mode);
    if (!written) return written;
    std::lock_guard lock(m_mutex);
    record(key, blob.size(), now_ns());
    evict_if_needed();
    return {};
  }

  void remove(const std::string& key) override {
    if (!valid_key(key)) return;
    remove_file(key);
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

  // Entries are blobs a remote could hold too: a larger file is none of ours (and is not read).
  util::Result<std::optional<std::string>> read_entry(const std::string& key) const {
    auto dir = open_shard(key, false);
    if (!dir) return tl::make_unexpected(dir.error());
    if (!*dir) return std::optional<std::string>{};
    auto file = util::open_file_at((*dir)->get(), key);
    if (!file) return fail_on(key, file.error());
    if (!*file) return std::optional<std::string>{};
    const util::OpenFile& f = **file;
    auto data = util::read_fd(f.fd.get(), f.size, k_max_remote_blob);
    if (!data) return fail_on(key, data.error());
    // The mtime is the LRU age that survives a restart; set through the descriptor, it can only
    // be this file's. Not when the file has other links (not the cache's alone: ours are made by
    // rename and have one). Failure (a read-only cache) is harmless.
    if (f.links == 1) ::futimens(f.fd.get(), nullptr);
    return std::optional<std::string>{std::move(*data)};
  }

  static tl::unexpected<util::Error> fail_on(const std::string& key, const util::Error& e) {
    return util::fail(e.code, "cache entry " + key + ": " + e.message);
  }

  // The directory holding `key` (<k0>/<k1>), made when `create`; nullopt when it does not exist.
  util::Result<std::optional<util::UniqueFd>> open_shard(const std::string& key,
                                                         bool create) const {
    auto root = util::open_user_dir(m_dir, create, m_dir_mode);
    if (!root || !*root) return root;
    util::UniqueFd dir = std::move(**root);
    for (std::size_t level = 0; level < 2; ++level) {
      const std::string name(1, key[level]);
      if (create) {
        auto next = util::make_dir_at(dir.get(), name, m_dir_mode);
        if (!next) return tl::make_unexpected(next.error());
        dir = std::move(*next);
        continue;
      }
      auto next = util::open_dir_at(dir.get(), name);
      if (!next) return fail_on(key, next.error());
      if (!*next) return next;
      dir = std::move(**next);
    }
    return std::optional<util::UniqueFd>(std::move(dir));
  }

  void remove_file(const std::string& key) const {
    auto dir = open_shard(key, false);
    if (dir && *dir) ::unlinkat((*dir)->get(), key.c_str(), 0);  // the name, never a link's target
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
      remove_file(key);
      forget(key);
    }
  }

  struct Found {
    std::string key;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
  };

  // One pass over the tree, without the lock so that get/put go on meanwhile. Only regular files
  // in <k0>/<k1>/ count, each where its key puts it (eviction removes it there); links and other
  // things found are neither counted nor followed. Removes temporary files left by writers killed
  // mid-write.
  std::vector<Found> list_entries() const {
    std::vector<Found> found;
    auto root = util::open_user_dir(m_dir, false, m_dir_mode);
    if (!root || !*root) {
      if (!root) log::warn("indexing: {}", root.error().message);
      return found;
    }
    for (const auto& k0 : subdirectories((*root)->get())) {
      for (const auto& k1 : subdirectories(k0.second.get())) {
        scan_shard(k1.second.get(), k0.first + k1.first, found);
      }
    }
    return found;
  }

  // The shard directories in `dir` (one hex digit each), opened.
  static std::vector<std::pair<std::string, util::UniqueFd>> subdirectories(int dir) {
    std::vector<std::pair<std::string, util::UniqueFd>> out;
    for (auto& name : util::list_dir(dir).value_or(std::vector<std::string>{})) {
      if (!is_shard_name(name)) continue;
      auto sub = util::open_dir_at(dir, name);  // a vanished or planted one is skipped
      if (sub && *sub) out.emplace_back(std::move(name), std::move(**sub));
    }
    return out;
  }

  static void scan_shard(int dir, const std::string& prefix, std::vector<Found>& found) {
    const auto stale_before =
        now_ns() - std::chrono::duration_cast<std::chrono::nanoseconds>(k_stale_temp_age).count();
    for (auto& name : util::list_dir(dir).value_or(std::vector<std::string>{})) {
      struct stat st {};
      if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
        continue;
      if (name.find(".tmp.") != std::string::npos) {
        if (to_ns(st.st_mtim) < stale_before) ::unlinkat(dir, name.c_str(), 0);
      } else if (valid_key(name) && name.starts_with(prefix)) {
        found.push_back(Found{std::move(name), std::uint64_t(st.st_size), to_ns(st.st_mtim)});
      }
    }
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
  std::uint32_t m_dir_mode, m_file_mode;  // exactly these (SCCACHE_UMASK), whatever our umask
  mutable std::mutex m_mutex;
  std::map<std::string, Item> m_index;
  std::uint64_t m_total = 0;
  bool m_scanned = false;
  std::set<std::string> m_dropped;  // removed before the scan finished
};

}  // namespace

std::unique_ptr<Storage> make_disk_storage(const std::filesystem::path& dir, std::uint64_t max_size,
                                           std::uint32_t umask) {
  return std::make_unique<DiskStorage>(dir, max_size, umask);
}

}  // namespace sccache::storage
