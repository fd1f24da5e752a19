#include "compiler/dep_file.hpp"

namespace sccache::compiler {

std::string make_quote(std::string_view target) {
  std::string out;
  out.reserve(target.size());
  for (std::size_t i = 0; i < target.size(); ++i) {
    char c = target[i];
    if (c == ' ' || c == '\t') {
      // gcc doubles the backslashes that precede a blank, then escapes the blank.
      for (std::size_t j = i; j > 0 && target[j - 1] == '\\'; --j) out.push_back('\\');
      out.push_back('\\');
    } else if (c == '$') {
      out.push_back('$');
    } else if (c == '#') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

std::string dep_target_for(const std::vector<std::string>& dep_targets, std::string_view output) {
  if (dep_targets.empty()) return make_quote(output);
  std::string joined;
  for (const auto& t : dep_targets) {
    if (!joined.empty()) joined.push_back(' ');
    joined += t;
  }
  return joined;
}

std::string rewrite_dep_target(std::string_view dep_text, std::string_view target) {
  for (std::size_t i = 0; i < dep_text.size(); ++i) {
    if (dep_text[i] != ':') continue;
    if (i > 0 && dep_text[i - 1] == '\\') continue;
    bool at_end = i + 1 == dep_text.size();
    char next = at_end ? '\n' : dep_text[i + 1];
    if (next != ' ' && next != '\t' && next != '\n' && next != '\r') continue;
    std::string out(target);
    out.append(dep_text.substr(i));
    return out;
  }
  return std::string(dep_text);
}

}  // namespace sccache::compiler
