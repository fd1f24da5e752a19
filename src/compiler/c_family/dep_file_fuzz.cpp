// Fuzzes the dependency-file rewrite: the input is an output path, a NUL, then a dep file's text
// (without a NUL: the text alone, for the output "out.o"). Both families' wrapping is applied to
// the default target of that output; rewriting the result again with the same targets changes
// nothing (a dep file the rewrite wrote is one it reproduces) — unless make's syntax cannot say
// what the text means: a line break in the object's name, or a name ending in a backslash (which
// escapes the ':' after a target and before a line break reads as a continuation).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "compiler/c_family/dep_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sccache::compiler::c_family;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto nul = input.find('\0');
  std::string_view output = nul == std::string_view::npos ? "out.o" : input.substr(0, nul);
  std::string_view text = nul == std::string_view::npos ? input : input.substr(nul + 1);
  bool expressible = output.find_first_of("\r\n") == std::string_view::npos &&
                     !output.ends_with('\\') && !text.ends_with("\\\\") &&
                     text.find("\\\\\n") == std::string_view::npos &&
                     text.find("\\\\\r") == std::string_view::npos;
  auto targets = dep_targets_for({}, output);
  for (Family family : {Family::gcc, Family::clang}) {
    std::string once = rewrite_dep_target(text, targets, family);
    if (expressible && rewrite_dep_target(once, targets, family) != once) {
      std::fprintf(stderr, "dep file: a second rewrite (%s) changes the text\n",
                   family == Family::gcc ? "gcc" : "clang");
      std::abort();
    }
  }
  return 0;
}
