#include "exec/jobserver.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>

namespace sccache::exec {

namespace {

constexpr std::string_view k_options[] = {"--jobserver-auth=", "--jobserver-fds="};

std::optional<int> fd_number(std::string_view text) {
  int v = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

// Each word of `makeflags` with the value of a jobserver option, in order.
template <typename Visit>
void for_each_option(std::string_view makeflags, Visit visit) {
  std::size_t pos = 0;
  while (pos < makeflags.size()) {
    auto end = makeflags.find(' ', pos);
    if (end == std::string_view::npos) end = makeflags.size();
    auto word = makeflags.substr(pos, end - pos);
    for (auto option : k_options) {
      if (word.starts_with(option)) visit(pos, word.size(), word.substr(option.size()), option);
    }
    pos = end + 1;
  }
}

// Opens `path` (a /proc fd link or a FIFO) as one end of a pipe: without blocking on a FIFO that
// has no other end, then blocking again (the jobserver protocol's reads block).
util::UniqueFd open_end(const std::string& path, int mode, struct stat& st) {
  util::UniqueFd fd(::open(path.c_str(), mode | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISFIFO(st.st_mode)) return {};
  int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) return {};
  return fd;
}

}  // namespace

std::optional<JobserverAuth> parse_jobserver(std::string_view makeflags) {
  std::optional<JobserverAuth> found;
  bool bad = false;
  for_each_option(makeflags, [&](std::size_t, std::size_t, std::string_view value, auto) {
    JobserverAuth auth;
    if (value.starts_with("fifo:")) {
      auth.fifo = std::string(value.substr(5));
      bad = auth.fifo.empty();
    } else {
      auto comma = value.find(',');
      auto r = fd_number(value.substr(0, comma));
      auto w = comma == std::string_view::npos ? std::nullopt : fd_number(value.substr(comma + 1));
      bad = !r || !w;
      if (!bad) auth.read_fd = *r, auth.write_fd = *w;
    }
    found = auth;  // (make reads the last one)
  });
  if (bad) return std::nullopt;
  return found;
}

std::string without_jobserver(std::string_view makeflags) {
  std::string out;
  std::size_t copied = 0;
  for_each_option(makeflags, [&](std::size_t pos, std::size_t size, std::string_view, auto) {
    out.append(makeflags.substr(copied, pos - copied));
    copied = std::min(pos + size + 1, makeflags.size());  // the word and the blank after it
  });
  out.append(makeflags.substr(copied));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string with_jobserver_fds(std::string_view makeflags, int read_fd, int write_fd) {
  std::string out;
  std::size_t copied = 0;
  for_each_option(makeflags, [&](std::size_t pos, std::size_t size, std::string_view, auto option) {
    out.append(makeflags.substr(copied, pos - copied));
    out.append(option).append(std::to_string(read_fd) + "," + std::to_string(write_fd));
    copied = pos + size;
  });
  out.append(makeflags.substr(copied));
  return out;
}

std::optional<Jobserver> open_client_jobserver(pid_t pid, std::string_view makeflags) {
  auto auth = parse_jobserver(makeflags);
  if (!auth || pid <= 0) return std::nullopt;
  std::string proc = "/proc/" + std::to_string(pid) + "/fd/";
  std::string read_path = auth->fifo.empty() ? proc + std::to_string(auth->read_fd) : auth->fifo;
  std::string write_path = auth->fifo.empty() ? proc + std::to_string(auth->write_fd) : auth->fifo;
  struct stat rs {
  }, ws{};
  Jobserver js;
  js.read = open_end(read_path, O_RDONLY, rs);
  if (js.read.get() < 0) return std::nullopt;
  js.write = open_end(write_path, O_WRONLY, ws);
  if (js.write.get() < 0) return std::nullopt;
  if (rs.st_dev != ws.st_dev || rs.st_ino != ws.st_ino) return std::nullopt;  // not one pipe
  return js;
}

}  // namespace sccache::exec
