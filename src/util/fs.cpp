#include "util/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>

#include <cerrno>
#include <random>
#include <utility>

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
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return fail_errno("open " + path.string(), errno);
  struct stat st {};
  std::uint64_t size = ::fstat(fd.get(), &st) == 0 && st.st_size > 0 ? st.st_size : 0;
  auto data = read_fd(fd.get(), size, UINT64_MAX);
  if (!data) return fail(data.error().code, path.string() + ": " + data.error().message);
  return data;
}

Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view data,
                               std::uint32_t mode, bool honour_umask) {
  std::filesystem::path tmp = path;
  tmp += temporary_suffix();
  // Created with its final mode when the umask applies anyway (open() applies it); otherwise
  // private until fchmod. Parent directories are made only when the open says they are missing.
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

UniqueFd::UniqueFd(UniqueFd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = std::exchange(other.m_fd, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (m_fd >= 0) ::close(m_fd);
}

Result<std::string> read_fd(int fd, std::uint64_t size, std::uint64_t max_size) {
  auto too_large = [max_size] {
    return fail(ErrorCode::too_large, "larger than the limit of " + std::to_string(max_size));
  };
  if (size > max_size) return too_large();
  std::string out;
  out.reserve(static_cast<std::size_t>(size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno("read", errno);
    }
    if (n == 0) return out;
    if (static_cast<std::uint64_t>(n) > max_size - out.size()) return too_large();
    out.append(buf, static_cast<std::size_t>(n));
  }
}

namespace {

constexpr int k_nofollow = O_NOFOLLOW | O_CLOEXEC;

Result<UniqueFd> open_dir_or_fail(int dir, const std::string& name) {
  auto opened = open_dir_at(dir, name);
  if (!opened) return tl::make_unexpected(opened.error());
  if (!*opened) return fail_errno("open directory " + name, ENOENT);
  return std::move(**opened);
}

// mkdirat and open it. The mode of a directory made here is set by fchmod, so the umask has no
// say; the set-group-ID bit the kernel gives it in a shared (g+s) parent is kept. One that someone
// else made meanwhile is left as it is.
Result<UniqueFd> create_dir_at(int dir, const std::string& name, std::uint32_t mode) {
  bool made_here = ::mkdirat(dir, name.c_str(), 0700) == 0;
  if (!made_here && errno != EEXIST) return fail_errno("mkdir " + name, errno);
  auto made = open_dir_or_fail(dir, name);
  if (!made || !made_here) return made;
  struct stat st {};
  std::uint32_t setgid = ::fstat(made->get(), &st) == 0 ? (st.st_mode & S_ISGID) : 0;
  if (::fchmod(made->get(), mode | setgid) != 0) return fail_errno("chmod " + name, errno);
  return made;
}

}  // namespace

Result<std::optional<UniqueFd>> open_dir_at(int dir, const std::string& name) {
  int fd = ::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | k_nofollow);
  if (fd >= 0) return std::optional<UniqueFd>(UniqueFd(fd));
  if (errno == ENOENT) return std::optional<UniqueFd>();
  return fail_errno("open directory " + name, errno);
}

Result<UniqueFd> make_dir_at(int dir, const std::string& name, std::uint32_t mode) {
  auto opened = open_dir_at(dir, name);
  if (opened && *opened) return std::move(**opened);
  if (!opened) {
    // Not a directory (ELOOP: a symlink; ENOTDIR: a file): not ours, so it goes. unlinkat without
    // AT_REMOVEDIR removes the link itself, never what it points to, and never a directory.
    if (::unlinkat(dir, name.c_str(), 0) != 0) return tl::make_unexpected(opened.error());
  }
  return create_dir_at(dir, name, mode);
}

Result<std::optional<OpenFile>> open_file_at(int dir, const std::string& name) {
  // O_NONBLOCK: a FIFO in the file's place must not hold the thread until someone writes to it.
  OpenFile file{UniqueFd(::openat(dir, name.c_str(), O_RDONLY | O_NONBLOCK | k_nofollow))};
  if (file.fd.get() < 0) {
    if (errno == ENOENT) return std::optional<OpenFile>();
    return fail_errno("open " + name, errno);
  }
  struct stat st {};
  if (::fstat(file.fd.get(), &st) != 0) return fail_errno("stat " + name, errno);
  if (!S_ISREG(st.st_mode)) return fail(ErrorCode::corrupt, name + " is not a regular file");
  file.size = static_cast<std::uint64_t>(st.st_size);
  file.links = static_cast<std::uint64_t>(st.st_nlink);
  return std::optional<OpenFile>(std::move(file));
}

Result<void> write_file_atomic_at(int dir, const std::string& name, std::string_view data,
                                  std::uint32_t mode) {
  std::string tmp = name + temporary_suffix();
  UniqueFd fd(::openat(dir, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | k_nofollow, 0600));
  if (fd.get() < 0) return fail_errno("create " + tmp, errno);
  auto written = write_all(fd.get(), data);
  if (written && ::fchmod(fd.get(), mode) != 0) written = fail_errno("chmod " + tmp, errno);
  if (written && ::close(fd.release()) != 0) written = fail_errno("close " + tmp, errno);
  if (written && ::renameat(dir, tmp.c_str(), dir, name.c_str()) != 0)
    written = fail_errno("rename to " + name, errno);
  if (!written) ::unlinkat(dir, tmp.c_str(), 0);
  return written;
}

Result<std::vector<std::string>> list_dir(int dir) {
  int fd = ::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // closedir closes it
  DIR* d = fd < 0 ? nullptr : ::fdopendir(fd);
  if (!d) {
    int e = errno;
    if (fd >= 0) ::close(fd);
    return fail_errno("list directory", e);
  }
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    std::string_view n(e->d_name);
    if (n != "." && n != "..") names.emplace_back(n);
  }
  ::closedir(d);
  return names;
}

