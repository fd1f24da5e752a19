#pragma once
// The names gcc and clang give the files a compile writes when the command line does not spell
// them out, and the targets its dependency rule names: what they do, not what their manuals say.
#include <string>
#include <string_view>
#include <vector>

#include "compiler/c_family/parsed_args.hpp"

namespace sccache::compiler::c_family {

// One -MT (verbatim) or -MQ (make-quoted) argument, in command-line order.
struct DepTargetArg {
  std::string value;
  bool quoted = false;
};

// `path` with the extension of its last component (from its last '.', even a leading one)
// replaced by `ext`: out/y.o → out/y.d, out/y → out/y.d, out/.hidden → out/.d.
std::string replace_extension(std::string_view path, std::string_view ext);

// The object written without -o: the input's file name with ".o" for its extension, in the
// working directory (src/a.c → a.o).
std::string default_object(std::string_view input);

// The assembly written by -S without -o: the input's file name with ".s" (src/a.c → a.s).
std::string default_assembly(std::string_view input);

// The dependency file written by -MD/-MMD without -MF: the object path with ".d".
std::string default_dep_file(std::string_view output);

// The -MT/-MQ targets in the order `family` writes them into the rule, -MQ ones make-quoted.
std::vector<std::string> dep_targets_as_written(Family family,
                                                const std::vector<DepTargetArg>& targets);

// The rule's target when neither -MT nor -MQ is given and the dependency file comes from
// -Wp,-MD,F: gcc names it after the input, clang after the object (empty: the object, quoted).
std::vector<std::string> wp_default_dep_targets(Family family, std::string_view input);

}  // namespace sccache::compiler::c_family
