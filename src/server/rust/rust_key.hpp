#pragma once
// The keys of a Rust compile (direct mode: no rustc run to find them). The manifest key holds all
// that is known before rustc runs — rustc and the linker, the arguments, the externs' content,
// static libraries, the target spec, the cwd (or what a --remap-path-prefix makes of it), cargo's
// package variables. A result's key adds what the compile found: its sources' content, the
// variables it read, the files the linker read, and the remaps that reach those sources. Blocking
// (hashes files): called on the thread pool.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/rust/manifest.hpp"
#include "compiler/rust/rustc_args.hpp"
#include "hash/file_memo.hpp"
#include "protocol/messages.hpp"
#include "server/rust/rustc_detector.hpp"
#include "util/fs.hpp"

namespace sccache::server::rust {

struct KeyContext {
  const Rustc& rustc;
  const compiler::rust::RustArgs& args;
  const protocol::Compile& request;
  const std::optional<std::string>& linker;  // the linker's identity, for a linked crate
};

// Every file hashed, with its stat when hashed: they must not change before the compile ends.
using HashedFiles = std::vector<std::pair<std::filesystem::path, util::FileStat>>;

// nullopt when a file cannot be read (an extern, a static library, the target spec).
std::optional<std::string> manifest_key(const KeyContext& context, hash::FileMemo& memo,
                                        HashedFiles& hashed);

// The cache key of `result` under `manifest_key`, for the compile `context` describes.
std::string result_key(const std::string& manifest_key,
                       const compiler::rust::ManifestResult& result, const KeyContext& context);

}  // namespace sccache::server::rust
