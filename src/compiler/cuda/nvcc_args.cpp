// nvcc command lines → ParseResult. The option table (option_table.cpp) says how each option's
// value attaches and what it does; this file walks argv with it and then decides.
//
// Behaviour checked against nvcc 13.0.88 (Debian 12, gcc 12 as host compiler):
// * Options repeat with "the last value of this option was used" (-o, -MF, -MT, -odir, -x, -arch,
//   -ccbin), except the lists (-gencode, -I, -D, -Xcompiler). -x applies to every input wherever it
//   stands ("k.txt -x cu" compiles k.txt as CUDA).
// * A value-taking option at the end takes nothing (nvcc fails); in the middle it takes the next
//   argument even if that starts with '-' ("-Xcompiler -dryrun").
// * -c, -dc, -dw, -ptx, -cubin, -fatbin together: nvcc ranks them (-ptx > -cubin > -fatbin > -dc >
//   -c/-dw) whatever their order; -E and -M beat them all; -lib/-link/-run with -c still compile
//   only (but -run then tries to run something: not a compile). -dc with -rdc=false or -dw stays
//   relocatable; -dw beats -rdc=true; -rdc takes only "true" or "false".
// * Only .cu is CUDA by extension (.CU: "Don't know what to do"; .cup is preprocessed CUDA);
//   -x c++ compiles host code only: not this family's compile.
// * -MF without -MD/-MMD: nvcc fails ("requires one of '-M', '-MM', '-MD' or '-MMD'").
// * @file is not nvcc's ("Don't know what to do with '@f'"); --options-file is, with its own
//   quoting, so it is CannotCache rather than expanded differently from nvcc.
#include "compiler/cuda/nvcc_args.hpp"

#include <charconv>

#include "compiler/cuda/option_table.hpp"
#include "util/strings.hpp"

