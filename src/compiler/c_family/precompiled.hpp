#pragma once
// Precompiled headers the compiler picks up on its own: with `-include foo.h` (or a first
// `#include "foo.h"`, for gcc), a `foo.h.gch` (gcc) or `foo.h.pch` (clang) beside the header is
// used instead of the header's text, and the preprocessed output does not show it. A key that
// ignored it would hand back an object built from an older precompiled header.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/c_family/include_scan.hpp"
#include "hash/file_memo.hpp"

namespace sccache::compiler::c_family {

struct PrecompiledHeaders {
  std::vector<std::pair<std::string, std::string>> present;  // absolute path, SHA-256
  std::vector<std::string> absent;                           // absolute paths that must not appear
};

// The files named by -include / --include in `args`, as written.
std::vector<std::string> forced_includes(const std::vector<std::string>& args);

struct PrecompiledSearch {
  std::string cwd;
  std::vector<std::string> forced_includes;  // -include values
  std::vector<IncludedFile> files;           // from the line markers
  std::vector<std::string> search_dirs;      // from -v, when known
};

// Every place a precompiled header could have been taken from: for each -include, the working
// directory and each search directory (the compiler tries `<dir>/<name>.gch` before the header in
// every directory it searches); and the pch_candidates of the line markers (clang's -E even shows
// the precompiled header's own source instead of the header). nullopt when one is a directory of
// precompiled headers or cannot be read (not cacheable).
std::optional<PrecompiledHeaders> find_precompiled_headers(const PrecompiledSearch& search,
                                                           hash::FileMemo& memo);

}  // namespace sccache::compiler::c_family
