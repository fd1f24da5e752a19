#pragma once
// File-system helpers: whole-file reads, atomic writes (temporary file + rename), stat
// fingerprints.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace sccache::util {

// What stat() says about a file; enough to notice that it changed.
struct FileStat {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  std::uint32_t mode = 0;
  bool operator==(const FileStat&) const = default;
};

Result<FileStat> stat_file(const char* path);
// (Overloads, so that a std::string is not turned into a std::filesystem::path, which splits it
// into components: a direct hit stats a few hundred headers.)
inline Result<FileStat> stat_file(const std::string& path) {
  return stat_file(path.c_str());
}
inline Result<FileStat> stat_file(const std::filesystem::path& path) {
  return stat_file(path.c_str());
}
Result<std::string> read_file(const std::filesystem::path& path);

// Writes `data` to a temporary file beside `path`, then renames it over `path`: readers see either
// the old content or the whole new content, never a part. Creates missing parent directories.
// `mode` is applied to the new file (subject to umask when `honour_umask`).
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view data,
                               std::uint32_t mode = 0644, bool honour_umask = true);

// Removes a file; a missing file is not an error.
void remove_quietly(const std::filesystem::path& path) noexcept;

// The directory of the running executable's file (from /proc/self/exe).
std::filesystem::path current_executable();

}  // namespace sccache::util
