// Line wrapping, as gcc 12 (libcpp/mkdeps.cc, make_write) and clang 14
// (DependencyFileGenerator::outputDependencyFile) write the first rule; checked against both by
// tests/integration/test_dep_files.sh with targets of many lengths:
// * gcc: names are written as quoted; before each name but the first, if the column plus the
//   name's length would pass 72, " \\\n" and the column restarts at 0; then " " and the name.
// * clang: targets wrap with " \\\n  " when column + length + 2 > 75; dependencies wrap with
//   " \\\n " when column + length + 3 > 75, where the length is the file name's before quoting.
#include "compiler/c_family/dep_file.hpp"

namespace sccache::compiler::c_family {

namespace {

struct Rule {
  std::size_t colon = 0;  // the ':' that ends the targets
  std::size_t end = 0;    // the newline that ends the rule (or the text's size)
};

std::optional<Rule> first_rule(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != ':' || (i > 0 && text[i - 1] == '\\')) continue;
    char next = i + 1 == text.size() ? '\n' : text[i + 1];
    if (next != ' ' && next != '\t' && next != '\n' && next != '\r') continue;
    std::size_t end = i + 1;
    while (end < text.size() && !(text[end] == '\n' && text[end - 1] != '\\')) ++end;
    return Rule{i, end};
  }
  return std::nullopt;
}

// The dependencies as written (still quoted), across continuation lines.
std::vector<std::string_view> split_names(std::string_view deps) {
  std::vector<std::string_view> names;
  std::size_t start = std::string_view::npos;
  for (std::size_t i = 0; i <= deps.size(); ++i) {
    char c = i < deps.size() ? deps[i] : ' ';
    bool escaped_blank =
        c == '\\' && i + 1 < deps.size() && (deps[i + 1] == ' ' || deps[i + 1] == '\t');
    bool separator =
        c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
        (c == '\\' && (i + 1 == deps.size() || deps[i + 1] == '\n' || deps[i + 1] == '\r'));
    if (escaped_blank) {
      if (start == std::string_view::npos) start = i;
      ++i;
    } else if (separator) {
      if (start != std::string_view::npos) names.push_back(deps.substr(start, i - start));
      start = std::string_view::npos;
    } else if (start == std::string_view::npos) {
      start = i;
    }
  }
  return names;
}

// A quoted name's length before quoting ($$ → $, the backslashes added before a blank or '#').
std::size_t unquoted_length(std::string_view name) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < name.size();) {
    if (name[i] == '$' && i + 1 < name.size() && name[i + 1] == '$') {
      n += 1, i += 2;
    } else if (name[i] == '\\') {
      std::size_t run = 0;
      while (i + run < name.size() && name[i + run] == '\\') ++run;
      bool quoting = i + run < name.size() && (name[i + run] == ' ' || name[i + run] == '#');
      n += quoting ? (run - 1) / 2 : run;
      i += run;
    } else {
      n += 1, i += 1;
    }
  }
  return n;
}

void write_gcc(std::string& out, const std::vector<std::string>& targets,
               const std::vector<std::string_view>& deps) {
  constexpr std::size_t k_colmax = 72;
  std::size_t col = 0;
  auto write = [&](std::string_view name) {
    if (col != 0) {
      if (col + name.size() > k_colmax) {
        out += " \\\n";
        col = 0;
      }
      out += ' ';
      ++col;
    }
    out += name;
    col += name.size();
  };
  for (const auto& t : targets) write(t);
  out += ':';
  ++col;
  for (auto d : deps) write(d);
}

void write_clang(std::string& out, const std::vector<std::string>& targets,
                 const std::vector<std::string_view>& deps) {
  constexpr std::size_t k_max_columns = 75;
  std::size_t col = 0;
  for (const auto& t : targets) {
    if (col == 0) {
      col = t.size();
    } else if (col + t.size() + 2 > k_max_columns) {
      out += " \\\n  ";
      col = t.size() + 2;
    } else {
      out += ' ';
      col += t.size() + 1;
    }
    out += t;
  }
  out += ':';
  ++col;
  for (auto d : deps) {
    std::size_t n = unquoted_length(d);
    if (col + n + 1 + 2 > k_max_columns) {
      out += " \\\n ";
      col = 2;
    }
    out += ' ';
    out += d;
    col += n + 1;
  }
}

}  // namespace

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

std::vector<std::string> dep_targets_for(const std::vector<std::string>& dep_targets,
                                         std::string_view output) {
  if (dep_targets.empty()) return {make_quote(output)};
  return dep_targets;
}

std::string rewrite_dep_target(std::string_view dep_text, const std::vector<std::string>& targets,
                               Family family) {
  auto rule = first_rule(dep_text);
  if (!rule) return std::string(dep_text);
  auto deps = split_names(dep_text.substr(rule->colon + 1, rule->end - rule->colon - 1));
  std::string out;
  out.reserve(dep_text.size() + 64);
  if (family == Family::clang) {
    write_clang(out, targets, deps);
  } else {
    write_gcc(out, targets, deps);
  }
  out.append(dep_text.substr(rule->end));
  return out;
}

}  // namespace sccache::compiler::c_family
