#include "compiler/rust/dep_info.hpp"

namespace sccache::compiler::rust {

namespace {

// Make-style words: a space ends a word unless escaped (`\ `); `\\` is a backslash.
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\\')) {
      word += text[++i];
    } else if (c == ' ' || c == '\t') {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

// rustc escapes an env-dep value's backslashes and newlines (`\\`, `\n`).
std::string unescape_value(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size() && (v[i + 1] == '\\' || v[i + 1] == 'n')) {
      out += v[++i] == 'n' ? '\n' : '\\';
    } else {
      out += v[i];
    }
  }
  return out;
}

// The `target: prerequisites` split of a rule line: the first ": " not escaped.
std::optional<std::size_t> rule_colon(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
    } else if (line[i] == ':' && (i + 1 == line.size() || line[i + 1] == ' ')) {
      return i;
    }
  }
  return std::nullopt;
}

// Whether `line` ends in a backslash that is not itself escaped: a continuation.
bool continues(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[line.size() - 1 - n] == '\\') ++n;
  return n % 2 == 1;
}

// The text's lines, a rule continued over several lines (linkers write them so) joined into one.
std::vector<std::string> logical_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string joined;
  bool joining = false;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!joining && line.starts_with('#')) {
      lines.emplace_back(line);
      continue;
    }
    joining = continues(line);
    joined.append(joining ? line.substr(0, line.size() - 1) : line);
    if (joining) {
      joined.push_back(' ');
      continue;
    }
    lines.push_back(std::move(joined));
    joined.clear();
  }
  if (!joined.empty()) lines.push_back(std::move(joined));
  return lines;
}

}  // namespace

util::Result<DepInfo> parse_dep_info(std::string_view text) {
  DepInfo info;
  bool first_rule = true;
  std::size_t entries = 0;
  for (const auto& logical : logical_lines(text)) {
    std::string_view line = logical;
    if (line.empty()) continue;
    if (++entries > k_max_dep_info_entries)
      return util::fail(util::ErrorCode::corrupt, "dep-info: too many entries");
    if (line.starts_with("# env-dep:")) {
      line.remove_prefix(10);
      auto eq = line.find('=');
      std::string name(line.substr(0, eq));
      if (name.empty()) return util::fail(util::ErrorCode::corrupt, "dep-info: empty env-dep");
      if (eq == std::string_view::npos) {
        info.env.emplace_back(std::move(name), std::nullopt);
      } else {
        info.env.emplace_back(std::move(name), unescape_value(line.substr(eq + 1)));
      }
      continue;
    }
    if (line.starts_with('#')) continue;  // other comments (checksums of newer rustc)
    auto colon = rule_colon(line);
    if (!colon) return util::fail(util::ErrorCode::corrupt, "dep-info: not a rule");
    if (first_rule) {
      info.files = words(line.substr(*colon + 1));
      if (info.files.size() > k_max_dep_info_entries)
        return util::fail(util::ErrorCode::corrupt, "dep-info: too many files");
      first_rule = false;
    }
  }
  if (first_rule) return util::fail(util::ErrorCode::corrupt, "dep-info: no rule");
  return info;
}

}  // namespace sccache::compiler::rust
