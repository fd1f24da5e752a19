#pragma once
// What `nvcc <args> -dryrun` prints on stderr, read: the variables it sets ("#$ NAME=value") and
// the steps it would run ("#$ <command>"), each split into argv and classified.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace sccache::compiler::cuda {

enum class StepKind {
  host_preprocess,      // gcc -E without -D__CUDA_ARCH__= → .cpp4.ii (cudafe++'s input)
  device_preprocess,    // gcc -E -D__CUDA_ARCH__=NNN → .cpp1.ii, one per virtual arch (cicc's)
  cudafe,               // cudafe++: splits host and device code
  cicc,                 // cicc: device code → .ptx, per virtual arch
  ptxas,                // ptxas: .ptx → .cubin per real arch; without -o only a check
  fatbinary,            // fatbinary: cubins and ptx → .fatbin.c
  host_compile,         // gcc -c of the .cudafe1.cpp → the object
  nvlink,               // nvlink (device link)
  rm,                   // rm of a temporary
  filter_dependencies,  // "-- Filter Dependencies -- > x.d": nvcc's own -MD writer
  unknown,
};

const char* to_string(StepKind kind);

struct Step {
  StepKind kind = StepKind::unknown;
  std::string line;                        // the command as printed, after "#$ "
  std::vector<std::string> argv;           // as sh would run it, variables expanded
  std::optional<std::string> stdout_path;  // "> f" (--threads, Filter Dependencies)
  std::optional<std::string> stderr_path;  // "2> f" (--threads)
  std::optional<std::string> output;       // the value of "-o", if any
  // The architecture the step is for: __CUDA_ARCH__ of a device preprocess ("750"), -arch of cicc
  // ("compute_75") and of ptxas ("sm_75", "compute_90" for a PTX-only check); "" otherwise.
  std::string arch;
};

struct Dryrun {
  std::vector<std::pair<std::string, std::string>> env;  // "#$ NAME=value", in order, raw values
  std::vector<Step> steps;                               // in the order printed
};

// What a dryrun may cost: nvcc's are 4-7 KB.
inline constexpr std::size_t k_max_dryrun_bytes = 4 << 20;
inline constexpr std::size_t k_max_dryrun_steps = 4096;

// Reads nvcc's dryrun text. "#$ " lines are variables or steps; other lines continue the previous
// one when it ends inside quotes, and are ignored otherwise (warnings). A step's $NAME is looked
// up in the variables printed before it (the last one counts), then in `process_env`. A value is
// kept as printed: nvcc's own quoting stays ('INCLUDES="-I…"  '). corrupt: a step sh would not
// split (shell_words.hpp); too_large: past the limits above.
util::Result<Dryrun> parse_dryrun(
    std::string_view text, const std::vector<std::pair<std::string, std::string>>& process_env);

// The kind of a step from its argv: the tool by base name; for anything else (the host
// compiler, whatever -ccbin names), -E is a preprocess — device when -D__CUDA_ARCH__= is there —
// and -c a host compile.
StepKind classify(const std::vector<std::string>& argv);

// A preprocess step's argv writing its text to stdout (output: nullopt) or to `output` instead
// of nvcc's temporary: "-o <tmp>/tmpxft_…" removed or replaced. nullopt for any other step, or a
// preprocess without "-o".
std::optional<std::vector<std::string>> preprocess_argv(const Step& step,
                                                        const std::optional<std::string>& output);

// The preprocess steps, host first then devices in the printed order: what the key is made of.
std::vector<const Step*> preprocess_steps(const Dryrun& dryrun);

}  // namespace sccache::compiler::cuda
