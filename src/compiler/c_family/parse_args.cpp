// gcc/clang command lines → ParseResult. The option table (option_table.cpp) says how each option's
// value attaches and what it does; this file walks argv with it and then decides.
//
// Behaviour checked against gcc 12.2 and clang 14.0 (Debian 12); output and dependency-file
// names are in output_names.cpp.
// * -Wp,-MD,F / -Wp,-MMD,F (the Linux kernel's form) is a dependency file like -MD -MF F. Other -M
//   options inside -Wp, or -Xpreprocessor write files we do not know of: refused ("-Wp,-M*").
// * -MF without -MD/-MMD/-M: gcc fails ("you must specify either -M or -MM"): nothing is stored.
// * -fprofile-arcs and gcc's -fprofile-generate put the absolute .gcda path, derived from the
//   working directory and -o, into the object; -ftest-coverage writes <output stem>.gcno, which
//   holds the working directory; -gsplit-dwarf writes <output stem>.dwo (gcc even without -g,
//   clang only with debug info) and names it, as -o spells it, in the object. So with any of them
//   the working directory and the -o path are in the key. -dumpbase/-dumpdir rename those files:
//   not cached with them. With -S the .gcno is still written; the .dwo is not.
// * -S writes <input stem>.s without -o; its dependency rule still names <input stem>.o. -S of an
//   assembler source (.s, .S) writes no assembly: not cached.
// * g++ and clang++ compile .c as C++ and .i as preprocessed C++.
// * @file: nested relative names are relative to the working directory, not to the file.
// * "--": clang reads every later argument as an input; gcc rejects it (kept as an unknown option,
//   so the preprocessing run fails the same way).
#include <filesystem>
#include <set>

#include "compiler/c_family/dep_file.hpp"
#include "compiler/c_family/option_table.hpp"
#include "compiler/c_family/output_names.hpp"
#include "compiler/c_family/parsed_args.hpp"
#include "compiler/response_file.hpp"
#include "util/strings.hpp"

