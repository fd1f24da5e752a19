#pragma once
// What a preprocessor run tells about a compile's inputs: the files it read (from the line markers
// of its output) and where else a header could have come from (from the search list that `-v`
// prints), so direct mode can notice a header that would now be found first.
#include <string>
#include <string_view>
#include <vector>

namespace sccache::compiler::c_family {

struct IncludedFile {
  std::string path;      // as the preprocessor named it (relative to the compile's cwd or absolute)
  std::string includer;  // the file whose #include brought it in; empty for the main file
};

// Files named in line markers (`# 1 "path" 1`), each once, in order; <built-in> and the like
// skipped.
std::vector<IncludedFile> files_in_line_markers(std::string_view preprocessed);

// The directories of the "#include "..." search starts here:" and "#include <...>" lists of a
// `-v` run's stderr, in search order, preceded by the directories it ignored as nonexistent (a
// header created there later must still be noticed).
std::vector<std::string> search_dirs_from_verbose(std::string_view verbose_stderr);

// Paths where a file would shadow `file`: `dir/name` for each search directory (the includer's
// own directory first) that comes before the one the file was found in. `ok` is false when a
// relative path could not be placed in the search list: then no guarantee can be given.
struct Shadows {
  bool ok = true;
  std::vector<std::string> paths;
};
Shadows shadow_candidates(const IncludedFile& file, const std::vector<std::string>& search_dirs);

// Headers the compiler may have replaced by a precompiled one (`<header>.gch` for gcc, `.pch` for
// clang) without the preprocessed text showing it: those named by -include (their includer is
// <command-line> or <built-in>), and the first header the source includes (gcc looks for a .gch
// there too). A changed or new precompiled header must change the key.
std::vector<std::string> pch_candidates(const std::vector<IncludedFile>& files);

// The precompiled forms the compiler would look for beside `header`.
inline constexpr const char* k_pch_suffixes[] = {".gch", ".pch"};

}  // namespace sccache::compiler::c_family
