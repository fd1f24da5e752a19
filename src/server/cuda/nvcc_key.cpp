#include "server/cuda/nvcc_key.hpp"

#include <unistd.h>

#include <filesystem>

#include "compiler/c_family/env_in_key.hpp"
#include "hash/hasher.hpp"

namespace sccache::server::cuda {

namespace {

namespace cu = compiler::cuda;

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// Skips "<hex>+" at `pos`; returns the position after, or npos when there is none.
std::size_t skip_hex(std::string_view text, std::size_t pos) {
  std::size_t start = pos;
  while (pos < text.size() && is_hex(text[pos])) ++pos;
  return pos == start ? std::string_view::npos : pos;
}

const char* mode_name(cu::Mode mode) {
  switch (mode) {
    case cu::Mode::compile:
      return "compile";
    case cu::Mode::device_c:
      return "device-c";
    case cu::Mode::ptx:
      return "ptx";
    case cu::Mode::cubin:
      return "cubin";
    case cu::Mode::fatbin:
      return "fatbin";
  }
  return "?";
}

}  // namespace

bool runs_tool(cu::StepKind kind) {
  return kind != cu::StepKind::rm && kind != cu::StepKind::filter_dependencies;
}

std::optional<std::string> resolve_tool(const std::string& argv0, std::string_view path,
                                        const std::string& cwd) {
  namespace fs = std::filesystem;
  if (argv0.empty()) return std::nullopt;
  if (argv0.find('/') != std::string::npos) {
    fs::path p(argv0);
    return (p.is_absolute() ? p : fs::path(cwd) / p).string();
  }
  while (true) {
    auto colon = path.find(':');
    // (An empty PATH entry is the working directory.)
    fs::path dir_path = fs::path(cwd) / fs::path(path.substr(0, colon));
    auto candidate = (dir_path / argv0).string();
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    path.remove_prefix(colon + 1);
  }
}

std::string without_temp_names(std::string_view text) {
  constexpr std::string_view k_tag = "tmpxft_";
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (true) {
    auto found = text.find(k_tag, pos);
    if (found == std::string_view::npos) break;
    // tmpxft_<pid hex>_<hex>-
    auto after = skip_hex(text, found + k_tag.size());
    if (after != std::string_view::npos && after < text.size() && text[after] == '_')
      after = skip_hex(text, after + 1);
    if (after == std::string_view::npos || after >= text.size() || text[after] != '-') {
      out.append(text.substr(pos, found + k_tag.size() - pos));
      pos = found + k_tag.size();
      continue;
    }
    out.append(text.substr(pos, found - pos)).append("tmpxft");
    pos = after;
  }
  out.append(text.substr(pos));
  return out;
}

// Each field is there because it can change what nvcc writes or prints.
std::optional<std::string> nvcc_key(const KeyInputs& in, hash::FileMemo& memo) {
  hash::Hasher h;
  h.field("recipe", "nvcc 1");        // the layout of this key
  h.field("nvcc", in.nvcc.identity);  // nvcc's version text and binary
  h.field("cwd", in.request.cwd);     // relative paths in the steps resolve against it
  h.field("input", in.args.input);    // as written: line markers, __FILE__
  h.field("output", in.args.output);  // the host compile's -o; the .d file's target
  h.field("dep file", in.args.dep_file.value_or(""));  // a hit writes it where this one did
  for (const auto& t : in.args.dep_targets) h.field("dep target", t);  // the .d's rule
  h.field("mode", mode_name(in.args.mode));
  h.field("relocatable", in.args.relocatable ? "yes" : "no");
  for (const auto& g : in.args.gpu_code) h.field("gpu code", g);
  for (const auto& a : in.args.hashed_args) h.field("arg", a);
  // nvcc.profile's variables for its steps (PATH aside: what it finds is hashed by content).
  for (const auto& [name, value] : in.dryrun.env) {
    if (name != "PATH") h.field("dryrun env " + name, without_temp_names(value));
  }
  // gcc's own variables (CPATH, SOURCE_DATE_EPOCH, ...), as for a C compile.
  for (const auto& [name, value] : compiler::c_family::env_in_key(in.request.env_vars))
    h.field("env " + name, value);
  auto preprocess = cu::preprocess_steps(in.dryrun);
  if (preprocess.size() != in.preprocessed.size() || preprocess.empty()) return std::nullopt;
  for (std::size_t i = 0; i < preprocess.size(); ++i) {  // the source as each side sees it
    h.field(std::string("preprocessed ") + cu::to_string(preprocess[i]->kind) + " " +
                preprocess[i]->arch,
            in.preprocessed[i]);
  }
  for (const auto& step : in.dryrun.steps) {  // every step's flags and the tool it runs
    if (!runs_tool(step.kind)) continue;
    auto tool = resolve_tool(step.argv.front(), in.path, in.request.cwd);
    if (!tool) return std::nullopt;
    auto digest = memo.digest(*tool);
    if (!digest) return std::nullopt;
    h.field("step tool " + step.argv.front(), digest->sha256);
    for (const auto& a : step.argv) h.field("step arg", without_temp_names(a));
    h.field("step stdout", without_temp_names(step.stdout_path.value_or("")));
    h.field("step end", cu::to_string(step.kind));
  }
  return h.finish_hex();
}

}  // namespace sccache::server::cuda
