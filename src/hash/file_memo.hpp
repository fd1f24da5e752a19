#pragma once
// The server's memory of file contents: (device, inode, size, mtime ns, ctime ns) → SHA-256, so a
// header that has not changed since the last compile is not read again. Bounded (least recently
// used entries are dropped) and thread-safe.
#include <cstdint>
#include <filesystem>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "util/error.hpp"
#include "util/fs.hpp"

namespace sccache::hash {

// A `__has_include(<name>)` or `__has_include("name")` in a file (also _next, and wrappers such
// as glibc's __glibc_has_include): whether `name` exists anywhere on the include path decides what
// the file compiles to, even when it is never included.
struct IncludeProbe {
  std::string name;
  bool quoted = false;  // "name": the including file's directory is searched first
  bool operator==(const IncludeProbe&) const = default;
};

struct FileDigest {
  util::FileStat stat;
  std::string sha256;            // hex
  bool has_time_macros = false;  // mentions __DATE__, __TIME__ or __TIMESTAMP__
  std::vector<IncludeProbe> include_probes;
};

class FileMemo {
 public:
  // Files whose times do not prove them older than the digest (util::written_before) are hashed
  // but not remembered: two writes within one tick of the file clock can leave one fingerprint.
  // `remember_fresh` (tests) remembers them too.
  explicit FileMemo(std::size_t max_entries = 200'000, bool remember_fresh = false);

  // Stats the file, then answers from memory or reads and hashes it. The stat is taken before and
  // after a read; a file that changed meanwhile is an error (ErrorCode::corrupt).
  util::Result<FileDigest> digest(const std::string& path);
  util::Result<FileDigest> digest(const std::filesystem::path& path) {
    return digest(path.string());
  }

  // Whether the file's content hash is still `sha256`: what a direct hit asks of every file its
  // manifest lists. Compares in place (no copy of the remembered digest); false when unreadable.
  bool has_hash(const std::string& path, std::string_view sha256);

  std::size_t entries() const;
  std::size_t memory_bytes() const;  // an estimate of what the table holds

 private:
  struct Key {
    util::FileStat stat;
    bool operator==(const Key& o) const { return stat == o.stat; }
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  using Order = std::list<Key>;
  struct Slot {
    FileDigest digest;
    Order::iterator position;
  };

  std::optional<FileDigest> find(const util::FileStat& stat);
  void remember(const FileDigest& digest);

  std::size_t m_max_entries;
  bool m_remember_fresh;
  mutable std::mutex m_mutex;
  std::unordered_map<Key, Slot, KeyHash> m_table;
  Order m_order;  // most recently used first
};

// Whether text uses a macro that makes its preprocessed form depend on the clock.
bool mentions_time_macros(std::string_view text);
// The literal names a text probes with __has_include; a probe of a macro's value cannot be read
// here and is skipped.
std::vector<IncludeProbe> find_include_probes(std::string_view text);

}  // namespace sccache::hash
