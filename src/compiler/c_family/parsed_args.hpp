#pragma once
// The result of reading a compiler command line: a cacheable compile (ParsedArgs), not a compile at
// all (NotCompilation: linking, --version, ...), or a compile we will not cache (CannotCache, with
// a reason that is also the stats key under "Non-cacheable reasons").
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/c_family/language.hpp"

namespace sccache::compiler::c_family {

enum class Family { gcc, clang };

enum class ColorChoice { automatic, always, never };

// A file the compile may write beside its output, by role; stored when the compile wrote it.
struct SideOutput {
  std::string role;  // "dwo" (-gsplit-dwarf), "gcno" (coverage notes)
  std::string path;  // as the compiler names it (cwd-relative ok)
  bool operator==(const SideOutput&) const = default;
};

struct ParsedArgs {
  std::string input;  // the one source file, as written on the command line
  Language language = Language::c;
  bool language_from_x = false;  // set by -x rather than the extension
  std::string output;            // object path as the compiler will write it (cwd-relative ok)
  bool assembly = false;         // -S: the output is assembly text, not an object
  std::optional<std::string> dep_file;   // dependency file written by -MD/-MMD (or -MF), if any
  std::vector<std::string> dep_targets;  // -MT/-MQ targets as they appear in the .d (MQ quoted)
  // Arguments for the `-E` run: the original ones less -c, -o X, the input and dependency-file
  // generation (-MD/-MMD/-MF/-MT/-MQ/-MP). The caller appends -E and the input.
  std::vector<std::string> preprocessor_args;
  // Arguments that change the object, in order: everything but -o X, the input, -MF/-MT/-MQ values,
  // and options that only affect diagnostics layout for a terminal (-fdiagnostics-color). -D/-I and
  // friends are included although the preprocessed text already reflects them (cheap, and safer).
  std::vector<std::string> hashed_args;
  bool debug_info = false;  // -g*: the working directory ends up in the object
  // The output's path as written and the working directory reach the result: the .dwo name in a
  // split-DWARF skeleton, the .gcda path in a profiling object, the cwd in a .gcno.
  bool output_path_in_result = false;
  std::vector<SideOutput> side_outputs;
  ColorChoice color = ColorChoice::automatic;
  // Extra files the compile reads that the preprocessed text does not show (e.g. -fprofile-use=F).
  std::vector<std::string> extra_hashed_files;
};

struct NotCompilation {};
struct CannotCache {
  std::string reason;  // e.g. "-E", "multiple input files", "no input file", "-save-temps"
};

using ParseResult = std::variant<ParsedArgs, NotCompilation, CannotCache>;

// `args` excludes argv[0]. @file arguments are read relative to `cwd` and expanded (nested too);
// an unreadable one is CannotCache. `plusplus` is set for g++/clang++ drivers, which compile .c
// files as C++ (unless -x says otherwise).
ParseResult parse_arguments(const std::vector<std::string>& args, const std::string& cwd,
                            Family family, bool plusplus);

}  // namespace sccache::compiler::c_family
