#pragma once
// The result of reading an nvcc command line: a cacheable compile (NvccArgs), not a compile at all
// (NotCompilation: linking, --version, --help, -run), or a compile we will not cache (CannotCache,
// with a reason that is also the stats key under "Non-cacheable reasons"). -E, -M and -MM are
// CannotCache, as for gcc: nvcc was asked to preprocess, which we do not cache.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/cuda/output_names.hpp"

namespace sccache::compiler::cuda {

struct NvccArgs {
  std::string input;             // the one .cu source (or any file under -x cu), as written
  bool language_from_x = false;  // -x cu rather than the .cu extension
  // What nvcc produces. With several mode options nvcc picks by rank, not by order:
  // -ptx over -cubin over -fatbin over -dc over -c/-dw (measured).
  Mode mode = Mode::compile;
  // Relocatable device code: -dc, or -rdc=true (the last -rdc) unless -dw. Every step differs.
  bool relocatable = false;
  std::string output;                    // as nvcc will write it (cwd-relative ok)
  std::optional<std::string> dep_file;   // written by -MD/-MMD (-MF, or named after the output)
  std::vector<std::string> dep_targets;  // the rule's target as nvcc writes it (one: the last -MT)
  // The architectures, in order, normalised to "-gencode=V", "-arch=V", "-code=V". Empty means
  // nvcc's default (compute_75/sm_75 for 13.0); the dryrun says what it became ("native", "all").
  std::vector<std::string> gpu_code;
  // -ccbin's value (a directory or an executable): the key must hash the host compiler it names.
  // nullopt: nvcc runs gcc/g++ from PATH.
  std::optional<std::string> host_compiler;
  std::optional<int> threads;  // -t N (0: one per CPU): per-arch parallelism, same output
  bool debug_info = false;     // -g, -G, -lineinfo, -Xcompiler -g…: paths reach the output
  // Arguments for `nvcc <these> -dryrun`: the original ones less -t N and the dependency-file
  // options (-MD/-MMD/-MF/-MT/-MP; nvcc reorders its steps for them). The caller appends -dryrun
  // and runs it without NVCC_PREPEND_FLAGS/NVCC_APPEND_FLAGS (already spliced in).
  std::vector<std::string> dryrun_args;
  // Arguments that change the output, in order: everything but the input, -o X, -odir X, -MF X,
  // -MT X and -t N. -D/-I and friends are included although the preprocessed text reflects them.
  std::vector<std::string> hashed_args;
  bool operator==(const NvccArgs&) const = default;
};

struct NotCompilation {};
struct CannotCache {
  std::string reason;  // e.g. "-dlink", "multiple input files", "no input file", "-keep"
};

using ParseResult = std::variant<NvccArgs, NotCompilation, CannotCache>;

// `args` excludes argv[0] and already holds NVCC_PREPEND_FLAGS/NVCC_APPEND_FLAGS (env_flags.hpp).
// Pure: reads no file (an --options-file is CannotCache, not expanded).
ParseResult parse_nvcc_arguments(const std::vector<std::string>& args);

}  // namespace sccache::compiler::cuda
