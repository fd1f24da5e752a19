#include "compiler/c_family/option_table.hpp"

#include <array>

namespace sccache::compiler::c_family {

namespace {

using A = Attach;
using E = Effect;

// Data, not logic: adding an option is one line. Every option whose value is a separate argument
// must be here, or the value would be taken for an input file.
constexpr OptionInfo k_options[] = {
    // the compile itself
    {"-c", A::none, E::compile},
    {"-o", A::joined_or_separate, E::output},
    {"-x", A::joined_or_separate, E::language},
    {"--", A::none, E::end_of_options},
    // other modes: never an object compile
    {"-E", A::none, E::mode, "-E"},
    {"-M", A::none, E::mode, "-M"},
    {"-MM", A::none, E::mode, "-MM"},
    {"-S", A::none, E::assembly},
    {"-fsyntax-only", A::none, E::mode, "-fsyntax-only"},
    // compiles we do not cache
    {"-save-temps", A::joined, E::too_hard, "-save-temps"},
    {"--save-temps", A::joined, E::too_hard, "-save-temps"},
    {"-fmodules", A::none, E::too_hard, "-fmodules"},
    {"-fmodules-ts", A::none, E::too_hard, "-fmodules-ts"},
    {"-fcxx-modules", A::none, E::too_hard, "-fcxx-modules"},
    {"-fmodule-file", A::joined, E::too_hard, "-fmodule-file"},
    {"-fprebuilt-module-path", A::joined, E::too_hard, "-fprebuilt-module-path"},
    {"-frepo", A::none, E::too_hard, "-frepo"},
    {"-fauto-profile", A::joined, E::too_hard, "-fauto-profile"},
    {"-working-directory", A::joined_eq_or_separate, E::too_hard, "-working-directory"},
    {"-index-store-path", A::separate, E::too_hard, "-index-store-path"},
    {"-fprofile-use", A::joined, E::profile_use},
    {"-fprofile-instr-use", A::joined, E::profile_use},
    {"-fprofile-generate", A::joined, E::gcc_profile_gen},
    // options that write files besides the object and the dependency file
    // side outputs named after the output, and paths in the result
    {"-gsplit-dwarf", A::joined, E::split_dwarf},
    {"--coverage", A::none, E::coverage},
    {"-coverage", A::none, E::coverage},
    {"-ftest-coverage", A::none, E::coverage_notes},
    {"-fprofile-arcs", A::none, E::profile_arcs},        // puts <abs -o path>.gcda in the object
    {"-fprofile-note=", A::joined, E::unknown_outputs},  // the .gcno elsewhere
    {"-fstack-usage", A::none, E::unknown_outputs},
    {"-fdump-", A::joined, E::unknown_outputs},
    {"-fcallgraph-info", A::joined, E::unknown_outputs},
    {"-aux-info", A::separate, E::unknown_outputs},
    {"--serialize-diagnostics", A::separate, E::unknown_outputs},
    {"-save-stats", A::joined, E::unknown_outputs},
    {"-ftime-trace", A::joined, E::unknown_outputs},
    {"-fopt-info", A::joined, E::unknown_outputs},
    {"-MJ", A::joined_or_separate, E::unknown_outputs},
    // dependency files
    {"-MD", A::none, E::dep_gen},
    {"-MMD", A::none, E::dep_gen},
    {"-MF", A::joined_or_separate, E::dep_file},
    {"-MT", A::joined_or_separate, E::dep_target},
    {"-MQ", A::joined_or_separate, E::dep_target_quoted},
    {"-MP", A::none, E::dep_flag},
    {"-MG", A::none, E::dep_flag},
    {"-Wp,", A::joined, E::wp},
    {"-Xpreprocessor", A::separate, E::xpreprocessor},
    // options with a value (a separate one must not be taken for an input)
    {"-D", A::joined_or_separate, E::plain},
    {"-U", A::joined_or_separate, E::plain},
    {"-A", A::joined_or_separate, E::plain},
    {"-I", A::joined_or_separate, E::plain},
    {"-F", A::joined_or_separate, E::plain},
    {"-include", A::joined_or_separate, E::plain},
    {"--include", A::joined_eq_or_separate, E::plain},
    {"-imacros", A::joined_or_separate, E::plain},
    {"-isystem", A::joined_or_separate, E::plain},
    {"-isystem-after", A::joined_or_separate, E::plain},
    {"-cxx-isystem", A::joined_or_separate, E::plain},
    {"-iquote", A::joined_or_separate, E::plain},
    {"-idirafter", A::joined_or_separate, E::plain},
    {"-iframework", A::joined_or_separate, E::plain},
    {"-iprefix", A::joined_or_separate, E::plain},
    {"-iwithprefix", A::joined_or_separate, E::plain},
    {"-iwithprefixbefore", A::joined_or_separate, E::plain},
    {"-iwithsysroot", A::joined_or_separate, E::plain},
    {"-isysroot", A::joined_or_separate, E::plain},
    {"-imultilib", A::joined_or_separate, E::plain},
    {"-imultiarch", A::joined_or_separate, E::plain},
    {"--sysroot", A::joined_eq_or_separate, E::plain},
    {"-resource-dir", A::joined_eq_or_separate, E::plain},
    {"-gcc-toolchain", A::separate, E::plain},
    {"-Xassembler", A::separate, E::assembler},
    {"-Wa,", A::joined, E::assembler},
    {"-Xlinker", A::separate, E::plain},
    {"-Xanalyzer", A::separate, E::plain},
    {"-mllvm", A::separate, E::plain},
    {"-Xclang", A::separate, E::xclang},
    {"-target", A::separate, E::plain},
    {"-arch", A::separate, E::arch},
    {"-framework", A::separate, E::plain},
    {"-dumpbase", A::separate, E::aux_names},
    {"-dumpdir", A::separate, E::aux_names},
    {"-L", A::joined_or_separate, E::plain},
    {"-l", A::joined_or_separate, E::plain},
    {"-u", A::joined_or_separate, E::plain},
    {"-T", A::joined_or_separate, E::plain},
    {"-B", A::joined_or_separate, E::plain},
    {"-G", A::joined_or_separate, E::plain},
    {"-z", A::separate, E::plain},
    {"--param", A::joined_eq_or_separate, E::plain},
    // no effect on the object
    {"-pipe", A::none, E::unhashed},
    {"-fansi-escape-codes", A::none, E::unhashed},
    {"-fdiagnostics-color", A::joined, E::color},
    {"-fno-diagnostics-color", A::none, E::color},
    {"-fcolor-diagnostics", A::none, E::color},
    {"-fno-color-diagnostics", A::none, E::color},
    // files read by the compile that the preprocessed text does not show
    {"-include-pch", A::separate, E::extra_file},
    {"-ivfsoverlay", A::joined_or_separate, E::extra_file},
    {"--config", A::joined_eq_or_separate, E::extra_file},
    {"-fprofile-sample-use=", A::joined, E::extra_file},
    {"-fprofile-remapping-file=", A::joined, E::extra_file},
    {"-fsanitize-blacklist=", A::joined, E::extra_file},
    {"-fsanitize-ignorelist=", A::joined, E::extra_file},
    {"-fsanitize-coverage-allowlist=", A::joined, E::extra_file},
    {"-fsanitize-coverage-ignorelist=", A::joined, E::extra_file},
    {"-fplugin=", A::joined, E::extra_file},
    {"-fmodule-map-file=", A::joined, E::extra_file},
    {"-specs=", A::joined, E::extra_file},
    {"--specs=", A::joined, E::extra_file},
    {"-fprofile-list=", A::joined, E::extra_file},
    {"-fxray-attr-list=", A::joined, E::extra_file},
    {"-fxray-always-instrument=", A::joined, E::extra_file},
    {"-fxray-never-instrument=", A::joined, E::extra_file},
};

bool takes_prefix(Attach attach) {
  return attach != Attach::none && attach != Attach::separate;
}

bool is_prefix_of(const OptionInfo& option, std::string_view arg) {
  if (!takes_prefix(option.attach) || arg.size() <= option.name.size()) return false;
  if (!arg.starts_with(option.name)) return false;
  return option.attach != Attach::joined_eq_or_separate || arg[option.name.size()] == '=';
}

}  // namespace

std::optional<OptionInfo> find_option(std::string_view arg) {
  std::optional<OptionInfo> best;
  for (const auto& option : k_options) {
    if (arg == option.name) return option;
    if (is_prefix_of(option, arg) && (!best || option.name.size() > best->name.size())) {
      best = option;
    }
  }
  return best;
}

}  // namespace sccache::compiler::c_family
