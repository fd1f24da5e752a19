#include "compiler/c_family/detect.hpp"

#include "exec/offload.hpp"
#include "hash/hasher.hpp"
#include "util/log.hpp"

namespace sccache::compiler::c_family {

namespace {

constexpr std::string_view k_probe = R"(#if defined(__clang__)
sccache_compiler_id=clang
#elif defined(__GNUC__)
sccache_compiler_id=gcc
#else
sccache_compiler_id=unknown
#endif
#ifdef __cplusplus
sccache_plusplus=1
#else
sccache_plusplus=0
#endif
sccache_version=__VERSION__
)";

std::string_view value_of(std::string_view output, std::string_view name) {
  std::size_t pos = 0;
  while (pos < output.size()) {
    std::size_t end = output.find('\n', pos);
    if (end == std::string_view::npos) end = output.size();
    std::string_view line = output.substr(pos, end - pos);
    if (line.starts_with(name) && line.size() > name.size() && line[name.size()] == '=') {
      return line.substr(name.size() + 1);
    }
    pos = end + 1;
  }
  return {};
}

}  // namespace

std::optional<CompilerInfo> parse_probe_output(std::string_view output) {
  std::string_view id = value_of(output, "sccache_compiler_id");
  CompilerInfo info;
  if (id == "clang") {
    info.family = Family::clang;
  } else if (id == "gcc") {
    info.family = Family::gcc;
  } else {
    return std::nullopt;
  }
  info.plusplus = value_of(output, "sccache_plusplus") == "1";
  std::string_view version = value_of(output, "sccache_version");
  if (version.size() >= 2 && version.front() == '"' && version.back() == '"') {
    version = version.substr(1, version.size() - 2);
  }
  info.version = std::string(version);
  return info;
}

CompilerDetector::CompilerDetector(exec::ProcessRunner& runner, asio::thread_pool& pool,
                                   std::filesystem::path scratch)
    : m_runner(runner), m_pool(pool), m_scratch(std::move(scratch)) {}

util::Result<std::filesystem::path> CompilerDetector::probe_file() {
  auto path = m_scratch / "probe.c";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return path;
  auto written = util::write_file_atomic(path, k_probe);
  if (!written) return tl::make_unexpected(written.error());
  return path;
}

asio::awaitable<std::optional<CompilerInfo>> CompilerDetector::detect(std::string exe,
                                                                      std::vector<std::string> env,
                                                                      std::string cwd) {
  auto stat = util::stat_file(exe);
  if (!stat) co_return std::nullopt;
  {
    std::lock_guard lock(m_mutex);
    if (auto it = m_cache.find(exe); it != m_cache.end() && it->second.stat == *stat) {
      co_return it->second.info;
    }
  }
  auto probe = probe_file();
  if (!probe) {
    log::warn("cannot write the compiler probe: {}", probe.error().message);
    co_return std::nullopt;
  }
  exec::ProcessSpec spec{exe, {"-E", "-P", probe->string()}, cwd, env, {}};
  auto ran = co_await m_runner.run(spec);
  std::optional<CompilerInfo> info;
  if (ran && ran->succeeded()) info = parse_probe_output(ran->stdout_bytes);
  if (info) {
    auto binary_hash = co_await exec::offload(m_pool, [&] { return hash::sha256_file_hex(exe); });
    if (!binary_hash) co_return std::nullopt;
    hash::Hasher h;
    h.field("binary", *binary_hash);
    h.field("version", info->version);
    h.field("family", info->family == Family::clang ? "clang" : "gcc");
    h.field("plusplus", info->plusplus ? "1" : "0");
    info->identity = h.finish_hex();
  }
  log::debug("detected {}: {}", exe,
             info ? info->version : std::string("not a supported compiler"));
  // "Not a compiler" is remembered only when the probe ran and said so: a run that could not start
  // (a missing working directory, no processes left) or failed may be this request's doing, and
  // must not turn caching off for every later one.
  bool definitive = info || (ran && ran->succeeded());
  if (!definitive) co_return info;
  std::lock_guard lock(m_mutex);
  m_cache[exe] = Cached{*stat, info};
  co_return info;
}

}  // namespace sccache::compiler::c_family
