// Fuzzes the dep-info reader (compiler/rust/dep_info) on arbitrary text: rustc's dep-info and the
// linker's --dependency-file are files in the build tree. Properties: no crash, overread or
// runaway allocation (ASan, the RSS limit); never more files or variables than the bound.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "compiler/rust/dep_info.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace rs = sccache::compiler::rust;
  auto info = rs::parse_dep_info(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!info) return 0;
  if (info->files.size() > rs::k_max_dep_info_entries ||
      info->env.size() > rs::k_max_dep_info_entries) {
    std::fprintf(stderr, "dep-info: more entries than the bound\n");
    std::abort();
  }
  for (const auto& f : info->files) {
    if (f.empty()) {
      std::fprintf(stderr, "dep-info: an empty file name\n");
      std::abort();
    }
  }
  return 0;
}
