#pragma once
// One cacheable nvcc compile: the dryrun and the preprocesses that make its key, the lookup and
// replay, nvcc itself on a miss, and the entry stored after the answer.
#include <memory>

#include "compiler/cuda/nvcc_args.hpp"
#include "server/compiler_family.hpp"
#include "server/cuda/nvcc_detector.hpp"

namespace sccache::server::cuda {

std::unique_ptr<FamilyCompile> make_nvcc_compile(Service& service, protocol::Compile request,
                                                 Nvcc nvcc, compiler::cuda::NvccArgs args);

}  // namespace sccache::server::cuda
