#include "compiler/cuda/direct_mode.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace sccache::compiler::cuda {

namespace {

bool starts_identifier(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool in_identifier(char c) {
  return starts_identifier(c) || (c >= '0' && c <= '9');
}

}  // namespace

std::vector<std::string> profile_variables(std::string_view text) {
  // Every word of identifier characters: assignments, expansions, and (harmlessly) the words of
  // values such as "nvvm" or "include".
  std::set<std::string> names;
  for (std::size_t i = 0; i < text.size();) {
    if (!starts_identifier(text[i])) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < text.size() && in_identifier(text[i])) ++i;
    names.emplace(text.substr(start, i - start));
  }
  return {names.begin(), names.end()};
}

std::vector<std::pair<std::string, std::string>> plan_env(
    const std::vector<std::pair<std::string, std::string>>& env,
    const std::vector<std::string>& profile_variables) {
  auto relevant = [&](const std::string& name) {
    return name == "PATH" || name == "TMPDIR" || name.starts_with("NVCC_") ||
           std::binary_search(profile_variables.begin(), profile_variables.end(), name);
  };
  std::map<std::string, std::string> chosen;
  for (const auto& [name, value] : env) {
    if (relevant(name)) chosen[name] = value;
  }
  return {chosen.begin(), chosen.end()};
}

std::optional<std::string_view> needs_dryrun(const NvccArgs& args) {
  for (const auto& code : args.gpu_code) {
    if (code.find("native") != std::string::npos) return "-arch=native";
  }
  return std::nullopt;
}

std::vector<c_family::IncludedFile> files_in_all(const std::vector<std::string>& texts) {
  std::vector<c_family::IncludedFile> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& text : texts) {
    for (auto& file : c_family::files_in_line_markers(text)) {
      if (seen.emplace(file.path, file.includer).second) out.push_back(std::move(file));
    }
  }
  return out;
}

}  // namespace sccache::compiler::cuda
