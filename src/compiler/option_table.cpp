#include "compiler/option_table.hpp"

#include <array>

namespace sccache::compiler {

namespace {

using A = Attach;
using E = Effect;

// Data, not logic: kept in one table so that adding an option is one line.
constexpr std::array<OptionInfo, 86> k_options = {{
    // the compile itself
    {"-c", A::none, E::compile},
    {"-o", A::joined_or_separate, E::output},
    {"-x", A::joined_or_separate, E::language},
    // not cacheable
    {"-E", A::none, E::too_hard},
    {"-M", A::none, E::too_hard},
    {"-MM", A::none, E::too_hard},
    {"-S", A::none, E::too_hard},
    {"-P", A::none, E::plain},
    {"-save-temps", A::joined, E::too_hard},
    {"--save-temps", A::joined, E::too_hard},
    {"-fsyntax-only", A::none, E::too_hard},
    {"-fmodules", A::none, E::too_hard},
    {"-fmodules-ts", A::none, E::too_hard},
    {"-fcxx-modules", A::none, E::too_hard},
    {"-frepo", A::none, E::too_hard},
    {"-fprofile-use", A::joined, E::too_hard},
    {"-fauto-profile", A::joined, E::too_hard},
    // options that write files besides the object
    {"-gsplit-dwarf", A::none, E::unknown_outputs},
    {"--coverage", A::none, E::unknown_outputs},
    {"-ftest-coverage", A::none, E::unknown_outputs},
    {"-fprofile-arcs", A::none, E::unknown_outputs},
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
    // preprocessor options with values
    {"-D", A::joined_or_separate, E::plain},
    {"-U", A::joined_or_separate, E::plain},
    {"-I", A::joined_or_separate, E::plain},
    {"-include", A::joined_or_separate, E::plain},
    {"-imacros", A::joined_or_separate, E::plain},
    {"-isystem", A::joined_or_separate, E::plain},
    {"-iquote", A::joined_or_separate, E::plain},
    {"-idirafter", A::joined_or_separate, E::plain},
    {"-iprefix", A::joined_or_separate, E::plain},
    {"-iwithprefix", A::joined_or_separate, E::plain},
    {"-iwithprefixbefore", A::joined_or_separate, E::plain},
    {"-isysroot", A::joined_or_separate, E::plain},
    {"-imultilib", A::joined_or_separate, E::plain},
    {"-imultiarch", A::joined_or_separate, E::plain},
    {"--sysroot", A::joined_eq_or_separate, E::plain},
    {"-Xpreprocessor", A::separate, E::plain},
    {"-Xassembler", A::separate, E::plain},
    {"-Xlinker", A::separate, E::plain},
    {"-Xclang", A::separate, E::xclang},
    {"-target", A::separate, E::plain},
    {"-arch", A::separate, E::arch},
    {"-L", A::joined_or_separate, E::plain},
    {"-l", A::joined_or_separate, E::plain},
    {"-u", A::joined_or_separate, E::plain},
    {"-T", A::joined_or_separate, E::plain},
    {"-B", A::joined_or_separate, E::plain},
    {"-G", A::joined_or_separate, E::plain},
    {"--param", A::joined_eq_or_separate, E::plain},
    {"-z", A::separate, E::plain},
    {"--include", A::joined_eq_or_separate, E::plain},
    // no effect on the object
    {"-pipe", A::none, E::unhashed},
    {"-fdiagnostics-color", A::joined, E::color},
    {"-fno-diagnostics-color", A::none, E::color},
    {"-fcolor-diagnostics", A::none, E::color},
    {"-fno-color-diagnostics", A::none, E::color},
    {"-fansi-escape-codes", A::none, E::color},
    // files read by the compile that the preprocessed text does not show
    {"-fprofile-instr-use=", A::joined, E::extra_file},
    {"-fprofile-sample-use=", A::joined, E::extra_file},
    {"-fsanitize-blacklist=", A::joined, E::extra_file},
    {"-fsanitize-ignorelist=", A::joined, E::extra_file},
    {"-fplugin=", A::joined, E::extra_file},
    {"-specs=", A::joined, E::extra_file},
    {"--specs=", A::joined, E::extra_file},
    {"-fprofile-list=", A::joined, E::extra_file},
    {"-fxray-attr-list=", A::joined, E::extra_file},
    {"-fxray-always-instrument=", A::joined, E::extra_file},
    {"-fxray-never-instrument=", A::joined, E::extra_file},
    {"-fsanitize-coverage-allowlist=", A::joined, E::extra_file},
}};

bool takes_prefix(Attach attach) {
  return attach != Attach::none && attach != Attach::separate;
}

}  // namespace

std::optional<OptionInfo> find_option(std::string_view arg) {
  std::optional<OptionInfo> best;
  for (const auto& option : k_options) {
    if (arg == option.name) return option;
    bool prefix = takes_prefix(option.attach) && arg.size() > option.name.size() &&
                  arg.starts_with(option.name);
    if (option.attach == Attach::joined_eq_or_separate && prefix && arg[option.name.size()] != '=')
      prefix = false;
    if (prefix && (!best || option.name.size() > best->name.size())) best = option;
  }
  return best;
}

}  // namespace sccache::compiler
