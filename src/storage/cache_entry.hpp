#pragma once
// What one cache entry holds and its byte format: the compile's output files by role, stdout and
// stderr, and the key the entry was stored under. Format (all integers little-endian):
//   8-byte magic "SCCPPE02", u32 header size, the header:
//     u16 key length, key, u32 file count, per file { u16 role length, role, u64 size },
//     u64 stdout size, u64 stderr size;
//   then one zstd frame (content size and checksum set) whose content is the header again, then
//   the files' bytes, stdout and stderr, in that order.
// The plain header tells how much to allocate before anything is decompressed; its copy inside the
// frame puts the key and the sizes under the checksum. Any deviation, and an entry read under
// another key than its own, decodes as ErrorCode::corrupt; an entry of another format version
// ("SCCPPE01") as ErrorCode::unsupported (a miss, not damage).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace sccache::storage {

struct CacheEntry {
  struct File {
    std::string name;  // role, not path: "obj", "d", ...
    std::string data;
    bool operator==(const File&) const = default;
  };
  std::vector<File> files;
  std::string stdout_bytes;
  std::string stderr_bytes;
  bool operator==(const CacheEntry&) const = default;

  const File* find(std::string_view name) const;
};

// A decoded entry whose files and streams are views into its one decompressed buffer: a hit writes
// them out without copying them first (an object with debug information is megabytes).
class EntryView {
 public:
  struct File {
    std::string_view name;
    std::string_view data;
  };
  const File* find(std::string_view name) const;
  const std::vector<File>& files() const { return m_files; }
  std::string_view stdout_bytes() const { return m_stdout; }
  std::string_view stderr_bytes() const { return m_stderr; }

 private:
  friend util::Result<EntryView> decode_entry_view(std::string_view, std::string_view,
                                                   std::uint64_t);
  std::unique_ptr<char[]> m_payload;  // the views point here; it moves with the object
  std::vector<File> m_files;
  std::string_view m_stdout, m_stderr;
};

// How much a blob may decode to: what the allocator keeps for the next hit anyway, and beyond that
// one byte in k_max_ratio of what the blob itself brings. Objects compress 3-10x; only a frame
// built to expand (a "zstd bomb") or an object that is almost all zeros goes past it.
inline constexpr std::uint64_t k_free_decoded_size = std::uint64_t{32} << 20;
inline constexpr std::uint64_t k_max_ratio = 256;
inline constexpr std::uint64_t decoded_size_allowed(std::uint64_t blob_size) {
  return blob_size > k_free_decoded_size / k_max_ratio ? blob_size * k_max_ratio
                                                       : k_free_decoded_size;
}

// ErrorCode::too_large: the entry would decode past decoded_size_allowed (not stored: it could not
// be told from a bomb); ErrorCode::invalid: a role or key too long, or too many files.
util::Result<std::string> encode_entry(const CacheEntry& entry, std::string_view key,
                                       int zstd_level);
// `key` is the key the blob was read under; `max_decoded_size` caps the decompressed size on top
// of decoded_size_allowed (a damaged or hostile blob cannot exhaust memory).
util::Result<EntryView> decode_entry_view(std::string_view blob, std::string_view key,
                                          std::uint64_t max_decoded_size);
util::Result<CacheEntry> decode_entry(std::string_view blob, std::string_view key,
                                      std::uint64_t max_decoded_size);

}  // namespace sccache::storage
