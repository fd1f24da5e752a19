#include "compiler/c_family/include_scan.hpp"

#include <set>

namespace sccache::compiler::c_family {

namespace {

std::string_view next_line(std::string_view text, std::size_t& pos) {
  std::size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(pos, end - pos);
  pos = end + 1;
  return line;
}

// `# 12 "path" 1 3` → path and flags; false for other lines.
bool parse_marker(std::string_view line, std::string& path, std::string_view& flags) {
  if (line.size() < 4 || line[0] != '#' || line[1] != ' ' || line[2] < '0' || line[2] > '9')
    return false;
  auto open = line.find('"');
  if (open == std::string_view::npos) return false;
  path.clear();
  std::size_t i = open + 1;
  for (; i < line.size() && line[i] != '"'; ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) ++i;  // \" and \\ inside names
    path.push_back(line[i]);
  }
  flags = i + 1 < line.size() ? line.substr(i + 1) : std::string_view{};
  return true;
}

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace

std::vector<IncludedFile> files_in_line_markers(std::string_view preprocessed) {
  std::vector<IncludedFile> files;
  std::set<std::string> seen;
  std::vector<std::string> stack;
  std::string path;
  std::string_view flags;
  for (std::size_t pos = 0; pos < preprocessed.size();) {
    std::string_view line = next_line(preprocessed, pos);
    if (!parse_marker(line, path, flags)) continue;
    // gcc's -fworking-directory marker (on with -g): `# 1 "/cwd//"` names no file and does not
    // change the current one. Only a directory's name ends in '/'.
    if (!path.empty() && path.back() == '/') continue;
    bool pseudo = path.empty() || path.front() == '<';
    if (flags.starts_with(" 1")) {  // entering an included file
      std::string includer = stack.empty() ? std::string() : stack.back();
      stack.push_back(path);
      if (!pseudo && seen.insert(path).second) files.push_back({path, includer});
    } else if (flags.starts_with(" 2")) {  // back in an includer
      if (!stack.empty()) stack.pop_back();
      if (!stack.empty()) stack.back() = path;
    } else {
      if (stack.empty())
        stack.push_back(path);
      else
        stack.back() = path;
      if (!pseudo && seen.insert(path).second) files.push_back({path, {}});
    }
  }
  return files;
}

std::vector<std::string> search_dirs_from_verbose(std::string_view text) {
  std::vector<std::string> missing, dirs;
  bool in_list = false;
  constexpr std::string_view k_ignored = "ignoring nonexistent directory \"";
  for (std::size_t pos = 0; pos < text.size();) {
    std::string_view line = next_line(text, pos);
    if (line.starts_with(k_ignored) && line.ends_with("\"")) {
      // Left out of the list, so its place is unknown: put it first (more candidates, never fewer).
      missing.emplace_back(line.substr(k_ignored.size(), line.size() - k_ignored.size() - 1));
    } else if (line.starts_with("#include ") && line.ends_with("search starts here:")) {
      in_list = true;
    } else if (line.starts_with("End of search list.")) {
      in_list = false;
    } else if (in_list && line.starts_with(" ")) {
      line.remove_prefix(1);
      if (auto note = line.find(" (framework directory)"); note != std::string_view::npos)
        line = line.substr(0, note);
      dirs.emplace_back(line);
    }
  }
  missing.insert(missing.end(), dirs.begin(), dirs.end());
  return missing;
}

std::vector<std::string> pch_candidates(const std::vector<IncludedFile>& files) {
  std::vector<std::string> out;
  std::string main_file;
  bool first_of_main_seen = false;
  for (const auto& f : files) {
    if (f.includer.empty()) {
      if (main_file.empty()) main_file = f.path;
      continue;
    }
    if (f.includer.front() == '<') {
      out.push_back(f.path);
    } else if (!first_of_main_seen && f.includer == main_file) {
      first_of_main_seen = true;
      out.push_back(f.path);
    }
  }
  return out;
}

Shadows shadow_candidates(const IncludedFile& file, const std::vector<std::string>& search_dirs) {
  Shadows out;
  if (file.includer.empty()) return out;  // the main file is named on the command line
  std::vector<std::string> dirs;
  dirs.push_back(file.includer.front() == '<' ? std::string() : dir_of(file.includer));
  dirs.insert(dirs.end(), search_dirs.begin(), search_dirs.end());
  auto join = [](const std::string& dir, const std::string& name) {
    if (dir.empty()) return name;
    return dir.back() == '/' ? dir + name : dir + "/" + name;
  };
  // Nested directories (/usr/include and /usr/include/x86_64-linux-gnu) make the split of a path
  // into directory and include name ambiguous: take every split, so the set is a superset.
  std::set<std::string> paths;
  bool placed = false;
  for (std::size_t k = 0; k < dirs.size(); ++k) {
    std::string prefix = join(dirs[k], "");
    bool under = dirs[k].empty() ? file.path.front() != '/' : file.path.starts_with(prefix);
    if (!under || file.path.size() <= prefix.size()) continue;
    placed = true;
    std::string name = file.path.substr(prefix.size());
    for (std::size_t j = 0; j < k; ++j) {
      std::string candidate = join(dirs[j], name);
      if (candidate != file.path) paths.insert(std::move(candidate));
    }
  }
  // A file outside every search directory was named by an absolute path: nothing can shadow it.
  out.ok = placed || file.path.front() == '/';
  out.paths.assign(paths.begin(), paths.end());
  return out;
}

}  // namespace sccache::compiler::c_family
