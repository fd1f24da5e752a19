#pragma once
// The cache key of an nvcc compile, from nvcc's own plan (its dryrun) and the text of each of its
// preprocesses: host and every device arch, so that no edit on either side can hit another's
// entry. Blocking (hashes tool binaries); called on the thread pool.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/cuda/dryrun.hpp"
#include "compiler/cuda/nvcc_args.hpp"
#include "hash/file_memo.hpp"
#include "protocol/messages.hpp"
#include "server/cuda/nvcc_detector.hpp"

namespace sccache::server::cuda {

// The program a dryrun step runs: `argv0` made absolute against `cwd` when it holds a '/', else
// the first executable file named so in `path` (the dryrun's PATH, as nvcc's own shell finds it).
std::optional<std::string> resolve_tool(const std::string& argv0, std::string_view path,
                                        const std::string& cwd);

// Whether a step of this kind runs a program the key must hash (rm and nvcc's dependency filter do
// not).
bool runs_tool(compiler::cuda::StepKind kind);

// `text` with the per-run part of nvcc's temporary names dropped:
// "/tmp/tmpxft_000018cd_00000000-6_k.ptx" → "/tmp/tmpxft-6_k.ptx".
std::string without_temp_names(std::string_view text);

struct KeyInputs {
  const Nvcc& nvcc;
  const compiler::cuda::NvccArgs& args;
  const protocol::Compile& request;
  const compiler::cuda::Dryrun& dryrun;
  std::string_view path;                         // the dryrun's PATH
  const std::vector<std::string>& preprocessed;  // per preprocess_steps(dryrun), in order
};

// The key; nullopt when a tool a step runs cannot be found or read.
std::optional<std::string> nvcc_key(const KeyInputs& in, hash::FileMemo& memo);

}  // namespace sccache::server::cuda
