#pragma once
// Direct mode's nvcc side: the manifest key of a compile, made without running nvcc (its toolchain
// as the ToolchainMemo knows it, the arguments, the source's digest), and what a manifest result
// lists (the files every preprocess read, and the search list a shadowing header would be found
// in). The lookup and the update are the C family's (server/c_family/direct_lookup.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

#include "compiler/c_family/manifest.hpp"
#include "compiler/cuda/nvcc_args.hpp"
#include "hash/file_memo.hpp"
#include "protocol/messages.hpp"
#include "server/c_family/direct_lookup.hpp"
#include "server/cuda/nvcc_toolchain.hpp"

namespace sccache::server::cuda {

struct DirectKeyInputs {
  const compiler::cuda::NvccArgs& args;
  const protocol::Compile& request;
  const Toolchain& toolchain;
};

// The manifest key (blocking: hashes the source), or why direct mode cannot vouch for the compile:
// the source mentions __DATE__ or __TIME__, or cannot be read.
tl::expected<c_family::DirectKey, compiler::c_family::NotRecorded> nvcc_direct_key(
    const DirectKeyInputs& in, hash::FileMemo& memo);

struct ManifestSource {
  std::string cwd;
  std::vector<compiler::c_family::IncludedFile> files;   // compiler::cuda::files_in_all
  const std::vector<std::string>& verbose;               // each preprocess's -v stderr, host first
  const std::vector<std::string>& host_preprocess_argv;  // for its -include files
  std::int64_t read_since_ns = 0;  // file clock before the preprocesses started
  // The source's digest from the direct key, when its stat shows it unchanged since.
  std::optional<std::pair<std::string, hash::FileDigest>> source;
};

// What record_result needs; or the stats key of why not: a run's search list could not be read
// (a host compiler that prints none) or the runs searched different lists — then a new header
// shadowing an old one could go unnoticed.
tl::expected<compiler::c_family::RecordInputs, std::string> manifest_inputs(ManifestSource in);

}  // namespace sccache::server::cuda
