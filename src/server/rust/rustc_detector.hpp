#pragma once
// Recognises rustc: by its name (rustc, clippy-driver), then by what `-vV` and `--print sysroot`
// say. Its identity is the version text and the content of the sysroot's shared libraries (the
// compiler itself: librustc_driver, libstd). Cached per executable (invalidated when the file
// changes) — and, for a rustup proxy, per working directory and RUSTUP_TOOLCHAIN too, since those
// choose the toolchain it runs.
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

namespace sccache::server::rust {

struct Rustc {
  std::string version;   // `rustc -vV`
  std::string sysroot;   // `--print sysroot`
  std::string identity;  // hex SHA-256 over the version and the sysroot's libraries
  bool clippy = false;   // clippy-driver
};

// Whether `exe`'s file name is rustc's or clippy-driver's (what Mozilla's sccache also checks).
bool named_like_rustc(const std::string& exe);

class RustcDetector {
 public:
  RustcDetector(exec::ProcessRunner& runner, asio::thread_pool& pool, hash::FileMemo& memo);

  // nullopt: not rustc (or it could not run).
  asio::awaitable<std::optional<Rustc>> detect(const std::string& exe,
                                               const std::vector<std::string>& env,
                                               const std::string& cwd);

 private:
  struct Cached {
    util::FileStat stat;
    std::optional<Rustc> rustc;
  };
  asio::awaitable<std::optional<Rustc>> probe(const std::string& exe,
                                              const std::vector<std::string>& env,
                                              const std::string& cwd);

  exec::ProcessRunner& m_runner;
  asio::thread_pool& m_pool;
  hash::FileMemo& m_memo;
  std::mutex m_mutex;
  std::map<std::string, Cached> m_cache;
};

}  // namespace sccache::server::rust
