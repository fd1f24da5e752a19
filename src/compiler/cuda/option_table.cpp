#include "compiler/cuda/option_table.hpp"

namespace sccache::compiler::cuda {

namespace {

using A = Attach;
using E = Effect;

// Data, not logic: adding an option is one line. Every option that takes a value must be here, or
// a separate value would be taken for an input file. Names and values as `nvcc --help` (13.0)
// lists them; which ones accept a glued value (-I/x) was tried one by one.
constexpr OptionInfo k_options[] = {
    // what to produce
    {"-c", "--compile", A::none, E::compile},
    {"-dc", "--device-c", A::none, E::device_c},
    {"-dw", "--device-w", A::none, E::device_w},
    {"-ptx", "--ptx", A::none, E::ptx},
    {"-cubin", "--cubin", A::none, E::cubin},
    {"-fatbin", "--fatbin", A::none, E::fatbin},
    {"-o", "--output-file", A::value, E::output},
    {"-odir", "--output-directory", A::value, E::output_dir},
    {"-x", "--x", A::value, E::language},
    {"-rdc", "--relocatable-device-code", A::value, E::rdc},
    // not a compile at all
    {"-V", "--version", A::none, E::not_compile},
    {"-h", "--help", A::none, E::not_compile},
    {"-run", "--run", A::none, E::not_compile},
    {"-code-ls", "--list-gpu-code", A::none, E::not_compile},
    {"-arch-ls", "--list-gpu-arch", A::none, E::not_compile},
    // other modes: never a compile, whatever else is given
    {"-E", "--preprocess", A::none, E::mode, "-E"},
    {"-M", "--generate-dependencies", A::none, E::mode, "-M"},
    {"-MM", "--generate-nonsystem-dependencies", A::none, E::mode, "-MM"},
    // compiles (or steps) we do not cache
    {"-dlink", "--device-link", A::none, E::too_hard, "-dlink"},
    {"-cuda", "--cuda", A::none, E::too_hard, "-cuda"},
    {"-optix-ir", "--optix-ir", A::none, E::too_hard, "-optix-ir"},
    {"-ltoir", "--ltoir", A::none, E::too_hard, "-ltoir"},
    {"-time", "--time", A::value, E::too_hard, "-time"},
    {"-fdevice-time-trace", "--fdevice-time-trace", A::value, E::too_hard, "-fdevice-time-trace"},
    {"-keep", "--keep", A::none, E::too_hard, "-keep"},
    {"-keep-dir", "--keep-dir", A::value, E::too_hard, "-keep"},
    {"-save-temps", "--save-temps", A::none, E::too_hard, "-keep"},
    {"-optf", "--options-file", A::value, E::too_hard, "--options-file"},
    {"-dryrun", "--dryrun", A::none, E::too_hard, "-dryrun"},
    {"-clean", "--clean-targets", A::none, E::too_hard, "-clean"},
    // dependency files
    {"-MD", "--generate-dependencies-with-compile", A::none, E::dep_gen},
    {"-MMD", "--generate-nonsystem-dependencies-with-compile", A::none, E::dep_gen},
    {"-MP", "--generate-dependency-targets", A::none, E::dep_flag},
    {"-MF", "--dependency-output", A::value, E::dep_file},
    {"-MT", "--dependency-target-name", A::value, E::dep_target},
    // what the key must know of
    {"-t", "--threads", A::joined, E::threads},
    {"-ccbin", "--compiler-bindir", A::value, E::host_compiler},
    {"-gencode", "--generate-code", A::value, E::gpu_code},
    {"-arch", "--gpu-architecture", A::value, E::gpu_code},
    {"-code", "--gpu-code", A::value, E::gpu_code},
    {"-Xcompiler", "--compiler-options", A::value, E::xcompiler},
    {"-g", "--debug", A::none, E::debug},
    {"-G", "--device-debug", A::none, E::debug},
    {"-lineinfo", "--generate-line-info", A::none, E::debug},
    // options with a value, hashed and passed on
    {"-I", "--include-path", A::joined, E::plain},
    {"-D", "--define-macro", A::joined, E::plain},
    {"-U", "--undefine-macro", A::joined, E::plain},
    {"-L", "--library-path", A::joined, E::plain},
    {"-l", "--library", A::joined, E::plain},
    {"-O", "--optimize", A::joined, E::plain},
    {"-include", "--pre-include", A::value, E::plain},
    {"-isystem", "--system-include", A::value, E::plain},
    {"-std", "--std", A::value, E::plain},
    {"-m", "--machine", A::value, E::plain},
    {"-Xptxas", "--ptxas-options", A::value, E::plain},
    {"-Xlinker", "--linker-options", A::value, E::plain},
    {"-Xarchive", "--archive-options", A::value, E::plain},
    {"-Xnvlink", "--nvlink-options", A::value, E::plain},
    {"-arbin", "--archiver-binary", A::value, E::plain},
    {"-cudart", "--cudart", A::value, E::plain},
    {"-cudadevrt", "--cudadevrt", A::value, E::plain},
    {"-ldir", "--libdevice-directory", A::value, E::plain},
    {"-target-dir", "--target-directory", A::value, E::plain},
    {"-opt-info", "--optimization-info", A::value, E::plain},
    {"-Ofc", "--Ofast-compile", A::value, E::plain},
    {"-dopt", "--dopt", A::value, E::plain},
    {"-ftemplate-backtrace-limit", "--ftemplate-backtrace-limit", A::value, E::plain},
    {"-ftemplate-depth", "--ftemplate-depth", A::value, E::plain},
    {"-static-global-template-stub", "--static-global-template-stub", A::value, E::plain},
    {"-device-entity-has-hidden-visibility", "--device-entity-has-hidden-visibility", A::value,
     E::plain},
    {"-split-compile", "--split-compile", A::value, E::plain},
    {"-split-compile-extended", "--split-compile-extended", A::value, E::plain},
    {"-run-args", "--run-args", A::value, E::plain},
    {"-idp", "--input-drive-prefix", A::value, E::plain},
    {"-ddp", "--dependency-drive-prefix", A::value, E::plain},
    {"-dp", "--drive-prefix", A::value, E::plain},
    {"-e", "--entries", A::value, E::plain},
    {"-maxrregcount", "--maxrregcount", A::value, E::plain},
    {"-ftz", "--ftz", A::value, E::plain},
    {"-prec-div", "--prec-div", A::value, E::plain},
    {"-prec-sqrt", "--prec-sqrt", A::value, E::plain},
    {"-fmad", "--fmad", A::value, E::plain},
    {"-default-stream", "--default-stream", A::value, E::plain},
    {"-Werror", "--Werror", A::value, E::plain},
    {"-diag-error", "--diag-error", A::value, E::plain},
    {"-diag-suppress", "--diag-suppress", A::value, E::plain},
    {"-diag-warn", "--diag-warn", A::value, E::plain},
    {"-hls", "--host-linker-script", A::value, E::plain},
    {"-brief-diag", "--brief-diagnostics", A::value, E::plain},
    {"-jtd", "--jump-table-density", A::value, E::plain},
    {"-device-stack-protector", "--device-stack-protector", A::value, E::plain},
    {"-compress-mode", "--compress-mode", A::value, E::plain},
    {"-frandom-seed", "--frandom-seed", A::value, E::plain},
    {"-sanitize", "--sanitize", A::value, E::plain},
};

bool has_value(Attach attach) {
  return attach != Attach::none;
}

// "-o=x" / "--output-file=x": the value after the '='.
std::optional<std::string_view> after_equals(std::string_view arg, std::string_view name) {
  if (name.empty() || arg.size() <= name.size() || !arg.starts_with(name)) return std::nullopt;
  if (arg[name.size()] != '=') return std::nullopt;
  return arg.substr(name.size() + 1);
}

}  // namespace

std::optional<OptionMatch> find_option(std::string_view arg) {
  for (const auto& option : k_options) {
    if (arg == option.short_name || arg == option.long_name) return OptionMatch{&option, {}};
  }
  for (const auto& option : k_options) {
    if (!has_value(option.attach)) continue;
    for (std::string_view name : {option.short_name, option.long_name}) {
      if (auto value = after_equals(arg, name)) return OptionMatch{&option, value};
    }
  }
  for (const auto& option : k_options) {
    if (option.attach != Attach::joined || !arg.starts_with(option.short_name)) continue;
    std::string_view value = arg.substr(option.short_name.size());
    return OptionMatch{&option, value};  // "-I=x" was matched above as "-I" "=" "x"
  }
  return std::nullopt;
}

}  // namespace sccache::compiler::cuda