Result<std::optional<UniqueFd>> open_user_dir(const std::filesystem::path& path, bool create,
                                              std::uint32_t mode) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) return std::optional<UniqueFd>(std::move(fd));
  if (errno != ENOENT) return fail_errno("open directory " + path.string(), errno);
  if (!create) return std::optional<UniqueFd>();
  if (!path.has_filename() && path.has_relative_path())  // "dir/": the same as "dir"
    return open_user_dir(path.parent_path(), create, mode);
  auto parent = path.parent_path();
  if (parent.empty()) parent = ".";
  if (path.filename().empty() || parent == path)
    return fail_errno("open directory " + path.string(), ENOENT);
  auto up = open_user_dir(parent, true, mode);
  if (!up) return up;
  auto made = create_dir_at((*up)->get(), path.filename().string(), mode);
  if (!made) return tl::make_unexpected(made.error());
  return std::optional<UniqueFd>(std::move(*made));
}

Result<OutputFile> OutputFile::open(const std::filesystem::path& path, OutputWrite how) {
  // 0666, as the compilers ask: the kernel takes the umask off (the server's, which is what the
  // compiler would have got from it on a miss).
  if (how == OutputWrite::in_place) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
    if (fd.get() < 0) return fail_errno("open " + path.string(), errno);
    return OutputFile(path, {}, std::move(fd));
  }
  if (how == OutputWrite::replace_writable && ::access(path.c_str(), W_OK) != 0 && errno != ENOENT)
    return fail_errno("write " + path.string(), errno);
  std::string tmp = path.string() + temporary_suffix();
  mode_t mode = how == OutputWrite::replace_executable ? 0777 : 0666;
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (fd.get() < 0) return fail_errno("create " + tmp, errno);
  return OutputFile(path, std::move(tmp), std::move(fd));
}

Result<void> OutputFile::write(std::string_view data) {
  auto written = write_all(m_fd.get(), data);
  if (!written) return fail(written.error().code, m_path.string() + ": " + written.error().message);
  return written;
}

Result<void> OutputFile::commit() {
  if (::close(m_fd.release()) != 0) return fail_errno("close " + m_path.string(), errno);
  if (m_temporary.empty()) return {};
  if (::rename(m_temporary.c_str(), m_path.c_str()) != 0)
    return fail_errno("rename to " + m_path.string(), errno);
  m_temporary.clear();
  return {};
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_temporary(std::exchange(other.m_temporary, {})),
      m_fd(std::move(other.m_fd)) {}

OutputFile::~OutputFile() {
  if (!m_temporary.empty()) ::unlink(m_temporary.c_str());
}

}  // namespace sccache::util
