#include <filesystem>
#include <set>

#include "compiler/dep_file.hpp"
#include "compiler/option_table.hpp"
#include "compiler/parsed_args.hpp"
#include "compiler/response_file.hpp"

namespace sccache::compiler {

namespace {

// What reading the command line has found so far.
struct Scan {
  Family family = Family::gcc;
  bool compile = false;
  std::optional<std::string> output;
  std::vector<std::pair<std::string, std::string>>
      inputs;  // path, -x in effect ("" = by extension)
  std::string x_current;
  bool dep_gen = false;
  std::optional<std::string> dep_file;
  std::set<std::string> archs;
  std::optional<std::string> cannot;
  ParsedArgs out;
};

// One option occurrence: its table entry, its value, and the argv tokens it spans.
struct Occurrence {
  OptionInfo info;
  std::string value;
  std::vector<std::string> tokens;
};

Occurrence read_option(const OptionInfo& info, const std::vector<std::string>& args,
                       std::size_t& i) {
  const std::string& arg = args[i];
  Occurrence occ{info, {}, {arg}};
  bool exact = arg == info.name;
  bool wants_next =
      info.attach == Attach::separate || (exact && (info.attach == Attach::joined_or_separate ||
                                                    info.attach == Attach::joined_eq_or_separate));
  if (wants_next) {
    if (i + 1 < args.size()) {
      occ.value = args[++i];
      occ.tokens.push_back(occ.value);
    }
  } else if (!exact) {
    std::size_t skip = info.name.size();
    if (info.attach == Attach::joined_eq_or_separate) ++skip;  // the '='
    occ.value = arg.substr(skip);
  }
  return occ;
}

void keep(Scan& s, const std::vector<std::string>& tokens, bool preprocess, bool hash) {
  for (const auto& t : tokens) {
    if (preprocess) s.out.preprocessor_args.push_back(t);
    if (hash) s.out.hashed_args.push_back(t);
  }
}

ColorChoice color_of(std::string_view arg) {
  if (arg == "-fdiagnostics-color" || arg == "-fdiagnostics-color=always" ||
      arg == "-fcolor-diagnostics") {
    return ColorChoice::always;
  }
  if (arg == "-fdiagnostics-color=auto") return ColorChoice::automatic;
  return ColorChoice::never;
}

// -Wp,-MD,file and friends make the preprocessor write a dependency file we would not replay.
bool wp_writes_deps(std::string_view value) {
  for (std::size_t pos = 0; pos < value.size();) {
    auto comma = value.find(',', pos);
    std::string_view item =
        value.substr(pos, comma == std::string_view::npos ? value.npos : comma - pos);
    if (item.starts_with("-M")) return true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

bool xclang_loads_plugin(std::string_view value) {
  return value == "-load" || value.starts_with("-plugin") || value.starts_with("-add-plugin");
}

void apply(Scan& s, const Occurrence& o) {
  switch (o.info.effect) {
    case Effect::plain:
      keep(s, o.tokens, true, true);
      break;
    case Effect::compile:
      s.compile = true;
      break;
    case Effect::output:
      s.output = o.value;
      break;
    case Effect::language:
      s.x_current = o.value == "none" ? "" : o.value;
      keep(s, o.tokens, true, true);
      break;
    case Effect::dep_gen:
      s.dep_gen = true;
      keep(s, o.tokens, false, true);
      break;
    case Effect::dep_flag:
      keep(s, o.tokens, false, true);
      break;
    case Effect::dep_file:
      s.dep_file = o.value;
      break;
    case Effect::dep_target:
      s.out.dep_targets.push_back(o.value);
      break;
    case Effect::dep_target_quoted:
      s.out.dep_targets.push_back(make_quote(o.value));
      break;
    case Effect::unhashed:
      keep(s, o.tokens, true, false);
      break;
    case Effect::color:
      s.out.color = color_of(o.tokens[0]);
      break;
    case Effect::arch:
      s.archs.insert(o.value);
      keep(s, o.tokens, true, true);
      break;
    case Effect::xclang:
      if (xclang_loads_plugin(o.value)) s.cannot = "-Xclang -load";
      keep(s, o.tokens, true, true);
      break;
    case Effect::wp:
      if (wp_writes_deps(o.value)) s.cannot = "-Wp,-M*";
      keep(s, o.tokens, true, true);
      break;
    case Effect::extra_file:
      s.out.extra_hashed_files.push_back(o.value);
      keep(s, o.tokens, true, true);
      break;
    case Effect::too_hard:
      s.cannot = std::string(o.info.name);
      break;
    case Effect::unknown_outputs:
      s.cannot = "unknown outputs";
      break;
  }
}

void read_argument(Scan& s, const std::vector<std::string>& args, std::size_t& i) {
  const std::string& arg = args[i];
  if (arg.size() < 2 || arg[0] != '-') {
    s.inputs.emplace_back(arg, s.x_current);
    return;
  }
  if (arg.starts_with("-g")) s.out.debug_info = s.out.debug_info || arg != "-g0";
  if (arg == "-g0") s.out.debug_info = false;
  auto info = find_option(arg);
  if (!info) {
    keep(s, {arg}, true, true);  // unknown options (-O2, -Wall, -fPIC, -m64, -std=…) are plain
    return;
  }
  apply(s, read_option(*info, args, i));
}

std::string replace_extension(const std::string& path, std::string_view ext) {
  std::filesystem::path p(path);
  p.replace_extension(ext);
  return p.string();
}

std::string basename_of(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

std::optional<std::string> choose_language(Scan& s, const std::string& x, const std::string& input,
                                           bool plusplus) {
  std::optional<Language> lang;
  if (!x.empty()) {
    lang = language_from_x(x);
    if (!lang) return "unsupported -x language";
    s.out.language_from_x = true;
  } else {
    lang = language_from_path(input);
    if (!lang) return "unknown source language";
    if (plusplus && *lang == Language::c) lang = Language::cxx;
  }
  s.out.language = *lang;
  return std::nullopt;
}

// After the whole command line is read: is it one cacheable compile, and of what into what?
ParseResult conclude(Scan& s, bool plusplus) {
  if (s.cannot) return CannotCache{*s.cannot};
  if (!s.compile) return NotCompilation{};
  if (s.inputs.empty()) return CannotCache{"no input file"};
  if (s.inputs.size() > 1) return CannotCache{"multiple input files"};
  const auto& [input, x] = s.inputs.front();
  if (input == "-") return CannotCache{"-"};
  if (s.archs.size() > 1) return CannotCache{"multiple -arch"};
  if (s.output && *s.output == "-") return CannotCache{"output to stdout"};
  if (auto reason = choose_language(s, x, input, plusplus)) return CannotCache{*reason};
  s.out.input = input;
  s.out.output = s.output ? *s.output : replace_extension(basename_of(input), ".o");
  if (s.dep_gen) {
    // gcc and clang: -MF if given, else the -o path with its last extension replaced by .d
    // (out/y.o → out/y.d, out/y → out/y.d, out/y.c.o → out/y.c.d), else <input stem>.d in cwd.
    s.out.dep_file = s.dep_file ? *s.dep_file : replace_extension(s.out.output, ".d");
  } else {
    s.out.dep_targets.clear();
  }
  return std::move(s.out);
}

}  // namespace

ParseResult parse_arguments(const std::vector<std::string>& raw_args, const std::string& cwd,
                            Family family, bool plusplus) {
  auto args = expand_response_files(raw_args, cwd);
  if (!args) return CannotCache{"@file"};
  Scan s;
  s.family = family;
  for (std::size_t i = 0; i < args->size() && !s.cannot; ++i) read_argument(s, *args, i);
  return conclude(s, plusplus);
}

}  // namespace sccache::compiler
