#include "client/run_compile.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "client/connection.hpp"
#include "client/terminal.hpp"
#include "util/fs.hpp"

extern char** environ;

namespace sccache::client {

namespace {

void write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

bool is_self(const std::filesystem::path& candidate, const std::filesystem::path& self) {
  std::error_code ec;
  return std::filesystem::equivalent(candidate, self, ec);
}

[[noreturn]] void exec_locally(const std::string& exe, const std::string& compiler,
                               const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(compiler.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv(exe.c_str(), argv.data());
  std::fprintf(stderr, "sccache: cannot run %s: %s\n", exe.c_str(), std::strerror(errno));
  std::exit(127);
}

protocol::Compile make_request(const std::string& exe, const std::vector<std::string>& args) {
  protocol::Compile request;
  request.exe = exe;
  std::error_code ec;
  request.cwd = std::filesystem::current_path(ec).string();
  request.args = args;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    request.env_vars.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return request;
}

// Mirrors a compiler killed by a signal: die the same way, so the caller sees what it would have.
[[noreturn]] void die_by_signal(int signal) {
  rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::signal(signal, SIG_DFL);
  ::raise(signal);
  std::exit(128 + signal);
}

}  // namespace

std::string resolve_compiler(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    std::error_code ec;
    return std::filesystem::absolute(name, ec).string();
  }
  const char* path = std::getenv("PATH");
  auto self = util::current_executable();
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    auto colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0 && !is_self(candidate, self)) {
      std::error_code ec;
      return std::filesystem::absolute(candidate, ec).string();
    }
  }
  return {};
}

int run_compile(const config::ClientConfig& endpoint, const std::string& compiler,
                const std::vector<std::string>& args) {
  std::string exe = resolve_compiler(compiler);
  if (exe.empty()) {
    std::fprintf(stderr, "sccache: %s: compiler not found in PATH\n", compiler.c_str());
    return 127;
  }
  auto conn = connect_or_start(endpoint);
  if (!conn) {
    std::fprintf(stderr, "sccache: warning: %s; compiling locally\n", conn.error().message.c_str());
    exec_locally(exe, compiler, args);
  }
  if (!conn->send(make_request(exe, args))) exec_locally(exe, compiler, args);
  auto first = conn->receive(endpoint.answer_timeout);
  if (!first && first.error().code == util::ErrorCode::timeout) {
    std::fprintf(stderr,
                 "sccache: warning: the server did not answer within %lld s; compiling locally\n",
                 static_cast<long long>(endpoint.answer_timeout.count() / 1000));
  }
  auto* compile = first ? std::get_if<protocol::CompileResponse>(&*first) : nullptr;
  if (!compile || !std::holds_alternative<protocol::CompileStarted>(*compile)) {
    exec_locally(exe, compiler, args);  // not cacheable, not a compile, or no answer
  }
  auto second = conn->receive(endpoint.result_timeout);
  auto* done = second ? std::get_if<protocol::CompileFinished>(&*second) : nullptr;
  if (!done) {
    std::fprintf(stderr, "sccache: warning: the server stopped answering (%s); compiling locally\n",
                 second ? "an unexpected answer" : second.error().message.c_str());
    exec_locally(exe, compiler, args);
  }
  write_all(1, done->stdout_bytes);
  // Stored in colour; shown so only where the compiler would have coloured.
  if (wants_color(done->color_mode, 2)) {
    write_all(2, done->stderr_bytes);
  } else {
    write_all(2, strip_color_codes(done->stderr_bytes));
  }
  if (done->retcode) return *done->retcode;
  if (done->signal) die_by_signal(*done->signal);
  return 2;
}

}  // namespace sccache::client
