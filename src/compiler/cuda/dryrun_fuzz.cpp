// Fuzzes the reader of `nvcc -dryrun` output: the input is the text, read with one process
// variable set. A step read has an argv, its kind is its argv's, and rewriting a preprocess step's
// output drops "-o <file>" (stdout) or keeps the length (another file).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "compiler/cuda/dryrun.hpp"

namespace {

using namespace sccache::compiler::cuda;

[[noreturn]] void fail(const char* what, const Step& step) {
  std::fprintf(stderr, "dryrun: %s: \"%s\"\n", what, step.line.c_str());
  std::abort();
}

void check(const Step& step) {
  if (step.argv.empty()) fail("a step without argv", step);
  if (classify(step.argv) != step.kind) fail("kind is not its argv's", step);
  auto to_stdout = preprocess_argv(step, std::nullopt);
  auto to_file = preprocess_argv(step, std::string("/out.ii"));
  if (to_stdout.has_value() != to_file.has_value()) fail("stdout and file disagree", step);
  if (!to_stdout) return;
  if (!step.output) fail("a rewritten preprocess without -o", step);
  if (to_stdout->size() + 2 != step.argv.size()) fail("-o not dropped", step);
  if (to_file->size() != step.argv.size()) fail("-o not replaced", step);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto dryrun = parse_dryrun(text, {{"HOME", "/home/fuzz"}});
  if (!dryrun) return 0;
  for (const Step& step : dryrun->steps) check(step);
  preprocess_steps(*dryrun);
  return 0;
}
