#include "util/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>

namespace sccache::util {

namespace {

std::int64_t to_ns(const timespec& ts) {
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// A name unique enough for concurrent writers in several processes: pid plus a random suffix.
std::string temporary_suffix() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rng() % 1'000'000'000);
}

Result<void> write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno("write", errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

Result<FileStat> stat_file(const char* path) {
  struct stat st {};
  if (::stat(path, &st) != 0) return fail_errno(std::string("stat ") + path, errno);
  return FileStat{static_cast<std::uint64_t>(st.st_dev),
                  static_cast<std::uint64_t>(st.st_ino),
                  static_cast<std::uint64_t>(st.st_size),
                  to_ns(st.st_mtim),
                  to_ns(st.st_ctim),
                  static_cast<std::uint32_t>(st.st_mode)};
}

Result<std::string> read_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail_errno("open " + path.string(), errno);
  std::string out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      return fail_errno("read " + path.string(), e);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view data,
                               std::uint32_t mode, bool honour_umask) {
  std::filesystem::path tmp = path;
  tmp += temporary_suffix();
  // Created with its final mode when the umask applies anyway (open() applies it); otherwise
  // private until fchmod. Parent directories are made only when missing: a cache hit writes
  // into directories that exist, and should not pay for checking them.
  const int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
  const mode_t create_mode = honour_umask ? static_cast<mode_t>(mode) : 0600;
  int fd = ::open(tmp.c_str(), flags, create_mode);
  if (fd < 0 && errno == ENOENT && path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    fd = ::open(tmp.c_str(), flags, create_mode);
  }
  if (fd < 0) return fail_errno("create " + tmp.string(), errno);
  auto written = write_all(fd, data);
  if (written && !honour_umask && ::fchmod(fd, mode) != 0)
    written = fail_errno("chmod " + tmp.string(), errno);
  if (::close(fd) != 0 && written) written = fail_errno("close " + tmp.string(), errno);
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0) {
    written = fail_errno("rename to " + path.string(), errno);
  }
  if (!written) ::unlink(tmp.c_str());
  return written;
}

void remove_quietly(const std::filesystem::path& path) noexcept {
  ::unlink(path.c_str());
}

std::filesystem::path current_executable() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : p;
}

}  // namespace sccache::util
