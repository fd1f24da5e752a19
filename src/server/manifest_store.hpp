#pragma once
// Direct-mode manifests in storage, whatever the compiler family: each is the "manifest" file of
// an entry bound to its key. Blocking; called through exec::offload on the thread pool.
#include <functional>
#include <string>
#include <string_view>

#include "storage/storage.hpp"
#include "util/error.hpp"

namespace sccache::server {

// Reads the manifest under `key` and hands its bytes to `decode`. False when storage has none, has
// one of an older entry format, or cannot be asked (direct mode then falls back quietly: each level
// counts its own failures). An entry that does not decode, is not the one stored under this key,
// or whose manifest `decode` refuses is an error, and is removed so that the next update replaces
// it.
util::Result<bool> read_manifest(storage::Storage& storage, const std::string& key,
                                 const std::function<util::Result<void>(std::string_view)>& decode);

// Stores `bytes` as the manifest under `key`.
util::Result<void> write_manifest(storage::Storage& storage, const std::string& key,
                                  std::string bytes, int zstd_level);

}  // namespace sccache::server