namespace sccache::compiler::cuda {

namespace {

constexpr std::string_view k_dev_null = "/dev/null";

// What reading the command line has found so far.
struct Scan {
  std::vector<std::string> inputs;
  std::optional<std::string> x;  // the last -x
  bool compile = false, device_c = false, device_w = false;
  bool ptx = false, cubin = false, fatbin = false;
  std::optional<bool> rdc;  // the last -rdc
  std::optional<std::string> output, odir, dep_file, dep_target;
  bool dep_gen = false;
  bool not_compile = false;
  std::optional<std::string> mode;    // -E, -M, -MM: reported even with -c
  std::optional<std::string> cannot;  // the first reason a compile would not be cached
  NvccArgs out;
};

void refuse(Scan& s, std::string_view reason) {
  if (!s.cannot) s.cannot = std::string(reason);
}

// One option occurrence: its table entry, its value, and the argv tokens it spans.
struct Occurrence {
  const OptionInfo& info;
  std::string value;
  std::vector<std::string> tokens;
  bool missing_value = false;
};

Occurrence read_option(const OptionMatch& match, const std::vector<std::string>& args,
                       std::size_t& i) {
  Occurrence occ{*match.info, {}, {args[i]}};
  if (match.inline_value) {
    occ.value = std::string(*match.inline_value);
  } else if (match.info->attach != Attach::none) {
    occ.missing_value = i + 1 >= args.size();
    if (!occ.missing_value) {
      occ.value = args[++i];
      occ.tokens.push_back(occ.value);
    }
  }
  return occ;
}

void keep(Scan& s, const std::vector<std::string>& tokens, bool dryrun, bool hash) {
  for (const auto& t : tokens) {
    if (dryrun) s.out.dryrun_args.push_back(t);
    if (hash) s.out.hashed_args.push_back(t);
  }
}

// -g options ask for debug information, but -g0 (forwarded to the host compiler).
bool asks_for_debug_info(std::string_view arg) {
  return arg.starts_with("-g") && arg != "-g0";
}

// -Xcompiler a,b,c: the host compiler's options. Dependency options there make gcc write files we
// do not know of (-Xcompiler -MD: a k.d whose target is nvcc's tmpxft_…cudafe1.cpp); a
// precompiled header is input we cannot hash.
void apply_xcompiler(Scan& s, const Occurrence& o) {
  for (const auto& item : util::split(o.value, ',')) {
    if (item.starts_with("-M")) refuse(s, "-Xcompiler -M*");
    if (item == "-include-pch" || item.ends_with(".gch") || item.ends_with(".pch")) {
      refuse(s, "PCH");
    }
    if (asks_for_debug_info(item)) s.out.debug_info = true;
  }
  keep(s, o.tokens, true, true);
}

std::string normalised_gpu_code(const Occurrence& o) {
  std::string_view name = o.info.short_name;  // "-gencode", "-arch", "-code"
  return std::string(name) + "=" + o.value;
}

void apply_mode(Scan& s, Effect effect) {
  switch (effect) {
    case Effect::compile:
      s.compile = true;
      break;
    case Effect::device_c:
      s.device_c = true;
      break;
    case Effect::device_w:
      s.device_w = true;
      break;
    case Effect::ptx:
      s.ptx = true;
      break;
    case Effect::cubin:
      s.cubin = true;
      break;
    default:  // fatbin
      s.fatbin = true;
  }
}

// Options about the dependency file: it is an output, so none of them reach the dryrun, and only
// the flags that shape its content reach the key.
void apply_dependency(Scan& s, const Occurrence& o) {
  switch (o.info.effect) {
    case Effect::dep_gen:
      s.dep_gen = true;
      return keep(s, o.tokens, false, true);
    case Effect::dep_flag:
      return keep(s, o.tokens, false, true);
    case Effect::dep_file:
      s.dep_file = o.value;
      return;
    default:  // dep_target
      s.dep_target = o.value;
  }
}

// Options whose value the result records.
void apply_recorded(Scan& s, const Occurrence& o) {
  switch (o.info.effect) {
    case Effect::output:
      s.output = o.value;
      return keep(s, o.tokens, true, false);
    case Effect::output_dir:
      s.odir = o.value;
      return keep(s, o.tokens, true, false);
    case Effect::language:
      s.x = o.value;
      break;
    case Effect::rdc:
      if (o.value == "true" || o.value == "false") s.rdc = o.value == "true";
      break;
    case Effect::threads: {
      int n = 0;
      auto [end, ec] = std::from_chars(o.value.data(), o.value.data() + o.value.size(), n);
      if (ec == std::errc() && end == o.value.data() + o.value.size()) s.out.threads = n;
      return;  // in neither list
    }
    case Effect::host_compiler:
      s.out.host_compiler = o.value;
      break;
    default:  // gpu_code
      s.out.gpu_code.push_back(normalised_gpu_code(o));
  }
  keep(s, o.tokens, true, true);
}

void apply(Scan& s, const Occurrence& o) {
  switch (o.info.effect) {
    case Effect::plain:
      return keep(s, o.tokens, true, true);
    case Effect::compile:
    case Effect::device_c:
    case Effect::device_w:
    case Effect::ptx:
    case Effect::cubin:
    case Effect::fatbin:
      apply_mode(s, o.info.effect);
      return keep(s, o.tokens, true, true);
    case Effect::dep_gen:
    case Effect::dep_flag:
    case Effect::dep_file:
    case Effect::dep_target:
      return apply_dependency(s, o);
    case Effect::xcompiler:
      return apply_xcompiler(s, o);
    case Effect::debug:
      s.out.debug_info = true;
      return keep(s, o.tokens, true, true);
    case Effect::not_compile:
      s.not_compile = true;
      return;
    case Effect::mode:
      if (!s.mode) s.mode = std::string(o.info.reason);
      return;
    case Effect::too_hard:
      return refuse(s, o.info.reason);
    default:  // output, output_dir, language, rdc, threads, host_compiler, gpu_code
      return apply_recorded(s, o);
  }
}

void read_argument(Scan& s, const std::vector<std::string>& args, std::size_t& i) {
  const std::string& arg = args[i];
  if (arg.size() < 2 || arg[0] != '-') {
    s.inputs.push_back(arg);
    return keep(s, {arg}, true, false);
  }
  auto match = find_option(arg);
  if (!match) {
    // Unknown to nvcc: an error, or the host compiler's under -forward-unknown-to-host-compiler
    // (which never forwards a separate value).
    if (asks_for_debug_info(arg)) s.out.debug_info = true;
    return keep(s, {arg}, true, true);
  }
  auto occurrence = read_option(*match, args, i);
  if (occurrence.missing_value) return refuse(s, "missing option value");
  apply(s, occurrence);
}

bool has_compile_mode(const Scan& s) {
  return s.compile || s.device_c || s.device_w || s.ptx || s.cubin || s.fatbin;
}

Mode ranked_mode(const Scan& s) {
  if (s.ptx) return Mode::ptx;
  if (s.cubin) return Mode::cubin;
  if (s.fatbin) return Mode::fatbin;
  if (s.device_c) return Mode::device_c;
  return Mode::compile;
}

// Whether this compile writes one output from one CUDA source we can name.
std::optional<std::string> check_shape(const Scan& s) {
  if (s.inputs.empty()) return "no input file";
  if (s.inputs.size() > 1) return "multiple input files";
  const std::string& input = s.inputs.front();
  if (input.empty()) return "no input file";  // nvcc: "Don't know what to do with ''"
  if (input == "-") return "-";
  bool cuda = s.x ? *s.x == "cu" : input.ends_with(".cu");
  if (!cuda) return "non-CUDA input";
  if (s.output && s.output->empty()) return "empty output name";
  if (s.output && *s.output == "-") return "output to stdout";
  // Configure probes write there; a hit would replace the device with a regular file.
  if (s.output && *s.output == k_dev_null) return "output to /dev/null";
  return std::nullopt;
}

void conclude_dependencies(Scan& s) {
  if (!s.dep_gen) return;  // -MF/-MT alone: nvcc fails, or has nothing to write
  std::string file = s.dep_file ? *s.dep_file : default_dep_file(s.out.input, s.output, s.odir);
  if (file == k_dev_null) return;  // nothing to replay (and never to be replaced by a file)
  s.out.dep_file = file;
  s.out.dep_targets = {dep_target(s.out.input, s.output, s.dep_target, s.odir)};
}

// After the whole command line is read: is it one cacheable compile, and of what into what?
ParseResult conclude(Scan& s) {
  if (s.not_compile) return NotCompilation{};
  if (s.mode) return CannotCache{*s.mode};
  if (s.cannot) return CannotCache{*s.cannot};
  if (!has_compile_mode(s)) return NotCompilation{};  // linking (or -lib): not a compile
  if (auto reason = check_shape(s)) return CannotCache{*reason};
  s.out.input = s.inputs.front();
  s.out.language_from_x = s.x.has_value();
  s.out.mode = ranked_mode(s);
  s.out.relocatable = s.device_c || (!s.device_w && s.rdc.value_or(false));
  s.out.output = s.output ? *s.output : default_output(s.out.input, s.out.mode, s.odir);
  conclude_dependencies(s);
  return std::move(s.out);
}

}  // namespace

ParseResult parse_nvcc_arguments(const std::vector<std::string>& args) {
  Scan s;
  for (std::size_t i = 0; i < args.size(); ++i) read_argument(s, args, i);
  return conclude(s);
}

}  // namespace sccache::compiler::cuda
