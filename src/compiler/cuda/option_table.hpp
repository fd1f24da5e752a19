#pragma once
// The nvcc options we know, as data: how a value attaches and what the option does to caching.
// Options not in the table are kept in both argument lists (nvcc fails on them, or forwards them
// to the host compiler under -forward-unknown-to-host-compiler), and never take a value.
#include <optional>
#include <string_view>

namespace sccache::compiler::cuda {

// nvcc 13.0 spells every option two ways, a short "-name" and a long "--name", and never mixes
// them ("--rdc" and "-compile" are unknown). A value is the next argument or follows a '='.
enum class Attach {
  none,    // -c
  value,   // -o FILE, -o=FILE, --output-file FILE, --output-file=FILE (not -oFILE)
  joined,  // as value, and also glued to the short name: -I/x, -DX=1, -O3, -t2 (-I=/x is /x)
};

enum class Effect {
  plain,          // hashed and passed to the dryrun
  compile,        // -c
  device_c,       // -dc: compile with relocatable device code
  device_w,       // -dw: compile with whole-program device code (relocatable off)
  ptx,            // -ptx
  cubin,          // -cubin
  fatbin,         // -fatbin
  output,         // -o
  output_dir,     // -odir: where default outputs go, and a prefix of the dependency target
  language,       // -x
  rdc,            // -rdc true|false
  dep_gen,        // -MD / -MMD: write a dependency file while compiling
  dep_flag,       // -MP: shapes the dependency file; hashed, not in the dryrun
  dep_file,       // -MF
  dep_target,     // -MT
  threads,        // -t N: parallel per-arch steps, same output; neither hashed nor in the dryrun
  host_compiler,  // -ccbin: the host compiler, whose identity the key must include
  gpu_code,       // -gencode, -arch, -code: the architectures compiled for
  xcompiler,      // -Xcompiler a,b: options for the host compiler, checked for -M* and PCH
  debug,          // -g, -G, -lineinfo: paths reach the output
  not_compile,    // --version, --help, -run, --list-gpu-arch: no object whatever else is given
  mode,           // -E, -M, -MM: never a compile, even with -c; reason below
  too_hard,       // a compile (or step) we do not cache; reason below
};

struct OptionInfo {
  std::string_view short_name;  // "-o"
  std::string_view long_name;   // "--output-file"
  Attach attach;
  Effect effect;
  std::string_view reason = {};  // the CannotCache reason for mode and too_hard
};

// One occurrence of an option in an argument: the table entry, and the value when the argument
// carries it ("-o=x", "-Ix"); without one, a value-taking option reads the next argument.
struct OptionMatch {
  const OptionInfo* info = nullptr;
  std::optional<std::string_view> inline_value;
};

// The option that `arg` is an occurrence of: an exact name first, then "name=value", then a
// value glued to a joined option's short name; nullopt if none.
std::optional<OptionMatch> find_option(std::string_view arg);

}  // namespace sccache::compiler::cuda
