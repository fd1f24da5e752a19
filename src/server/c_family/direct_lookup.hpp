#pragma once
// Direct mode's storage side: the manifest key of a compile, a lookup through its manifest, and the
// update after a compile. Blocking; called through exec::offload on the thread pool.
#include <mutex>
#include <optional>
#include <string>

#include "compiler/c_family/detect.hpp"
#include "compiler/c_family/manifest.hpp"
#include "compiler/c_family/parsed_args.hpp"
#include "hash/file_memo.hpp"
#include "server/manifest_memo.hpp"
#include "storage/storage.hpp"

namespace sccache::server::c_family {

struct DirectRequest {
  const compiler::c_family::CompilerInfo* compiler = nullptr;
  const compiler::c_family::ParsedArgs* args = nullptr;
  std::string cwd;
  std::vector<std::pair<std::string, std::string>> env;  // the variables in the key
  std::string_view diagnostics;                          // "colour" or "plain" (see Job)
};

struct DirectKey {
  std::string key;         // the manifest's key
  hash::FileDigest input;  // the source as it was hashed
};

// The manifest key of this compile, or why direct mode cannot be used for it (the source mentions
// __DATE__ or __TIME__, an input cannot be read).
tl::expected<DirectKey, compiler::c_family::NotRecorded> direct_key(const DirectRequest& request,
                                                                    hash::FileMemo& memo);

// The cache key of an earlier result whose recorded inputs all still match; nullopt otherwise.
// The manifest comes from `manifests` when it holds it, else from storage (and is kept there). An
// error: storage held a damaged manifest, or one stored under another key (a read error to count;
// it has been removed).
util::Result<std::optional<std::string>> find_in_manifest(storage::Storage& storage,
                                                          ManifestMemo& manifests,
                                                          const std::string& manifest_key,
                                                          hash::FileMemo& memo);

// Adds `result` to the manifest under `manifest_key` (read from storage, modify, write, under
// `lock`) and keeps the new manifest in `manifests`.
util::Result<void> update_manifest(storage::Storage& storage, ManifestMemo& manifests,
                                   const std::string& manifest_key,
                                   compiler::c_family::ManifestResult result, int zstd_level,
                                   std::mutex& lock);

}  // namespace sccache::server::c_family
