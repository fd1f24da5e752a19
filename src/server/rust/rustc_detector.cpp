#include "server/rust/rustc_detector.hpp"

#include <algorithm>
#include <filesystem>

#include "exec/offload.hpp"
#include "hash/hasher.hpp"
#include "util/log.hpp"

namespace sccache::server::rust {

namespace {

std::string lowercase_stem(const std::string& exe) {
  std::string stem = std::filesystem::path(exe).stem().string();
  std::transform(stem.begin(), stem.end(), stem.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return stem;
}

std::string env_value(const std::vector<std::string>& env, std::string_view name) {
  for (const auto& e : env) {
    if (e.size() > name.size() && e.starts_with(name) && e[name.size()] == '=')
      return e.substr(name.size() + 1);
  }
  return {};
}

// A rustup proxy (rustup's own binary under the name rustc) picks its toolchain from the working
// directory (rust-toolchain.toml) and RUSTUP_TOOLCHAIN: both then belong to the cache key.
bool is_rustup_proxy(const std::string& exe) {
  std::error_code ec;
  auto rustup = std::filesystem::path(exe).parent_path() / "rustup";
  return std::filesystem::exists(rustup, ec) &&
         std::filesystem::equivalent(rustup, std::filesystem::path(exe), ec);
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// The sysroot's shared libraries, sorted by name, each with its content's digest.
util::Result<std::string> identity_of(const Rustc& rustc, hash::FileMemo& memo) {
  std::vector<std::filesystem::path> libraries;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(rustc.sysroot + "/lib", ec)) {
    if (entry.path().extension() == ".so") libraries.push_back(entry.path());
  }
  if (ec) return util::fail(util::ErrorCode::io, "cannot list " + rustc.sysroot + "/lib");
  std::sort(libraries.begin(), libraries.end());
  hash::Hasher h;
  h.field("rustc -vV", rustc.version);
  h.field("clippy", rustc.clippy ? "yes" : "no");
  for (const auto& lib : libraries) {
    auto digest = memo.digest(lib);
    if (!digest) return tl::make_unexpected(digest.error());
    h.field("sysroot library " + lib.filename().string(), digest->sha256);
  }
  return h.finish_hex();
}

}  // namespace

bool named_like_rustc(const std::string& exe) {
  auto stem = lowercase_stem(exe);
  return stem == "rustc" || stem == "clippy-driver";
}

RustcDetector::RustcDetector(exec::ProcessRunner& runner, asio::thread_pool& pool,
                             hash::FileMemo& memo)
    : m_runner(runner), m_pool(pool), m_memo(memo) {}

asio::awaitable<std::optional<Rustc>> RustcDetector::probe(const std::string& exe,
                                                           const std::vector<std::string>& env,
                                                           const std::string& cwd) {
  exec::ProcessSpec version_spec{exe, {"-vV"}, cwd, env, {}};
  auto version = co_await m_runner.run(std::move(version_spec));
  if (!version || !version->succeeded() || !version->stdout_bytes.starts_with("rustc ")) {
    co_return std::nullopt;
  }
  exec::ProcessSpec sysroot_spec{exe, {"--print", "sysroot"}, cwd, env, {}};
  auto sysroot = co_await m_runner.run(std::move(sysroot_spec));
  if (!sysroot || !sysroot->succeeded()) co_return std::nullopt;
  Rustc rustc{version->stdout_bytes,
              trimmed(sysroot->stdout_bytes),
              {},
              lowercase_stem(exe) == "clippy-driver"};
  auto identity = co_await exec::offload(m_pool, [&] { return identity_of(rustc, m_memo); });
  if (!identity) {
    log::warn("rustc at {}: {}", exe, identity.error().message);
    co_return std::nullopt;
  }
  rustc.identity = std::move(*identity);
  co_return rustc;
}

asio::awaitable<std::optional<Rustc>> RustcDetector::detect(const std::string& exe,
                                                            const std::vector<std::string>& env,
                                                            const std::string& cwd) {
  auto st = util::stat_file(exe);
  if (!st) co_return std::nullopt;
  std::string key = exe;
  if (is_rustup_proxy(exe)) key += '\0' + cwd + '\0' + env_value(env, "RUSTUP_TOOLCHAIN");
  {
    std::lock_guard lock(m_mutex);
    auto it = m_cache.find(key);
    if (it != m_cache.end() && it->second.stat == *st) co_return it->second.rustc;
  }
  auto rustc = co_await probe(exe, env, cwd);
  // A failure to run is not remembered: the request's cwd or env may be what failed.
  if (rustc) {
    std::lock_guard lock(m_mutex);
    m_cache[key] = Cached{*st, rustc};
  }
  co_return rustc;
}

}  // namespace sccache::server::rust
