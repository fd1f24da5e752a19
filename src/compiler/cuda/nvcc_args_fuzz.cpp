// Fuzzes the nvcc argument parser: the input split at NUL bytes into argv words (a word may hold
// anything else), parsed as it is and again with the first word as NVCC_APPEND_FLAGS. Pure: no
// file is read. A cacheable compile has an input that is one of the words and reaches the dryrun,
// an output, and a target for its dependency file if it has one.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "compiler/cuda/env_flags.hpp"
#include "compiler/cuda/nvcc_args.hpp"

namespace {

using namespace sccache::compiler::cuda;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "nvcc_args: %s \"%s\"\n", what, detail.c_str());
  std::abort();
}

void check(const std::vector<std::string>& args) {
  auto result = parse_nvcc_arguments(args);
  auto* parsed = std::get_if<NvccArgs>(&result);
  if (!parsed) return;
  if (parsed->input.empty()) fail("cacheable without an input", "");
  if (parsed->output.empty()) fail("cacheable without an output", parsed->input);
  if (std::find(args.begin(), args.end(), parsed->input) == args.end()) {
    fail("the input is none of the words", parsed->input);
  }
  if (std::find(parsed->dryrun_args.begin(), parsed->dryrun_args.end(), parsed->input) ==
      parsed->dryrun_args.end()) {
    fail("the dryrun lacks the input", parsed->input);
  }
  if (parsed->dep_file && parsed->dep_targets.size() != 1) fail("dep file without target", "");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    auto end = std::min(rest.find('\0'), rest.size());
    args.emplace_back(rest.substr(0, end));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  check(args);
  if (args.empty()) return 0;
  std::vector<std::string> tail(args.begin() + 1, args.end());
  auto spliced = with_env_flags(tail, {{std::string(k_append_flags), args.front()}});
  if (spliced) check(*spliced);
  return 0;
}
