#pragma once
// Running what an nvcc key is made of: nvcc's dryrun (its plan), and the plan's preprocess steps
// by hand, all at once, writing to our pipes. Coroutines on the I/O thread; the processes run
// through the service's runner.
#include <asio/awaitable.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/cuda/dryrun.hpp"
#include "compiler/cuda/nvcc_args.hpp"
#include "server/service.hpp"
#include "util/fs.hpp"

namespace sccache::server::cuda {

using EnvPairs = std::vector<std::pair<std::string, std::string>>;

// `nvcc <dryrun_args> -dryrun` in `cwd` with `env` (without NVCC_*_FLAGS: their words are in the
// arguments already); nullopt when it fails or prints what we cannot read.
asio::awaitable<std::optional<compiler::cuda::Dryrun>> run_dryrun(
    Service& service, const std::string& nvcc, const compiler::cuda::NvccArgs& args,
    const std::string& cwd, const EnvPairs& env);

// The PATH the plan's steps run with: the dryrun's, else the request's.
std::string plan_path(const compiler::cuda::Dryrun& plan, const EnvPairs& env);

struct PreprocessRuns {
  std::vector<std::string> texts;    // stdout, per preprocess_steps(plan), in order
  std::vector<std::string> verbose;  // stderr (with `verbose`, -v's include search list)
};

// Every preprocess of `plan` (host, then one per arch), in parallel; `verbose` adds -v. `env`:
// "NAME=value" as the steps run. nullopt when any fails or a tool is not found in `path`.
asio::awaitable<std::optional<PreprocessRuns>> run_preprocesses(
    Service& service, const std::vector<const compiler::cuda::Step*>& steps,
    const std::string& path, const std::string& cwd, const std::vector<std::string>& env,
    bool verbose);

}  // namespace sccache::server::cuda
