#include "server/cuda/nvcc_detector.hpp"

#include <filesystem>

#include "exec/offload.hpp"
#include "hash/hasher.hpp"
#include "util/log.hpp"

namespace sccache::server::cuda {

bool named_like_nvcc(const std::string& exe) {
  return std::filesystem::path(exe).filename().string().find("nvcc") != std::string::npos;
}

NvccDetector::NvccDetector(exec::ProcessRunner& runner, asio::thread_pool& pool,
                           hash::FileMemo& memo)
    : m_runner(runner), m_pool(pool), m_memo(memo) {}

asio::awaitable<std::optional<Nvcc>> NvccDetector::probe(const std::string& exe,
                                                         const std::vector<std::string>& env,
                                                         const std::string& cwd) {
  exec::ProcessSpec spec{exe, {"--version"}, cwd, env, {}};
  auto ran = co_await m_runner.run(std::move(spec));
  if (!ran || !ran->succeeded() ||
      ran->stdout_bytes.find("Cuda compilation tools") == std::string::npos) {
    co_return std::nullopt;
  }
  Nvcc nvcc{ran->stdout_bytes, {}};
  auto identity = co_await exec::offload(m_pool, [&]() -> util::Result<std::string> {
    auto digest = m_memo.digest(exe);
    if (!digest) return tl::make_unexpected(digest.error());
    hash::Hasher h;
    h.field("nvcc --version", nvcc.version);
    h.field("nvcc binary", digest->sha256);
    return h.finish_hex();
  });
  if (!identity) {
    log::warn("nvcc at {}: {}", exe, identity.error().message);
    co_return std::nullopt;
  }
  nvcc.identity = std::move(*identity);
  co_return nvcc;
}

asio::awaitable<std::optional<Nvcc>> NvccDetector::detect(const std::string& exe,
                                                          const std::vector<std::string>& env,
                                                          const std::string& cwd) {
  auto st = util::stat_file(exe);
  if (!st) co_return std::nullopt;
  {
    std::lock_guard lock(m_mutex);
    auto it = m_cache.find(exe);
    if (it != m_cache.end() && it->second.stat == *st) co_return it->second.nvcc;
  }
  auto nvcc = co_await probe(exe, env, cwd);
  // A failure is not remembered: the request's cwd or env may be what failed.
  if (nvcc) {
    std::lock_guard lock(m_mutex);
    m_cache[exe] = Cached{*st, *nvcc};
  }
  co_return nvcc;
}

}  // namespace sccache::server::cuda
