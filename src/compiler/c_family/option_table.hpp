#pragma once
// The gcc/clang options we know, as data: how a value attaches and what the option does to caching.
// Options not in the table are kept in both argument lists (gcc-like compilers accept thousands).
#include <optional>
#include <string_view>

namespace sccache::compiler::c_family {

enum class Attach {
  none,                   // -c
  separate,               // -Xclang VALUE
  joined,                 // -fdump-tree-all (a prefix: everything after the name is the value)
  joined_or_separate,     // -Ipath or -I path
  joined_eq_or_separate,  // --sysroot=path or --sysroot path
};

enum class Effect {
  plain,              // hashed and passed to the preprocessor
  compile,            // -c
  output,             // -o
  language,           // -x
  dep_gen,            // -MD / -MMD: write a dependency file
  dep_flag,           // -MP / -MG: shapes the dependency file; hashed, not preprocessed
  dep_file,           // -MF
  dep_target,         // -MT
  dep_target_quoted,  // -MQ
  unhashed,           // -pipe: no effect on the output; preprocessed, not hashed
  color,              // diagnostics colouring: sets ColorChoice, in neither list
  arch,               // -arch
  xclang,             // -Xclang VALUE: checked for plugins and -include-pch
  wp,                 // -Wp,…: checked for dependency options
  xpreprocessor,      // -Xpreprocessor VALUE: checked for dependency options
  assembler,          // -Wa,… / -Xassembler VALUE: checked for listing and dependency files
  extra_file,         // names a file the compile reads: its content is hashed
  profile_use,        // -fprofile-use[=P]: a file for clang, per-object .gcda files for gcc
  gcc_profile_gen,  // -fprofile-generate: gcc puts the absolute .gcda path (from -o) in the object
  assembly,         // -S: compile to assembly (the output is a .s)
  split_dwarf,      // -gsplit-dwarf[=split|single]: a .dwo beside the object, named after it
  coverage,         // --coverage: coverage notes and profiling arcs
  coverage_notes,   // -ftest-coverage: a .gcno beside the output, named after it
  profile_arcs,     // -fprofile-arcs: the absolute .gcda path (from the cwd and -o) in the object
  aux_names,        // -dumpbase, -dumpdir: rename gcc's side outputs
  end_of_options,   // --: clang reads the rest as inputs (gcc rejects it)
  mode,             // -E, -M, -S, …: not an object compile, even without -c; reason below
  too_hard,         // a compile we do not cache; reason below
  unknown_outputs,  // writes files besides the object and dependency file that we do not cache
};

struct OptionInfo {
  std::string_view name;
  Attach attach;
  Effect effect;
  std::string_view reason = {};  // the CannotCache reason for mode and too_hard
};

// The option `arg` is an occurrence of: an exact name first, else the longest name that takes a
// joined value and prefixes `arg`; nullopt if none.
std::optional<OptionInfo> find_option(std::string_view arg);

}  // namespace sccache::compiler::c_family
