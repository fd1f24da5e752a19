#pragma once
// One cacheable compile as it moves through the server: what was asked, what is known, and what
// is left to write once the answer has gone back. Internal to the server's compile job.
#include <asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/c_family/detect.hpp"
#include "compiler/c_family/include_scan.hpp"
#include "compiler/c_family/parsed_args.hpp"
#include "protocol/messages.hpp"
#include "server/cache_lookup.hpp"
#include "server/service.hpp"
#include "storage/cache_entry.hpp"

namespace sccache::server::c_family {

struct Job {
  // How the stored stderr looks, for the keys.
  std::string_view diagnostics() const { return color_flag ? "colour" : "plain"; }

  Service& service;
  protocol::Compile request;
  std::vector<std::string> env;  // "NAME=value", for child processes
  compiler::c_family::CompilerInfo compiler;
  compiler::c_family::ParsedArgs args;
  OutputPaths paths;
  std::vector<std::pair<std::string, std::string>> key_env{};  // variables that reach the key
  // The option that makes the compiler colour its stderr into our pipe; none: stored plain.
  std::optional<std::string_view> color_flag{};
  bool direct = false;   // direct mode applies to this compile
  bool recache = false;  // SCCACHE_RECACHE: skip lookups
  std::optional<std::string> manifest_key{};
  hash::FileDigest input_digest{};   // the source as direct mode hashed it, before preprocessing
  bool input_unchanged = false;      // and still so once the preprocessor had read it
  std::int64_t read_since_ns = 0;    // file clock before the preprocessor ran (direct mode's guard)
  std::optional<std::string> key{};  // preprocessor-mode key, once known
  std::string preprocessed{};        // -E output (line markers name the files read)
  std::string preprocessor_stderr{};                         // -v output (the include search list)
  std::vector<compiler::c_family::IncludedFile> included{};  // the files the line markers name
};

// Work left after the answer: the new entry and/or a manifest update.
struct PendingWrites {
  std::optional<storage::CacheEntry> entry;
  bool update_manifest = false;
};

// Steps, each a coroutine on the I/O thread that offloads blocking work.
asio::awaitable<std::optional<protocol::CompileFinished>> lookup_direct(Job& job);
asio::awaitable<void> preprocess_and_key(Job& job);
asio::awaitable<std::optional<protocol::CompileFinished>> lookup(Job& job, const std::string& key);
asio::awaitable<protocol::CompileFinished> compile(Job& job, PendingWrites& writes);
// `busy` was taken before the answer went out, so a shutdown waits for these writes.
asio::awaitable<void> write_after_answer(Job job, PendingWrites writes,
                                         std::unique_ptr<Service::WorkGuard> busy);

protocol::CompileFinished finished_from(exec::ProcessResult result,
                                        compiler::c_family::ColorChoice color);

}  // namespace sccache::server::c_family
