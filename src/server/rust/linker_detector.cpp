#include "server/rust/linker_detector.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "exec/offload.hpp"
#include "hash/hasher.hpp"
#include "util/log.hpp"

namespace sccache::server::rust {

namespace {

namespace fs = std::filesystem;

// Variables that change which files the driver and the linker find or what the linker writes.
// (Not LD_LIBRARY_PATH: cargo puts the target directory there; what the linker read through it is
// in its dependency file.)
constexpr std::string_view k_linker_env[] = {"COMPILER_PATH", "GCC_EXEC_PREFIX", "LIBRARY_PATH",
                                             "LD_RUN_PATH"};

std::string env_value(const std::vector<std::pair<std::string, std::string>>& env,
                      std::string_view name) {
  for (const auto& [n, v] : env)
    if (n == name) return v;
  return {};
}

// `name` as execvp finds it in `path` (or in `cwd`, when it has a slash); "" if nowhere.
std::string resolve(const std::string& name, const std::string& path, const std::string& cwd) {
  if (name.find('/') != std::string::npos) {
    fs::path p(name);
    return (p.is_absolute() ? p : fs::path(cwd) / p).string();
  }
  std::string_view rest = path;
  while (true) {
    auto colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    auto candidate = (dir.empty() ? fs::path(cwd) : fs::path(dir)) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    if (colon == std::string_view::npos) return {};
    rest.remove_prefix(colon + 1);
  }
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// The linker tools rustc ships (rust-lld, gcc-ld/ld.lld), sorted.
std::vector<fs::path> sysroot_linker_tools(const std::string& sysroot) {
  std::vector<fs::path> tools;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(sysroot + "/lib/rustlib", ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto& p = it->path();
    if (p.parent_path().filename() == "bin" || p.parent_path().filename() == "gcc-ld") {
      if (it->is_regular_file(ec)) tools.push_back(p);
    }
    if (it.depth() > 3) it.disable_recursion_pending();
  }
  std::sort(tools.begin(), tools.end());
  return tools;
}

}  // namespace

bool named_like_cc(const std::string& linker) {
  auto name = fs::path(linker).filename().string();
  return name == "cc" || name == "c++" || name.find("gcc") != std::string::npos ||
         name.find("g++") != std::string::npos || name.find("clang") != std::string::npos;
}

LinkerDetector::LinkerDetector(exec::ProcessRunner& runner, asio::thread_pool& pool,
                               hash::FileMemo& memo)
    : m_runner(runner), m_pool(pool), m_memo(memo) {}

asio::awaitable<std::optional<std::string>> LinkerDetector::identity(
    const std::string& linker, const std::string& cwd,
    const std::vector<std::pair<std::string, std::string>>& env, const std::string& sysroot) {
  if (!named_like_cc(linker)) co_return std::nullopt;
  std::string path = env_value(env, "PATH");
  std::string driver = resolve(linker, path, cwd);
  auto st = driver.empty() ? util::Result<util::FileStat>(util::fail(util::ErrorCode::io, ""))
                           : util::stat_file(driver);
  if (!st) co_return std::nullopt;
  std::string cache_key = driver + '\0' + path + '\0' + sysroot;
  for (auto name : k_linker_env) cache_key += '\0' + env_value(env, name);
  {
    std::lock_guard lock(m_mutex);
    auto it = m_cache.find(cache_key);
    if (it != m_cache.end() && it->second.stat == *st) co_return it->second.identity;
  }
  std::vector<std::string> child_env;
  for (const auto& [n, v] : env) child_env.push_back(n + "=" + v);
  auto ask = [&](std::string arg) -> asio::awaitable<std::optional<std::string>> {
    exec::ProcessSpec spec{driver, {std::move(arg)}, cwd, child_env, {}};
    auto ran = co_await m_runner.run(std::move(spec));
    if (!ran || !ran->succeeded()) co_return std::nullopt;
    co_return first_line(ran->stdout_bytes);
  };
  auto version = co_await ask("--version");
  auto collect2 = co_await ask("-print-prog-name=collect2");
  auto ld = co_await ask("-print-prog-name=ld");
  if (!version || !collect2 || !ld) co_return std::nullopt;
  auto identity = co_await exec::offload(m_pool, [&]() -> std::optional<std::string> {
    hash::Hasher h;
    h.field("driver --version", *version);
    std::vector<std::pair<std::string, std::string>> files = {{"driver", driver}};
    if (collect2->starts_with('/')) files.emplace_back("collect2", *collect2);
    if (auto found = resolve(*ld, path, cwd); !found.empty()) files.emplace_back("ld", found);
    for (const auto& tool : sysroot_linker_tools(sysroot))
      files.emplace_back("sysroot tool " + tool.filename().string(), tool.string());
    for (const auto& [role, file] : files) {
      auto d = m_memo.digest(file);
      if (!d) {
        log::debug("linker {}: cannot hash {}: not caching linked crates", driver, file);
        return std::nullopt;
      }
      h.field(role, d->sha256);
    }
    for (auto name : k_linker_env) h.field(std::string(name), env_value(env, name));
    return h.finish_hex();
  });
  if (identity) {
    std::lock_guard lock(m_mutex);
    m_cache[cache_key] = Cached{*st, *identity};
  }
  co_return identity;
}

}  // namespace sccache::server::rust
