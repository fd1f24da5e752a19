#pragma once
// Recognises nvcc: its file name holds "nvcc" (as ccache checks), and `--version` says "Cuda
// compilation tools". Its identity is that text and the binary's content. Cached per executable
// (invalidated when the file changes); a run that fails is not remembered.
#include <asio/awaitable.hpp>
#include <asio/thread_pool.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exec/process_runner.hpp"
#include "hash/file_memo.hpp"
#include "util/fs.hpp"

namespace sccache::server::cuda {

struct Nvcc {
  std::string version;   // `nvcc --version`
  std::string identity;  // hex SHA-256 over the version text and the binary's content
};

// Whether `exe`'s file name contains "nvcc".
bool named_like_nvcc(const std::string& exe);

class NvccDetector {
 public:
  NvccDetector(exec::ProcessRunner& runner, asio::thread_pool& pool, hash::FileMemo& memo);

  // nullopt: not nvcc, or it could not run.
  asio::awaitable<std::optional<Nvcc>> detect(const std::string& exe,
                                              const std::vector<std::string>& env,
                                              const std::string& cwd);

 private:
  struct Cached {
    util::FileStat stat;
    Nvcc nvcc;
  };
  asio::awaitable<std::optional<Nvcc>> probe(const std::string& exe,
                                             const std::vector<std::string>& env,
                                             const std::string& cwd);

  exec::ProcessRunner& m_runner;
  asio::thread_pool& m_pool;
  hash::FileMemo& m_memo;
  std::mutex m_mutex;
  std::map<std::string, Cached> m_cache;
};

}  // namespace sccache::server::cuda
