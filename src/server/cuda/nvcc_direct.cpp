#include "server/cuda/nvcc_direct.hpp"

#include <filesystem>

#include "compiler/c_family/env_in_key.hpp"
#include "compiler/c_family/include_scan.hpp"
#include "compiler/c_family/precompiled.hpp"
#include "hash/hasher.hpp"

namespace sccache::server::cuda {

namespace cc = compiler::c_family;

tl::expected<c_family::DirectKey, cc::NotRecorded> nvcc_direct_key(const DirectKeyInputs& in,
                                                                   hash::FileMemo& memo) {
  const auto& args = in.args;
  std::filesystem::path input(args.input);
  if (input.is_relative()) input = std::filesystem::path(in.request.cwd) / input;
  auto digest = memo.digest(input);
  if (!digest)
    return tl::make_unexpected(cc::NotRecorded{cc::NotRecordedReason::unreadable, input});
  if (digest->has_time_macros)
    return tl::make_unexpected(cc::NotRecorded{cc::NotRecordedReason::time_macros, input});
  // Each field is there because it changes what nvcc writes; the files the preprocesses read are
  // the manifest's to check.
  hash::Hasher h;
  h.field("recipe", "nvcc direct 1");         // the layout of this key
  h.field("toolchain", in.toolchain.digest);  // nvcc, profile, plan env, -ccbin, tools' content
  h.field("cwd", in.request.cwd);             // relative paths; the module id's absolute path
  h.field("input", args.input);               // as written: line markers, __FILE__
  h.field("input content", digest->sha256);   // the source itself
  h.field("output", args.output);             // the host compile's -o; the .d file's target
  h.field("dep file", args.dep_file.value_or(""));  // a hit writes it where this one did
  for (const auto& t : args.dep_targets) h.field("dep target", t);  // the .d's rule
  for (const auto& a : args.hashed_args) h.field("arg", a);  // mode, archs, -D, -X…: all of it
  for (const auto& [name, value] : cc::env_in_key(in.request.env_vars))
    h.field("env " + name, value);  // the host compiler's own variables, as in the full key
  return c_family::DirectKey{h.finish_hex(), std::move(*digest)};
}

tl::expected<cc::RecordInputs, std::string> manifest_inputs(ManifestSource in) {
  auto refuse = [](const char* why) { return tl::make_unexpected(std::string(why)); };
  if (in.verbose.empty()) return refuse("no preprocess ran");
  auto dirs = cc::search_dirs_from_verbose(in.verbose.front());
  if (dirs.empty()) return refuse("no include search list from the host compiler");
  for (const auto& verbose : in.verbose) {
    if (cc::search_dirs_from_verbose(verbose) != dirs)
      return refuse("the preprocesses searched different lists");
  }
  cc::RecordInputs out;
  out.cwd = std::move(in.cwd);
  out.files = std::move(in.files);
  out.search_dirs = std::move(dirs);
  out.forced_includes = cc::forced_includes(in.host_preprocess_argv);
  out.read_since_ns = in.read_since_ns;
  out.source = std::move(in.source);
  return out;
}

}  // namespace sccache::server::cuda
