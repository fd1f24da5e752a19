#pragma once
// The compiler options we know, as data: how a value attaches and what the option does to caching.
#include <optional>
#include <string_view>

namespace sccache::compiler {

enum class Attach {
  none,                   // -c
  separate,               // -Xclang VALUE
  joined,                 // -DNAME, -O2 (a prefix: everything after the name is the value)
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
  unhashed,           // -pipe: no effect on the output
  color,              // diagnostics colouring: not hashed
  arch,               // -arch
  xclang,             // -Xclang VALUE: checked for plugin loading
  wp,                 // -Wp,…: checked for dependency options
  extra_file,         // names a file the compile reads: its content is hashed
  too_hard,           // not cacheable; the reason is the option's name
  unknown_outputs,    // writes files we do not cache
};

struct OptionInfo {
  std::string_view name;
  Attach attach;
  Effect effect;
};

// The option `arg` starts with: an exact name first, else the longest joined prefix; nullopt if
// none (an unknown option, treated as plain by the parser).
std::optional<OptionInfo> find_option(std::string_view arg);

}  // namespace sccache::compiler
