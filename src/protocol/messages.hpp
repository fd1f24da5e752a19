#pragma once
// The whole wire vocabulary, modelled on Mozilla sccache v0.4's src/protocol.rs so that the two can
// talk. Plain structs only; bincode_codec.hpp turns them into bytes and frame.hpp into frames.
// Variant order = bincode enum tag (u32, declaration order) — do not reorder.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sccache::protocol {

// ---- requests (client → server) ----
struct ZeroStats {
  bool operator==(const ZeroStats&) const = default;
};                     // tag 0: zero the counters; answered with Stats
struct GetStats {};    // tag 1: answered with Stats
struct DistStatus {};  // tag 2: answered with DistStatus(Disabled)
struct Shutdown {};    // tag 3: answered with ShuttingDown, then the server drains and exits
// tag 4: a compiler invocation. Strings are raw bytes (OsString on unix).
struct Compile {
  std::string exe;                // compiler path, resolved by the client
  std::string cwd;                // client's working directory
  std::vector<std::string> args;  // arguments without argv[0]
  std::vector<std::pair<std::string, std::string>> env_vars;  // client environment, in order
  // Not on the wire: the client process, when its socket tells (a unix socket); 0 otherwise.
  int peer_pid = 0;
  bool operator==(const Compile&) const = default;
};
using Request = std::variant<ZeroStats, GetStats, DistStatus, Shutdown, Compile>;

// ---- stats payload ----
struct Duration {  // Rust std::time::Duration
  std::uint64_t secs = 0;
  std::uint32_t nanos = 0;
  bool operator==(const Duration&) const = default;
};
struct PerLanguageCount {  // v0.4: { counts: HashMap<String, u64> }
  std::map<std::string, std::uint64_t> counts;
  bool operator==(const PerLanguageCount&) const = default;
};
// Field order is the bincode order of v0.4's ServerStats.
struct ServerStats {
  std::uint64_t compile_requests = 0;
  std::uint64_t requests_unsupported_compiler = 0;
  std::uint64_t requests_not_compile = 0;
  std::uint64_t requests_not_cacheable = 0;
  std::uint64_t requests_executed = 0;
  PerLanguageCount cache_errors;
  PerLanguageCount cache_hits;
  PerLanguageCount cache_misses;
  std::uint64_t cache_timeouts = 0;
  std::uint64_t cache_read_errors = 0;
  std::uint64_t non_cacheable_compilations = 0;
  std::uint64_t forced_recaches = 0;
  std::uint64_t cache_write_errors = 0;
  std::uint64_t cache_writes = 0;
  Duration cache_write_duration;
  Duration cache_read_hit_duration;
  Duration compiler_write_duration;
  std::uint64_t compile_fails = 0;
  std::map<std::string, std::uint64_t> not_cached;     // reason → count (usize on the wire = u64)
  std::map<std::string, std::uint64_t> dist_compiles;  // always empty: no distributed compiles
  std::uint64_t dist_errors = 0;
  bool operator==(const ServerStats&) const = default;
};
// One level of a multilevel cache (local disk, then a remote) and what it did since the last
// --zero-stats.
struct CacheLevel {
  std::string location;
  bool writable = true;
  bool available = true;  // false while a failing remote is being skipped
  std::uint64_t hits = 0, misses = 0, read_errors = 0, timeouts = 0, skipped = 0;
  std::uint64_t writes = 0, write_errors = 0;
  std::optional<std::uint64_t> size, max_size;
  std::uint64_t too_large = 0;  // writes skipped by the level's own size limit
  bool operator==(const CacheLevel&) const = default;
};

// Appended after ServerInfo's v0.4 fields (bincode readers of v0.4 ignore trailing bytes): what
// direct mode, the file-hash memo and the cache levels add to the stats.
struct ServerInfoExtras {
  std::uint64_t direct_hits = 0;        // hits found through a manifest, no preprocessor run
  std::uint64_t preprocessor_hits = 0;  // hits found by preprocessing and hashing
  bool direct_mode = false;             // direct mode on for this server
  std::uint64_t file_memo_entries = 0;
  std::uint64_t file_memo_bytes = 0;
  std::vector<CacheLevel> levels;      // empty with the local disk alone
  std::uint64_t manifest_updates = 0;  // results added to a direct-mode manifest
  // reason → compiles whose result direct mode could not vouch for (no manifest entry)
  std::map<std::string, std::uint64_t> manifest_not_recorded;
  std::uint64_t connections_refused = 0;  // peers of another user, or who could not be told
  std::uint64_t jobserver_compiles = 0;   // compiles run under their client's make jobserver
  std::uint64_t slot_waits = 0;           // compiles that waited for one of the server's slots
  std::uint64_t compile_slots = 0;        // the server's slots (compiles without a jobserver)
  bool operator==(const ServerInfoExtras&) const = default;
};

struct ServerInfo {
  ServerStats stats;
  std::string cache_location;
  std::optional<std::uint64_t> cache_size;
  std::optional<std::uint64_t> max_cache_size;
  std::string version;
  std::optional<ServerInfoExtras> extras;  // absent from Mozilla's servers
  bool operator==(const ServerInfo&) const = default;
};

// ---- responses (server → client) ----
struct CompileStarted {
  bool operator==(const CompileStarted&) const = default;
};  // tag 0: the server runs it; a CompileFinished follows
struct UnhandledCompile {
  bool operator==(const UnhandledCompile&) const = default;
};                            // tag 1: not a cacheable compile; the client runs the compiler itself
struct UnsupportedCompiler {  // tag 2: not a compiler we know; the client runs it itself
  std::string name;
  bool operator==(const UnsupportedCompiler&) const = default;
};
using CompileResponse = std::variant<CompileStarted, UnhandledCompile, UnsupportedCompiler>;

enum class ColorMode : std::uint32_t { off = 0, on = 1, automatic = 2 };

struct CompileFinished {
  std::optional<std::int32_t> retcode;  // exit code, when the compiler exited
  std::optional<std::int32_t> signal;   // signal number, when it was killed
  std::string stdout_bytes;
  std::string stderr_bytes;
  ColorMode color_mode = ColorMode::automatic;
  bool operator==(const CompileFinished&) const = default;
};

struct Stats {
  ServerInfo info;
  bool operator==(const Stats&) const = default;
};
struct DistInfo {  // only variant 0, Disabled(String): this build has no distributed compilation
  std::string disabled_reason;
  bool operator==(const DistInfo&) const = default;
};
struct ShuttingDown {
  ServerInfo info;
  bool operator==(const ShuttingDown&) const = default;
};

// v0.4 order: Compile, Stats, DistStatus, ShuttingDown, CompileFinished.
using Response = std::variant<CompileResponse, Stats, DistInfo, ShuttingDown, CompileFinished>;

// Frames larger than this are refused (and the connection closed).
inline constexpr std::uint32_t k_max_frame_length = 256u * 1024 * 1024;
// The most arguments and environment variables a Compile may carry (exec itself takes far fewer).
inline constexpr std::uint64_t k_max_compile_args = 256 * 1024;
inline constexpr std::uint64_t k_max_compile_env = 64 * 1024;

}  // namespace sccache::protocol
