// Fuzzes the @file splitter on arbitrary text. Round trip: the words, each written back with every
// character backslash-escaped ('' for an empty word) and joined by spaces, split into the same
// words.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "compiler/response_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using sccache::compiler::split_response_file;
  auto words = split_response_file(std::string_view(reinterpret_cast<const char*>(data), size));
  std::string text;
  for (const auto& word : words) {
    if (word.empty()) text += "''";
    for (char c : word) text += {'\\', c};
    text += ' ';
  }
  if (split_response_file(text) != words) {
    std::fprintf(stderr, "response file: quoted words do not split back into the same words\n");
    std::abort();
  }
  return 0;
}
