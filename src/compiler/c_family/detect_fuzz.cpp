// Fuzzes the reading of the compiler probe's preprocessed output. A compiler is recognised only
// when the output has a line naming it; its version is one line's text.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "compiler/c_family/detect.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view output(reinterpret_cast<const char*>(data), size);
  auto info = sccache::compiler::c_family::parse_probe_output(output);
  if (!info) return 0;
  bool named = output.starts_with("sccache_compiler_id=") ||
               output.find("\nsccache_compiler_id=") != std::string_view::npos;
  if (!named || info->version.find('\n') != std::string::npos) {
    std::fprintf(stderr, "detect: a compiler from no id line, or a version of several lines\n");
    std::abort();
  }
  return 0;
}
