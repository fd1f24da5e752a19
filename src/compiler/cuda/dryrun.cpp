// nvcc 13.0's dryrun, as captured in testdata/ (testdata/README.md has the command lines):
// * ~18 "#$ NAME=value" lines first (_SPACE_ holds one space, _TARGET_DIR_ is set twice, the
//   values keep nvcc.profile's quotes); NVCC_PREPEND_FLAGS/NVCC_APPEND_FLAGS when set, printed
//   in quotes nvcc adds without escaping — over several lines when the value holds a newline.
// * Then one line per step, quoted with "…", cicc as "$CICC_PATH/cicc", a -ccbin host compiler as
//   "/usr/bin"/g++-12. With --threads N every step gets "> …_stdout 2>…_stderr" and the order
//   changes (the rm of the .fatbin comes first). With -MD every device preprocess comes before the
//   host one, and "-- Filter Dependencies -- > x.d" follows them. A PTX-only code=[compute_90]
//   runs "ptxas -arch=compute_90 <ptx>" without -o, as a check.
#include "compiler/cuda/dryrun.hpp"

#include "compiler/cuda/shell_words.hpp"

namespace sccache::compiler::cuda {

namespace {

constexpr std::string_view k_prefix = "#$ ";
constexpr std::string_view k_cuda_arch = "-D__CUDA_ARCH__=";

bool is_identifier(std::string_view text) {
  if (text.empty() || (text[0] >= '0' && text[0] <= '9')) return false;
  for (char c : text) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// "NAME=value" → the pair; a command ("gcc -D…=…") has a blank before its first '='.
std::optional<std::pair<std::string, std::string>> as_assignment(std::string_view line) {
  auto eq = line.find('=');
  if (eq == std::string_view::npos || !is_identifier(line.substr(0, eq))) return std::nullopt;
  return std::pair{std::string(line.substr(0, eq)), std::string(line.substr(eq + 1))};
}

// The "#$ " lines, each with the lines that continue it (inside quotes) joined by newlines.
std::vector<std::string> logical_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    auto end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (line.starts_with(k_prefix)) {
      lines.emplace_back(line.substr(k_prefix.size()));
    } else if (!lines.empty() && ends_inside_quotes(lines.back())) {
      lines.back().append("\n").append(line);
    }  // else: a warning or the like, not nvcc's plan
  }
  return lines;
}

std::optional<std::string> last_value(const std::vector<std::pair<std::string, std::string>>& env,
                                      std::string_view name) {
  for (auto it = env.rbegin(); it != env.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return std::nullopt;
}

std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool has(const std::vector<std::string>& argv, std::string_view arg) {
  for (const auto& a : argv) {
    if (a == arg) return true;
  }
  return false;
}

// The value of `name` as "name value" or "name=value" ("-o x", "-arch=sm_75", "-arch compute_75").
std::optional<std::string> value_of(const std::vector<std::string>& argv, std::string_view name) {
  for (std::size_t i = 1; i < argv.size(); ++i) {
    if (argv[i] == name && i + 1 < argv.size()) return argv[i + 1];
    if (argv[i].size() > name.size() && argv[i].starts_with(name) && argv[i][name.size()] == '=') {
      return argv[i].substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

std::string arch_of(StepKind kind, const std::vector<std::string>& argv) {
  if (kind == StepKind::device_preprocess) {
    for (const auto& a : argv) {
      if (a.starts_with(k_cuda_arch)) return a.substr(k_cuda_arch.size());
    }
  }
  if (kind == StepKind::cicc || kind == StepKind::ptxas)
    return value_of(argv, "-arch").value_or("");
  return {};
}

util::Result<Step> read_step(std::string line, const VariableLookup& lookup) {
  auto command = split_shell_command(line, lookup);
  if (!command) return tl::make_unexpected(command.error());
  Step step;
  step.kind = classify(command->argv);
  step.output = value_of(command->argv, "-o");
  step.arch = arch_of(step.kind, command->argv);
  step.argv = std::move(command->argv);
  step.stdout_path = std::move(command->stdout_path);
  step.stderr_path = std::move(command->stderr_path);
  step.line = std::move(line);
  return step;
}

}  // namespace

const char* to_string(StepKind kind) {
  switch (kind) {
    case StepKind::host_preprocess:
      return "host preprocess";
    case StepKind::device_preprocess:
      return "device preprocess";
    case StepKind::cudafe:
      return "cudafe++";
    case StepKind::cicc:
      return "cicc";
    case StepKind::ptxas:
      return "ptxas";
    case StepKind::fatbinary:
      return "fatbinary";
    case StepKind::host_compile:
      return "host compile";
    case StepKind::nvlink:
      return "nvlink";
    case StepKind::rm:
      return "rm";
    case StepKind::filter_dependencies:
      return "filter dependencies";
    case StepKind::unknown:
      break;
  }
  return "unknown";
}

StepKind classify(const std::vector<std::string>& argv) {
  if (argv.empty()) return StepKind::unknown;
  if (argv.size() >= 3 && argv[0] == "--" && argv[1] == "Filter" && argv[2] == "Dependencies") {
    return StepKind::filter_dependencies;
  }
  std::string_view tool = base_name(argv[0]);
  if (tool == "cudafe++") return StepKind::cudafe;
  if (tool == "cicc") return StepKind::cicc;
  if (tool == "ptxas") return StepKind::ptxas;
  if (tool == "fatbinary") return StepKind::fatbinary;
  if (tool == "nvlink") return StepKind::nvlink;
  if (tool == "rm") return StepKind::rm;
  if (has(argv, "-E")) {
    for (const auto& a : argv) {
      if (a.starts_with(k_cuda_arch)) return StepKind::device_preprocess;
    }
    return StepKind::host_preprocess;
  }
  if (has(argv, "-c")) return StepKind::host_compile;
  return StepKind::unknown;
}

util::Result<Dryrun> parse_dryrun(
    std::string_view text, const std::vector<std::pair<std::string, std::string>>& process_env) {
  if (text.size() > k_max_dryrun_bytes)
    return util::fail(util::ErrorCode::too_large, "dryrun too long");
  Dryrun dryrun;
  // The variables printed so far, then the process's; the last of a name counts.
  VariableLookup lookup = [&](std::string_view name) -> std::optional<std::string> {
    if (auto value = last_value(dryrun.env, name)) return value;
    return last_value(process_env, name);
  };
  for (auto& line : logical_lines(text)) {
    if (auto assignment = as_assignment(line)) {
      dryrun.env.push_back(std::move(*assignment));
      continue;
    }
    auto step = read_step(std::move(line), lookup);
    if (!step) {
      return util::fail(
          step.error().code,
          "dryrun step " + std::to_string(dryrun.steps.size() + 1) + ": " + step.error().message);
    }
    if (step->argv.empty()) continue;  // a blank "#$ " line
    if (dryrun.steps.size() >= k_max_dryrun_steps) {
      return util::fail(util::ErrorCode::too_large, "dryrun has too many steps");
    }
    dryrun.steps.push_back(std::move(*step));
  }
  return dryrun;
}

std::optional<std::vector<std::string>> preprocess_argv(const Step& step,
                                                        const std::optional<std::string>& output) {
  if (step.kind != StepKind::host_preprocess && step.kind != StepKind::device_preprocess) {
    return std::nullopt;
  }
  for (std::size_t i = 1; i + 1 < step.argv.size(); ++i) {
    if (step.argv[i] != "-o") continue;
    std::vector<std::string> argv(step.argv.begin(), step.argv.begin() + i);
    if (output) {
      argv.push_back("-o");
      argv.push_back(*output);
    }
    argv.insert(argv.end(), step.argv.begin() + i + 2, step.argv.end());
    return argv;
  }
  return std::nullopt;
}

std::vector<const Step*> preprocess_steps(const Dryrun& dryrun) {
  std::vector<const Step*> steps;
  for (StepKind kind : {StepKind::host_preprocess, StepKind::device_preprocess}) {
    for (const auto& step : dryrun.steps) {
      if (step.kind == kind) steps.push_back(&step);
    }
  }
  return steps;
}

}  // namespace sccache::compiler::cuda
