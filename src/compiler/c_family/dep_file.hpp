#pragma once
// Dependency files (-MD/-MMD) replayed from the cache: the stored file names the target of the
// compile that filled the cache; a hit writes this compile's targets instead, wrapping the rule's
// lines the way the compiler that made it does, so that the file is the one the compiler would
// write.
#include <string>
#include <string_view>
#include <vector>

#include "compiler/c_family/parsed_args.hpp"

namespace sccache::compiler::c_family {

// Make-quotes a target as gcc does for -MQ and for the default target ($ → $$, space and #
// escaped).
std::string make_quote(std::string_view target);

// The targets this compile's dep file starts with: the -MT/-MQ targets if any, else the quoted
// object path.
std::vector<std::string> dep_targets_for(const std::vector<std::string>& dep_targets,
                                         std::string_view output);

// Replaces the targets of the first rule (everything before its first unescaped ':' that is
// followed by whitespace or the end) with `targets` and re-wraps that rule's lines as `family`'s
// compiler does (gcc: at 72 columns; clang: at 75). The rest of the text (the -MP phony rules) is
// kept. Returns the text unchanged if there is no rule.
std::string rewrite_dep_target(std::string_view dep_text, const std::vector<std::string>& targets,
                               Family family);

}  // namespace sccache::compiler::c_family
