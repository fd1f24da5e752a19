#pragma once
// File-system helpers: whole-file reads, atomic writes (temporary file + rename), stat
// fingerprints; files beneath a directory descriptor that no symbolic link can lead out of (the
// cache directory); output files written the way a compiler writes them (a cache hit).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// An owned file descriptor, closed when it goes.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : m_fd(fd) {}
  UniqueFd(UniqueFd&& other) noexcept;
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return m_fd; }
  int release() { return std::exchange(m_fd, -1); }

 private:
  int m_fd = -1;
};

// --- Beneath a directory descriptor. `name` is one entry of `dir` (no '/'); a symbolic link in
// its place is never followed (an error, ELOOP). A missing entry is nullopt.
Result<std::optional<UniqueFd>> open_dir_at(int dir, const std::string& name);
// The directory `name` in `dir`, made with exactly `mode` (not the umask's) when missing; an
// entry there that is not a directory (a planted symlink or file) is removed and replaced.
Result<UniqueFd> make_dir_at(int dir, const std::string& name, std::uint32_t mode);
// An open regular file, and what fstat said of it.
struct OpenFile {
  UniqueFd fd;
  std::uint64_t size = 0;
  std::uint64_t links = 0;
};
// Opens a regular file for reading without waiting on a FIFO; anything else is an error.
Result<std::optional<OpenFile>> open_file_at(int dir, const std::string& name);
// The rest of an open file, `size` bytes reserved (what fstat said). More than `max_size` bytes is
// ErrorCode::too_large, found before reading when `size` says so.
Result<std::string> read_fd(int fd, std::uint64_t size, std::uint64_t max_size);
// write_file_atomic beneath `dir`: the temporary file is `<name>.tmp.<pid>.<n>`, the mode exactly
// `mode`. A link in `name`'s place is replaced, not followed.
Result<void> write_file_atomic_at(int dir, const std::string& name, std::string_view data,
                                  std::uint32_t mode);
// The names in a directory (not "." and ".."), in no particular order.
Result<std::vector<std::string>> list_dir(int dir);

// Opens the directory `path` as the user named it (links in the path are followed: it is the
// user's own setting), creating it and missing parents with exactly `mode` if `create`.
Result<std::optional<UniqueFd>> open_user_dir(const std::filesystem::path& path, bool create,
                                              std::uint32_t mode);

// --- A compile's output file, written the way the compiler writes it (see OutputWrite).
enum class OutputWrite {
  replace,             // a new file (mode 0666 less the umask) renamed over the old one
  replace_writable,    // the same, but an existing file we may not write is refused (as clang does)
  in_place,            // the existing file truncated and rewritten: its owner and mode stay
  replace_executable,  // as replace, mode 0777 less the umask (a linker's program or library)
};

// One output being written. open() fails the way the compiler's own open would (no directory is
// created); a replaced file appears, atomically, at commit(); an uncommitted one never appears.
class OutputFile {
 public:
  static Result<OutputFile> open(const std::filesystem::path& path, OutputWrite how);
  Result<void> write(std::string_view data);
  Result<void> commit();
  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&&) = delete;
  ~OutputFile();

 private:
  OutputFile(std::filesystem::path path, std::string temporary, UniqueFd fd)
      : m_path(std::move(path)), m_temporary(std::move(temporary)), m_fd(std::move(fd)) {}
  std::filesystem::path m_path;
  std::string m_temporary;  // empty when written in place
  UniqueFd m_fd;
};

// `path` taken in `cwd` when relative (not normalised: as a compiler given both would open it).
inline std::filesystem::path absolute_in(const std::string& cwd, const std::string& path) {
  std::filesystem::path p(path);
  return p.is_absolute() ? p : std::filesystem::path(cwd) / p;
}

}  // namespace sccache::util
