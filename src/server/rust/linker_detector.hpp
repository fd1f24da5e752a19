#pragma once
// The linker of a linked crate (a build script, a proc-macro): rustc
// runs a C compiler driver (`cc`, or -C linker), which runs the linker (the system's, or the
// rust-lld of rustc's sysroot when rustc asks for it). Its identity is the content of the driver,
// its collect2 and ld, the sysroot's linker tools, what the driver says it is, and the variables
// that choose what it finds. What the link reads beyond that (start files, libc, libgcc, the
// crates) comes from the linker's own --dependency-file on each miss (see rust_compile). Only
// gcc- and clang-like drivers are followed. Cached per driver (invalidated when it changes), PATH
// and those variables.
#include <asio/awaitable.hpp>
#include <asio/thread_pool.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exec/process_runner.hpp"
#include "hash/file_memo.hpp"
#include "util/fs.hpp"

namespace sccache::server::rust {

// Whether a driver named so is gcc- or clang-like (takes -Wl, and -print-prog-name=).
bool named_like_cc(const std::string& linker);

class LinkerDetector {
 public:
  LinkerDetector(exec::ProcessRunner& runner, asio::thread_pool& pool, hash::FileMemo& memo);

  // `linker`: -C linker's value, or "cc". nullopt: not a driver we follow, or it cannot run.
  asio::awaitable<std::optional<std::string>> identity(
      const std::string& linker, const std::string& cwd,
      const std::vector<std::pair<std::string, std::string>>& env, const std::string& sysroot);

 private:
  struct Cached {
    util::FileStat stat;
    std::string identity;
  };
  exec::ProcessRunner& m_runner;
  asio::thread_pool& m_pool;
  hash::FileMemo& m_memo;
  std::mutex m_mutex;
  std::map<std::string, Cached> m_cache;
};

}  // namespace sccache::server::rust
