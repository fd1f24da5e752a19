#pragma once
// Dependency files (-MD/-MMD) replayed from the cache: the stored file names the target of the
// compile that filled the cache; a hit rewrites it to this compile's target.
#include <string>
#include <string_view>
#include <vector>

namespace sccache::compiler {

// Make-quotes a target as gcc does for -MQ and for the default target ($ → $$, space and #
// escaped).
std::string make_quote(std::string_view target);

// The target list this compile's dep file starts with: the -MT/-MQ targets if any, else the
// quoted object path.
std::string dep_target_for(const std::vector<std::string>& dep_targets, std::string_view output);

// Replaces the targets of the first rule (everything before its first unescaped ':' that is
// followed by whitespace or the end) with `target`. Returns the text unchanged if there is no rule.
std::string rewrite_dep_target(std::string_view dep_text, std::string_view target);

}  // namespace sccache::compiler
