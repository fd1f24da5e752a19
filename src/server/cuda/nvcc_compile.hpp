#pragma once
// One cacheable nvcc compile: with direct mode, a lookup through its manifest first (no nvcc run);
// else the dryrun and the preprocesses that make its key, the lookup and replay, nvcc itself on a
// miss, and after the answer the entry stored and the manifest updated.
#include <memory>

#include "compiler/cuda/nvcc_args.hpp"
#include "server/compiler_family.hpp"
#include "server/cuda/nvcc_detector.hpp"
#include "server/cuda/nvcc_toolchain.hpp"

namespace sccache::server::cuda {

// `direct`: direct mode applies (see NvccFamily); `toolchains` outlives the compile.
std::unique_ptr<FamilyCompile> make_nvcc_compile(Service& service, ToolchainMemo& toolchains,
                                                 protocol::Compile request, Nvcc nvcc,
                                                 compiler::cuda::NvccArgs args, bool direct);

}  // namespace sccache::server::cuda
