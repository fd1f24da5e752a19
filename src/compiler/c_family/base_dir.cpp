#include "compiler/c_family/base_dir.hpp"

namespace sccache::compiler::c_family {

namespace {

// Stands for the base dir: a NUL cannot occur in an argument or a path.
constexpr std::string_view k_token{"\0basedir\0", 9};

bool under(std::string_view path, std::string_view dir) {  // dir ends in '/'
  return path.starts_with(dir) || (dir.size() > 1 && path == dir.substr(0, dir.size() - 1));
}

bool is_option_name(std::string_view text) {  // "-I", "-isystem", "--include-directory="
  if (text.size() < 2 || text.front() != '-') return false;
  for (char c : text)
    if (!(c == '-' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

bool starts_a_path(std::string_view arg, std::size_t at) {
  if (at == 0) return true;
  char before = arg[at - 1];
  if (before == '=' || before == ',' || before == ':' || before == ' ') return true;
  return is_option_name(arg.substr(0, at));
}

}  // namespace

std::string base_dir_for(const std::vector<std::string>& basedirs, std::string_view cwd,
                         std::string_view input) {
  // (Longest first in the config: the first that holds one is the deepest.)
  for (const auto& dir : basedirs)
    if (under(cwd, dir)) return dir;
  if (!input.starts_with('/')) return "";
  for (const auto& dir : basedirs)
    if (under(input, dir)) return dir;
  return "";
}

std::string relative_to_base(std::string_view arg, std::string_view base) {
  if (base.size() < 2) return std::string(arg);
  std::string_view stem = base.substr(0, base.size() - 1);  // without its '/'
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = arg.find(stem); at != std::string_view::npos; at = arg.find(stem, at + 1)) {
    std::size_t end = at + stem.size();
    bool whole = end == arg.size() || arg[end] == '/' || arg[end] == '=' || arg[end] == ':' ||
                 arg[end] == ',';
    if (!whole || !starts_a_path(arg, at) || at < copied) continue;
    out.append(arg.substr(copied, at - copied)).append(k_token);
    copied = end;
  }
  out.append(arg.substr(copied));
  return out;
}

std::string relativize_line_markers(std::string_view text, std::string_view base) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(pos, next - pos);
    // gcc and clang: `# 12 "path" flags`; `#line 12 "path"` when asked for (-P off,
    // -fuse-line-directives).
    std::size_t quote = std::string_view::npos;
    if (line.starts_with("# ") || line.starts_with("#line ")) {
      std::size_t i = line.starts_with("# ") ? 2 : 6;
      std::size_t digits = i;
      while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
      if (i > digits && i + 1 < line.size() && line[i] == ' ' && line[i + 1] == '"') quote = i + 1;
    }
    if (quote != std::string_view::npos && under(line.substr(quote + 1), base)) {
      out.append(line.substr(0, quote + 1)).append(k_token);
      out.append(line.substr(quote + base.size()));  // (from the base dir's own '/')
    } else {
      out.append(line);
    }
    pos = next;
  }
  return out;
}

bool prefix_map_covers(const std::vector<std::string>& args, std::string_view base) {
  for (std::string_view arg : args) {
    for (std::string_view option : {"-ffile-prefix-map=", "-fdebug-prefix-map="}) {
      if (!arg.starts_with(option)) continue;
      std::string_view map = arg.substr(option.size());
      auto eq = map.find('=');
      if (eq == std::string_view::npos || eq == 0) continue;
      std::string old(map.substr(0, eq));
      while (old.size() > 1 && old.back() == '/') old.pop_back();
      if (old == "/" || under(base, old + "/")) return true;
    }
  }
  return false;
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  if (from.empty()) return std::string(text);
  std::string out;
  std::size_t copied = 0;
  for (auto at = text.find(from); at != std::string_view::npos; at = text.find(from, copied)) {
    out.append(text.substr(copied, at - copied)).append(to);
    copied = at + from.size();
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace sccache::compiler::c_family
