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

#include "compiler/include_scan.hpp"
#include "hash/file_memo.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace sccache::compiler {

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
      forced_includes;                 // -include values (a precompiled header may replace them)
  std::int64_t changed_before_ns = 0;  // files changed at or after this time are not trusted
};

// The manifest result for a compile whose cache key is `key`; nullopt when direct mode cannot vouch
// for it (a file changed during the compile, uses __DATE__/__TIME__, or could not be placed).
std::optional<ManifestResult> record_result(const std::string& key, const RecordInputs& inputs,
                                            hash::FileMemo& memo);

}  // namespace sccache::compiler
