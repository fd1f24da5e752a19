#include "compiler/c_family/diagnostics_color.hpp"

#include <algorithm>
#include <charconv>

#include "compiler/c_family/option_table.hpp"

namespace sccache::compiler::c_family {

namespace {

// clang records its command line in the object's debug info with -grecord-command-line (alias
// -grecord-gcc-switches); the last of these and their -gno- forms wins. gcc's record leaves
// diagnostics options out.
bool clang_records_command_line(const std::vector<std::string>& hashed_args) {
  bool records = false;
  for (const auto& a : hashed_args) {
    if (a == "-grecord-command-line" || a == "-grecord-gcc-switches") records = true;
    if (a == "-gno-record-command-line" || a == "-gno-record-gcc-switches") records = false;
  }
  return records;
}

// "12.2.0" and later: -fdiagnostics-color came with gcc 4.9.
bool gcc_has_color_option(std::string_view version) {
  int major = 0, minor = 0;
  auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), major);
  if (ec != std::errc() || end == version.data()) return false;
  if (end != version.data() + version.size() && *end == '.') {
    std::from_chars(end + 1, version.data() + version.size(), minor);
  }
  return major > 4 || (major == 4 && minor >= 9);
}

bool is_color_option(const std::string& arg) {
  auto info = find_option(arg);
  return info && info->effect == Effect::color;
}

}  // namespace

std::optional<std::string_view> forced_color_flag(Family family, std::string_view version,
                                                  const ParsedArgs& args) {
  if (args.color == ColorChoice::never) return std::nullopt;
  if (family == Family::gcc) {
    if (!gcc_has_color_option(version)) return std::nullopt;
    return "-fdiagnostics-color=always";
  }
  // "argument unused during compilation: '-fcolor-diagnostics'" for assembler input.
  if (args.language == Language::assembler) return std::nullopt;
  if (clang_records_command_line(args.hashed_args)) return std::nullopt;
  return "-fcolor-diagnostics";
}

std::vector<std::string> with_color_flag(const std::vector<std::string>& args,
                                         std::string_view flag) {
  auto last = std::find_if(args.rbegin(), args.rend(), is_color_option);
  auto at = last == args.rend() ? args.begin() : last.base();
  std::vector<std::string> out;
  out.reserve(args.size() + 1);
  out.insert(out.end(), args.begin(), at);
  out.emplace_back(flag);
  out.insert(out.end(), at, args.end());
  return out;
}

}  // namespace sccache::compiler::c_family
