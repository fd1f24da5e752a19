#pragma once
// Direct mode's manifest: for one (compiler, arguments, source) it lists earlier results, each with
// the files the compile read and their content hashes, and the places where a new header would have
// been found first (which must still be empty). If everything still looks the same, the result's
// key is the cache key — no preprocessor needed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/c_family/include_scan.hpp"
#include "hash/file_memo.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace sccache::compiler::c_family {

// Names that were absent in one directory. While the directory is unchanged (same fingerprint, or
// still missing), no entry can have appeared in it.
struct AbsentGroup {
  std::string dir;
  bool dir_exists = false;
  util::FileStat dir_stat;  // when it exists
  std::vector<std::string> names;
  bool operator==(const AbsentGroup&) const = default;
};

struct ManifestResult {
  std::string key;                                         // the preprocessor-mode cache key
  std::vector<std::pair<std::string, std::string>> files;  // absolute path, SHA-256
  std::vector<AbsentGroup> absent;
  bool operator==(const ManifestResult&) const = default;
};

struct Manifest {
  std::vector<ManifestResult> results;  // newest first
  bool operator==(const Manifest&) const = default;
};

inline constexpr std::size_t k_manifest_max_results = 16;

std::string encode_manifest(const Manifest& manifest);
util::Result<Manifest> decode_manifest(std::string_view bytes);

// Puts `result` first, drops an older one with the same key and the oldest past the limit.
void add_result(Manifest& manifest, ManifestResult result,
                std::size_t limit = k_manifest_max_results);

// Whether every file still has its hash and every absent name is still absent.
bool still_matches(const ManifestResult& result, hash::FileMemo& memo);

struct RecordInputs {
  std::string cwd;
  std::vector<IncludedFile> files;       // from the preprocessor's line markers
  std::vector<std::string> search_dirs;  // from its -v output
  std::vector<std::string>
      forced_includes;  // -include values (a precompiled header may replace them)
  // A file-clock reading taken before the preprocessor started: a file whose times do not prove
  // it older (util::written_before) may have changed after the compile read it.
  std::int64_t read_since_ns = 0;
  // The source's digest taken before the preprocessor ran, when its stat shows it unchanged
  // since: used instead of reading the file again (it may be gone or rewritten by now).
  std::optional<std::pair<std::string, hash::FileDigest>> source;
};

// Why direct mode could not vouch for a compile; each is a counter in the stats.
enum class NotRecordedReason {
  file_changed,         // written since the preprocessor started
  future_time,          // dated in the future (clock skew, touch -d): never proven older
  time_macros,          // uses __DATE__, __TIME__ or __TIMESTAMP__
  unreadable,           // could not be read or changed while being read
  outside_search_list,  // a relative header path no search directory explains
  shadow_appeared,      // a file appeared where a header would now be found first
  precompiled_header,   // a precompiled header that is a directory or cannot be read
};
struct NotRecorded {
  NotRecordedReason reason;
  std::string file;  // the file that caused it
};
// The stats key, e.g. "a file changed during the compile".
std::string_view describe(NotRecordedReason reason);

// The manifest result for a compile whose cache key is `key`, or why direct mode cannot vouch for
// it.
tl::expected<ManifestResult, NotRecorded> record_result(const std::string& key,
                                                        const RecordInputs& inputs,
                                                        hash::FileMemo& memo);

}  // namespace sccache::compiler::c_family
