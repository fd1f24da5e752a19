#pragma once
// What one cache entry holds and its byte format: the compile's output files, stdout and stderr.
// Format: 8-byte magic "SCCPPE01", then one zstd frame (with content checksum) whose content is
// u32 count, then per file { u16 name length, name, u32 mode, u64 size, bytes }, then u64+stdout,
// u64+stderr (all little-endian). Any deviation decodes as ErrorCode::corrupt.
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
    std::uint32_t mode = 0644;
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
    std::uint32_t mode = 0644;
    std::string_view data;
  };
  const File* find(std::string_view name) const;
  const std::vector<File>& files() const { return m_files; }
  std::string_view stdout_bytes() const { return m_stdout; }
  std::string_view stderr_bytes() const { return m_stderr; }

 private:
  friend util::Result<EntryView> decode_entry_view(std::string_view, std::uint64_t);
  std::unique_ptr<char[]> m_payload;  // the views point here; it moves with the object
  std::vector<File> m_files;
  std::string_view m_stdout, m_stderr;
};

std::string encode_entry(const CacheEntry& entry, int zstd_level);
// `max_decoded_size` caps the decompressed size (a damaged or hostile blob cannot exhaust memory).
util::Result<EntryView> decode_entry_view(std::string_view blob, std::uint64_t max_decoded_size);
util::Result<CacheEntry> decode_entry(std::string_view blob, std::uint64_t max_decoded_size);

}  // namespace sccache::storage
