// Fuzzes the gcc/clang argument parser: the input split at NUL bytes into argv words (a word may
// hold anything else, newlines included), parsed for both families, as a C and as a C++ driver.
// The working directory does not exist and an @file's name is made relative to it, so no @file
// opens and the outcome depends on the bytes alone (but for clang's -fprofile-use=PATH, which
// asks whether PATH is a directory: a stat, nothing read). A cacheable compile's input is one of
// the words.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "compiler/c_family/parsed_args.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sccache::compiler::c_family;
  std::vector<std::string> args;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    auto end = std::min(rest.find('\0'), rest.size());
    std::string word(rest.substr(0, end));
    if (word.starts_with('@')) word.erase(1, word.find_first_not_of('/', 1) - 1);
    args.push_back(std::move(word));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  for (Family family : {Family::gcc, Family::clang}) {
    for (bool plusplus : {false, true}) {
      auto result = parse_arguments(args, "/nonexistent-fuzz-cwd", family, plusplus);
      auto* parsed = std::get_if<ParsedArgs>(&result);
      if (parsed && std::find(args.begin(), args.end(), parsed->input) == args.end()) {
        std::fprintf(stderr, "parse_args: the input \"%s\" is none of the words\n",
                     parsed->input.c_str());
        std::abort();
      }
    }
  }
  return 0;
}