namespace sccache::compiler::c_family {

namespace {

constexpr std::string_view k_dev_null = "/dev/null";

struct Input {
  std::string path;
  std::string x;  // the -x in effect for it ("" = by extension)
};

// What reading the command line has found so far.
struct Scan {
  Family family = Family::gcc;
  std::string cwd;
  bool compile = false;
  bool options_ended = false;     // after clang's "--"
  bool pch_after_xclang = false;  // the next -Xclang value names a PCH file
  std::optional<std::string> output;
  std::vector<Input> inputs;
  std::string x_current;
  bool split_dwarf = false;                // -gsplit-dwarf (not =single)
  bool coverage_notes = false;             // -ftest-coverage, --coverage
  bool profile_arcs = false;               // -fprofile-arcs, --coverage, gcc's -fprofile-generate
  bool aux_names = false;                  // -dumpbase, -dumpdir
  bool dep_gen = false;                    // -MD / -MMD
  std::optional<std::string> dep_file;     // -MF
  std::optional<std::string> wp_dep_file;  // -Wp,-MD,F
  std::vector<DepTargetArg> targets;
  std::set<std::string> archs;
  std::optional<std::string> mode;    // -E, -M, -S, ...: reported even without -c
  std::optional<std::string> cannot;  // the first reason a compile would not be cached
  ParsedArgs out;
};

void refuse(Scan& s, std::string_view reason) {
  if (!s.cannot) s.cannot = std::string(reason);
}

// One option occurrence: its table entry, its value, and the argv tokens it spans.
struct Occurrence {
  OptionInfo info;
  std::string value;
  std::vector<std::string> tokens;
  bool missing_value = false;
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
    occ.missing_value = i + 1 >= args.size();
    if (!occ.missing_value) {
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

// -g options that only modify debug information, without asking for it (checked with readelf;
// -gdwarf64 is one for gcc but not for clang, so it counts as asking).
bool is_debug_modifier(std::string_view arg) {
  for (std::string_view m :
       {"-gz", "-gno-", "-grecord-", "-gcolumn-info", "-gstrict-dwarf", "-gsplit-dwarf"}) {
    if (arg.starts_with(m)) return true;
  }
  return false;
}

void note_debug_info(Scan& s, std::string_view arg) {
  if (arg == "-g0" || arg == "-ggdb0") {
    s.out.debug_info = false;
  } else if (arg.starts_with("-g") && !is_debug_modifier(arg)) {
    s.out.debug_info = true;
  }
}

bool has_dependency_option(const std::vector<std::string>& items) {
  for (const auto& item : items) {
    if (item.starts_with("-M")) return true;
  }
  return false;
}

// -Wp,A,B hands A and B to the preprocessor. The kernel's -Wp,-MD,F and -Wp,-MMD,F write F; other
// dependency options there would write files we do not know of.
void apply_wp(Scan& s, const Occurrence& o) {
  auto items = util::split(o.value, ',');
  if (!has_dependency_option(items)) {
    keep(s, o.tokens, true, true);
    return;
  }
  bool kernel_form = items.size() == 2 && (items[0] == "-MD" || items[0] == "-MMD") &&
                     !items[1].empty() && !s.wp_dep_file;
  if (!kernel_form) return refuse(s, "-Wp,-M*");
  s.wp_dep_file = items[1];
  s.out.hashed_args.push_back("-Wp," + items[0]);  // the file name is an output: not hashed
}

// Options for the assembler that make it write a file of its own: a listing (-a[cdghlmns]=FILE)
// or a dependency file (--MD FILE): the cache would not replay it.
bool assembler_writes_files(const std::vector<std::string>& items) {
  for (const auto& item : items) {
    if (item == "--MD" || item.starts_with("--MD=")) return true;
    if (item.size() > 2 && item.starts_with("-a") && item.find('=') != std::string::npos) {
      return true;
    }
  }
  return false;
}

void apply_assembler(Scan& s, const Occurrence& o) {
  auto items =
      o.info.name == "-Wa," ? util::split(o.value, ',') : std::vector<std::string>{o.value};
  if (assembler_writes_files(items)) return refuse(s, "unknown outputs");
  keep(s, o.tokens, true, true);
}

void apply_xclang(Scan& s, const Occurrence& o) {
  const std::string& v = o.value;
  if (v == "-load" || v.starts_with("-plugin") || v.starts_with("-add-plugin")) {
    refuse(s, "-Xclang -load");
  }
  if (s.pch_after_xclang) s.out.extra_hashed_files.push_back(v);
  s.pch_after_xclang = v == "-include-pch";
  keep(s, o.tokens, true, true);
}

// clang reads one profile (a directory means its default.profdata); gcc reads a .gcda per object,
// named after the object, that we cannot list.
void apply_profile_use(Scan& s, const Occurrence& o) {
  if (s.family == Family::gcc) return refuse(s, "-fprofile-use");
  std::string value = o.value.starts_with('=') ? o.value.substr(1) : o.value;
  std::filesystem::path path = value.empty() ? "default.profdata" : value;
  std::error_code ec;
  if (std::filesystem::is_directory(std::filesystem::path(s.cwd) / path, ec)) {
    path /= "default.profdata";
  }
  s.out.extra_hashed_files.push_back(path.string());
  keep(s, o.tokens, true, true);
}

// Options about the dependency file: it is an output, so none of them reach the -E run, and
// only the flags that shape its content reach the key.
void apply_dependency(Scan& s, const Occurrence& o) {
  switch (o.info.effect) {
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
    case Effect::dep_target_quoted:
      s.targets.push_back({o.value, o.info.effect == Effect::dep_target_quoted});
      break;
    case Effect::wp:
      apply_wp(s, o);
      break;
    default:  // xpreprocessor
      if (o.value.starts_with("-M")) return refuse(s, "-Wp,-M*");
      keep(s, o.tokens, true, true);
  }
}

// Options that make a command line something other than a cacheable compile, or may.
void apply_refusal(Scan& s, const Occurrence& o) {
  switch (o.info.effect) {
    case Effect::profile_use:
      return apply_profile_use(s, o);
    case Effect::mode:
      if (!s.mode) s.mode = std::string(o.info.reason);
      return;
    case Effect::too_hard:
      return refuse(s, o.info.reason);
    default:  // unknown_outputs
      return refuse(s, "unknown outputs");
  }
}

// Options whose results name paths or write files beside the output: all reach both lists.
void apply_output_shaping(Scan& s, const Occurrence& o) {
  switch (o.info.effect) {
    case Effect::assembly:
      s.out.assembly = true;
      return keep(s, o.tokens, false, true);
    case Effect::split_dwarf:
      s.split_dwarf = o.value.empty() || o.value == "=split";
      break;
    case Effect::coverage:
      s.coverage_notes = s.profile_arcs = true;
      break;
    case Effect::coverage_notes:
      s.coverage_notes = true;
      break;
    case Effect::profile_arcs:
      s.profile_arcs = true;
      break;
    case Effect::gcc_profile_gen:
      s.profile_arcs = s.profile_arcs || s.family == Family::gcc;
      break;
    default:  // aux_names
      s.aux_names = true;
  }
  keep(s, o.tokens, true, true);
}

void apply(Scan& s, const Occurrence& o) {
  switch (o.info.effect) {
    case Effect::plain:
      return keep(s, o.tokens, true, true);
    case Effect::compile:
      s.compile = true;
      return;
    case Effect::output:
      s.output = o.value;
      return;
    case Effect::language:
      s.x_current = o.value == "none" ? "" : o.value;
      return keep(s, o.tokens, true, true);
    case Effect::unhashed:
      return keep(s, o.tokens, true, false);
    case Effect::color:
      s.out.color = color_of(o.tokens[0]);
      return;
    case Effect::arch:
      s.archs.insert(o.value);
      return keep(s, o.tokens, true, true);
    case Effect::xclang:
      return apply_xclang(s, o);
    case Effect::assembler:
      return apply_assembler(s, o);
    case Effect::extra_file:
      s.out.extra_hashed_files.push_back(o.value);
      return keep(s, o.tokens, true, true);
    case Effect::end_of_options:
      if (s.family == Family::clang) s.options_ended = true;
      if (s.family == Family::gcc) keep(s, o.tokens, true, true);
      return;
    case Effect::dep_gen:
    case Effect::dep_flag:
    case Effect::dep_file:
    case Effect::dep_target:
    case Effect::dep_target_quoted:
    case Effect::wp:
    case Effect::xpreprocessor:
      return apply_dependency(s, o);
    case Effect::assembly:
    case Effect::split_dwarf:
    case Effect::coverage:
    case Effect::coverage_notes:
    case Effect::profile_arcs:
    case Effect::gcc_profile_gen:
    case Effect::aux_names:
      return apply_output_shaping(s, o);
    case Effect::profile_use:
    case Effect::mode:
    case Effect::too_hard:
    case Effect::unknown_outputs:
      return apply_refusal(s, o);
  }
}

void read_argument(Scan& s, const std::vector<std::string>& args, std::size_t& i) {
  const std::string& arg = args[i];
  if (s.options_ended || arg.size() < 2 || arg[0] != '-') {
    s.inputs.push_back({arg, s.x_current});
    return;
  }
  auto info = find_option(arg);
  if (!info) {
    note_debug_info(s, arg);
    // gcc: no colour (and more, so it stays in the key as any other option)
    if (arg == "-fdiagnostics-plain-output") s.out.color = ColorChoice::never;
    return keep(s, {arg}, true, true);  // -O2, -Wall, -fPIC, -m64, -std=…, -g: plain
  }
  auto occurrence = read_option(*info, args, i);
  if (occurrence.missing_value) return refuse(s, "missing option value");
  apply(s, occurrence);
}

// The dependency file and its rule's targets; a reason when the request is ambiguous.
std::optional<std::string> conclude_dependencies(Scan& s) {
  if (s.wp_dep_file && (s.dep_gen || s.dep_file)) return "-Wp,-M*";
  if (s.wp_dep_file) {
    s.out.dep_file = *s.wp_dep_file;
  } else if (s.dep_gen) {
    s.out.dep_file = s.dep_file ? *s.dep_file : default_dep_file(s.out.output);
  } else {
    return std::nullopt;  // no dependency file: -MT/-MQ have nothing to name
  }
  if (s.out.dep_file == k_dev_null) {
    s.out.dep_file.reset();  // nothing to replay (and never to be replaced by a regular file)
    return std::nullopt;
  }
  s.out.dep_targets = dep_targets_as_written(s.family, s.targets);
  if (s.targets.empty() && s.wp_dep_file) {
    s.out.dep_targets = wp_default_dep_targets(s.family, s.out.input);
  } else if (s.targets.empty() && s.out.assembly && !s.output) {
    s.out.dep_targets = {make_quote(default_object(s.out.input))};  // not the .s
  }
  return std::nullopt;
}

// The files written beside the output, and whether its path reaches the result.
std::optional<std::string> conclude_side_outputs(Scan& s) {
  bool dwo = s.split_dwarf && !s.out.assembly;
  if ((dwo || s.coverage_notes) && s.aux_names) return "unknown outputs";
  if (dwo) s.out.side_outputs.push_back({"dwo", replace_extension(s.out.output, ".dwo")});
  if (s.coverage_notes) {
    s.out.side_outputs.push_back({"gcno", replace_extension(s.out.output, ".gcno")});
  }
  s.out.output_path_in_result = dwo || s.coverage_notes || s.profile_arcs;
  return std::nullopt;
}

std::optional<std::string> choose_language(Scan& s, const Input& input, bool plusplus,
                                           Family family) {
  std::optional<Language> lang;
  bool cuda_elsewhere = false;  // CUDA is clang's only (gcc has no such language)
  if (!input.x.empty()) {
    lang = language_from_x(input.x);
    cuda_elsewhere = lang == Language::cuda && family != Family::clang;
    if (!lang || cuda_elsewhere) return "unsupported -x language";
    s.out.language_from_x = true;
  } else {
    lang = language_from_path(input.path);
    cuda_elsewhere = lang == Language::cuda && family != Family::clang;
    if (!lang || cuda_elsewhere) return "unknown source language";
    if (plusplus && *lang == Language::c) lang = Language::cxx;
    if (plusplus && *lang == Language::c_preprocessed) lang = Language::cxx_preprocessed;
  }
  s.out.language = *lang;
  // A -x after the input would apply to it in the -E run, where the input comes last.
  if (s.x_current != input.x) {
    s.out.preprocessor_args.push_back("-x");
    s.out.preprocessor_args.push_back(input.x.empty() ? "none" : input.x);
  }
  return std::nullopt;
}

// Whether this compile writes one object from one source we can name.
std::optional<std::string> check_shape(const Scan& s) {
  if (s.inputs.empty()) return "no input file";
  if (s.inputs.size() > 1) return "multiple input files";
  const std::string& input = s.inputs.front().path;
  if (input == "-") return "-";
  if (input.starts_with('-')) return "--";  // after "--": the -E run could not name it
  if (s.archs.size() > 1) return "multiple -arch";
  if (s.output && *s.output == "-") return "output to stdout";
  // Configure probes write there; a hit would replace the device with a regular file.
  if (s.output && *s.output == k_dev_null) return "output to /dev/null";
  return std::nullopt;
}

// After the whole command line is read: is it one cacheable compile, and of what into what?
ParseResult conclude(Scan& s, bool plusplus) {
  if (s.mode) return CannotCache{*s.mode};
  if (!s.compile && !s.out.assembly) return NotCompilation{};
  if (s.cannot) return CannotCache{*s.cannot};
  if (auto reason = check_shape(s)) return CannotCache{*reason};
  const Input& input = s.inputs.front();
  if (auto reason = choose_language(s, input, plusplus, s.family)) return CannotCache{*reason};
  bool assembler_source =
      s.out.language == Language::assembler || s.out.language == Language::assembler_with_cpp;
  if (s.out.assembly && assembler_source) return CannotCache{"-S of assembler source"};
  s.out.input = input.path;
  s.out.output = s.output         ? *s.output
                 : s.out.assembly ? default_assembly(input.path)
                                  : default_object(input.path);
  if (auto reason = conclude_dependencies(s)) return CannotCache{*reason};
  if (auto reason = conclude_side_outputs(s)) return CannotCache{*reason};
  return std::move(s.out);
}

}  // namespace

ParseResult parse_arguments(const std::vector<std::string>& raw_args, const std::string& cwd,
                            Family family, bool plusplus) {
  auto args = expand_response_files(raw_args, cwd);
  if (!args) return CannotCache{"@file"};
  Scan s;
  s.family = family;
  s.cwd = cwd;
  for (std::size_t i = 0; i < args->size(); ++i) read_argument(s, *args, i);
  return conclude(s, plusplus);
}

}  // namespace sccache::compiler::c_family
