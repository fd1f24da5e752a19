// Fuzzes the reading of a preprocessor run: the input is `-E` output, a NUL, then `-v` stderr (no
// NUL: the same text for both). The files found are named once each and never empty; a file's
// shadow candidates never include the file itself.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string_view>

#include "compiler/c_family/include_scan.hpp"

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "include scan: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sccache::compiler::c_family;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto nul = input.find('\0');
  std::string_view preprocessed = input.substr(0, nul);
  std::string_view verbose = nul == std::string_view::npos ? input : input.substr(nul + 1);
  auto files = files_in_line_markers(preprocessed);
  auto dirs = search_dirs_from_verbose(verbose);
  std::set<std::string> seen;
  for (const auto& file : files) {
    check(!file.path.empty() && seen.insert(file.path).second, "an empty or repeated file");
    auto shadows = shadow_candidates(file, dirs);
    for (const auto& path : shadows.paths) check(path != file.path, "a file shadows itself");
  }
  pch_candidates(files);
  return 0;
}
