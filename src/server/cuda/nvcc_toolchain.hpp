#pragma once
// What nvcc's plans run, learned from its dryruns and kept per toolchain (nvcc, its nvcc.profile,
// the environment its plan depends on, -ccbin), so that a direct-mode key can hash the tools a
// compile will run without running nvcc. Thread-safe; blocking (stats and hashes): on the pool.
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/cuda/dryrun.hpp"
#include "hash/file_memo.hpp"
#include "util/fs.hpp"

namespace sccache::server::cuda {

// A program a step runs: as the step names it, and the file that name was found as.
struct Tool {
  std::string argv0;
  std::string path;
  auto operator<=>(const Tool&) const = default;
};

// The tools of `plan`'s steps (rm and the dependency filter aside), found in `path` (the plan's
// PATH) as nvcc's shell finds them; nullopt when one is not found.
std::optional<std::set<Tool>> plan_tools(const compiler::cuda::Dryrun& plan, std::string_view path,
                                         const std::string& cwd);

// Which toolchain a compile uses, as far as can be told without running nvcc.
struct ToolchainQuery {
  std::string nvcc;           // the executable, as the request names it
  std::string identity;       // Nvcc::identity
  std::string host_compiler;  // -ccbin's value, "" without
  const std::vector<std::pair<std::string, std::string>>* env = nullptr;  // the request's
  std::string cwd;
};

// A toolchain as a direct key hashes it.
struct Toolchain {
  std::string digest;    // over the toolchain and the content of every tool below
  std::set<Tool> tools;  // every tool its plans were seen to run, each found again just now
};

class ToolchainMemo {
 public:
  // Adds what `plan` (a dryrun of a compile matching `query`, with `plan_path` its PATH) runs to
  // what the toolchain is known to run; learns where nvcc keeps nvcc.profile (its _HERE_).
  void learn(const ToolchainQuery& query, const compiler::cuda::Dryrun& plan,
             const std::string& plan_path);

  // The toolchain of `query` with its tools hashed; nullopt when no plan of it was seen yet, a tool
  // is now found elsewhere or cannot be read, nvcc.profile cannot be read, or -ccbin (or
  // NVCC_CCBIN) names a directory (nvcc's choice in it is its own).
  std::optional<Toolchain> current(const ToolchainQuery& query, hash::FileMemo& memo);

 private:
  struct Profile {
    util::FileStat stat;
    std::string sha256;
    std::vector<std::string> variables;
  };
  struct Known {
    std::string plan_path;
    std::set<Tool> tools;
  };
  std::optional<Profile> profile(const std::string& path);
  std::optional<std::string> key_of(const ToolchainQuery& query);

  std::mutex m_mutex;
  std::map<std::string, std::string> m_here;  // nvcc executable → its _HERE_
  std::map<std::string, Profile> m_profiles;  // nvcc.profile path → content
  std::map<std::string, Known> m_toolchains;  // toolchain key → what it runs
};

}  // namespace sccache::server::cuda
