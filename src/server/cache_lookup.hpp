#pragma once
// The storage side of a compile: fetch and replay an entry onto disk, or package a compile's
// outputs into a new entry. Blocking; called through exec::offload on the thread pool.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "compiler/c_family/parsed_args.hpp"
#include "storage/cache_entry.hpp"
#include "storage/storage.hpp"
#include "util/fs.hpp"

namespace sccache::server {

// Where this compile's outputs go, made absolute against the request's working directory.
struct OutputPaths {
  std::filesystem::path object;
  std::optional<std::filesystem::path> dep_file;
  std::vector<std::string> dep_targets;  // the targets this compile's .d file must name
  compiler::c_family::Family family =
      compiler::c_family::Family::gcc;  // whose line wrapping the .d file follows,
                                        // and whose way of writing each output
  bool assembly = false;                // -S: the "object" is assembly text
  // SCCACHE_BASEDIRS: this compile's base dir, ending in '/' (compiler/c_family/base_dir.hpp);
  // kept in its entry, so that a hit from another base dir names this one in .d and stderr.
  std::string base_dir;
  // Files the compile may write beside the output (.dwo, .gcno), by role.
  std::vector<std::pair<std::string, std::filesystem::path>> side_outputs;
};
OutputPaths output_paths(const compiler::c_family::ParsedArgs& args, const std::string& cwd,
                         compiler::c_family::Family family);

enum class LookupStatus { hit, miss, read_error, timeout };
struct LookupResult {
  LookupStatus status = LookupStatus::miss;
  std::string stdout_bytes;
  std::string stderr_bytes;
  std::string error;  // for read_error: what was wrong
};

// One file a hit writes, the way its compiler would (see how_written in cache_lookup.cpp).
struct OutputToWrite {
  std::filesystem::path path;
  util::OutputWrite how;
  std::string_view data;
};

// Opens every output first: one the compiler could not open either (a missing directory, a file
// clang may not write) makes the hit a miss — the compiler then fails the way it would without the
// cache — before any file is replaced. A failure after that is a read error.
LookupResult write_outputs(const std::vector<OutputToWrite>& outputs);

// The entry under `key`, decoded (its files view one buffer); or the lookup's outcome when there is
// none to use: a miss, a timeout, or a read error — damage, another key's entry, or one lacking a
// `required` role (then removed, so that the compile replaces it).
std::variant<storage::EntryView, LookupResult> fetch_entry(
    storage::Storage& storage, const std::string& key,
    const std::vector<std::string_view>& required);

// Reads the entry under `key`; on success writes its files to `paths` the way the compiler would
// (fresh mtime; see cache_lookup.cpp), the side outputs the entry holds included. A damaged entry,
// one stored under another key, or a failed write is a read_error; an output the compiler could
// not open either (a missing directory, a file clang may not write) is a miss: the caller compiles
// instead, and the compiler says what is wrong.
LookupResult fetch_and_replay(storage::Storage& storage, const std::string& key,
                              const OutputPaths& paths);

// Reads the files a successful compile wrote; nullopt when the object or the dependency file is
// missing. A side output is taken when the compile wrote it: present, and with times that do not
// prove it older than `written_since_ns` (a file-clock reading before the compile started; an old
// .dwo left by another configuration is no output of this compile).
std::optional<storage::CacheEntry> collect_outputs(const OutputPaths& paths,
                                                   std::int64_t written_since_ns,
                                                   std::string stdout_bytes,
                                                   std::string stderr_bytes);

// Entries are at most this large once decoded.
inline constexpr std::uint64_t k_max_entry_size = 1ull << 30;

}  // namespace sccache::server
