#pragma once
// Recognises a compiler by what it does, not by its name: it preprocesses a probe that tests
// __clang__ / __GNUC__ / __cplusplus and prints __VERSION__. Results are cached per executable
// path and invalidated when the file's (device, inode, size, mtime) change.
#include <asio/awaitable.hpp>
#include <asio/thread_pool.hpp>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "compiler/c_family/parsed_args.hpp"
#include "exec/process_runner.hpp"
#include "util/fs.hpp"

namespace sccache::compiler::c_family {

struct CompilerInfo {
  Family family = Family::gcc;
  bool plusplus = false;  // a C++ driver (g++, clang++): .c files compile as C++
  std::string version;    // __VERSION__
  std::string identity;   // hex SHA-256 over the binary's content, version, family and plusplus
};

// Parses the probe's preprocessed output; nullopt when it names no supported compiler.
std::optional<CompilerInfo> parse_probe_output(std::string_view output);

class CompilerDetector {
 public:
  CompilerDetector(exec::ProcessRunner& runner, asio::thread_pool& pool,
                   std::filesystem::path scratch);

  // nullopt: not a gcc/clang-like compiler (or it could not run).
  asio::awaitable<std::optional<CompilerInfo>> detect(std::string exe, std::vector<std::string> env,
                                                      std::string cwd);

 private:
  struct Cached {
    util::FileStat stat;
    std::optional<CompilerInfo> info;
  };
  util::Result<std::filesystem::path> probe_file();

  exec::ProcessRunner& m_runner;
  asio::thread_pool& m_pool;
  std::filesystem::path m_scratch;
  std::mutex m_mutex;
  std::map<std::string, Cached> m_cache;
};

}  // namespace sccache::compiler::c_family
