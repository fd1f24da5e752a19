#include "server/rust/rust_compile.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "compiler/rust/dep_info.hpp"
#include "exec/offload.hpp"
#include "hash/hasher.hpp"
#include "server/cache_lookup.hpp"
#include "server/family_steps.hpp"
#include "storage/cache_entry.hpp"
#include "util/log.hpp"
#include "util/temp_dir.hpp"

namespace sccache::server::rust {

namespace {

namespace fs = std::filesystem;
namespace rs = compiler::rust;
using Clock = std::chrono::steady_clock;
using stats::Counter;
using stats::LanguageCounter;
using stats::Timer;

const std::string k_stats_language = "Rust";

// Stands for this compile's --out-dir in a stored dep-info file and stderr (cargo's artifact
// lines name the out-dir): a hit writes its own. A control character: no JSON string or path
// rustc writes holds one unescaped.
const std::string k_out_dir_marker = "\x01sccache:out-dir\x01";

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  if (from.empty()) return std::string(text);
  for (std::size_t pos = 0;;) {
    auto found = text.find(from, pos);
    out.append(text.substr(pos, found == std::string_view::npos ? found : found - pos));
    if (found == std::string_view::npos) return out;
    out.append(to);
    pos = found + from.size();
  }
}

fs::path absolute_in(const std::string& cwd, const std::string& path) {
  fs::path p(path);
  return p.is_absolute() ? p : fs::path(cwd) / p;
}

// The part of `path` below `prefix` ("" when equal), if `prefix` is a path prefix of it.
std::optional<std::string> below(const std::string& path, std::string prefix) {
  prefix = fs::path(prefix).lexically_normal().string();
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  if (prefix.empty() || !path.starts_with(prefix)) return std::nullopt;
  if (path.size() == prefix.size()) return std::string();
  if (path[prefix.size()] != '/' && prefix != "/") return std::nullopt;
  return path.substr(prefix.size());
}

// Variables rustc's output can depend on that no dep-info line names: the package's metadata
// cargo hands every compile (stable across checkouts, unlike CARGO_MANIFEST_DIR, which reaches the
// key only where the crate reads it and dep-info says so) and rustc's own switches.
bool env_in_key(std::string_view name) {
  return name.starts_with("CARGO_PKG_") || name == "CARGO_CRATE_NAME" || name == "CARGO_BIN_NAME" ||
         name == "CARGO_PRIMARY_PACKAGE" || name == "RUSTC_BOOTSTRAP";
}

protocol::CompileFinished finished(exec::ProcessResult result, const rs::RustArgs& args) {
  protocol::CompileFinished done;
  done.retcode = result.exit_code;
  done.signal = result.signal;
  done.stdout_bytes = std::move(result.stdout_bytes);
  done.stderr_bytes = std::move(result.stderr_bytes);
  bool always = std::find(args.hashed_args.begin(), args.hashed_args.end(), "--color=always") !=
                args.hashed_args.end();
  done.color_mode = always ? protocol::ColorMode::on : protocol::ColorMode::off;
  return done;
}

class RustCompile final : public FamilyCompile {
 public:
  RustCompile(Service& service, protocol::Compile request, Rustc rustc, rs::RustArgs args)
      : m_service(service),
        m_request(std::move(request)),
        m_rustc(std::move(rustc)),
        m_args(std::move(args)),
        m_out_dir(absolute_in(m_request.cwd, m_args.out_dir)),
        m_outputs(rs::output_files(m_args)) {
    // (Not cargo's jobserver: its descriptors are the client's, not ours, and rustc would warn.)
    for (const auto& [name, value] : m_request.env_vars) {
      if (name != "CARGO_MAKEFLAGS") m_env.push_back(name + "=" + value);
    }
  }

  asio::awaitable<protocol::CompileFinished> serve() override {
    auto& stats = m_service.stats();
    co_await compute_key();
    if (m_key) {
      if (m_request_recache()) {
        stats.add(Counter::forced_recaches);
      } else if (auto hit = co_await lookup()) {
        co_return std::move(*hit);
      }
      stats.add(LanguageCounter::cache_misses, k_stats_language);
    }
    co_return co_await compile();
  }

  bool has_writes() const override { return m_entry.has_value(); }

  asio::awaitable<void> write(std::unique_ptr<Service::WorkGuard> busy) override {
    co_await store_entry(m_service, *m_key, *m_entry);
    busy.reset();
  }

 private:
  bool m_request_recache() const {
    return std::any_of(m_request.env_vars.begin(), m_request.env_vars.end(),
                       [](const auto& v) { return v.first == "SCCACHE_RECACHE"; });
  }

  // rustc itself says what the crate reads: a run that writes only the dep-info (it expands
  // macros, so proc-macros run; it does not type-check or generate code).
  asio::awaitable<void> compute_key() {
    auto scratch = util::TempDir::create("sccache-rust-");
    if (!scratch) co_return;
    auto dep_path = scratch->path() / "dep-info.d";
    exec::ProcessSpec spec{m_request.exe, m_args.dep_info_args, m_request.cwd, m_env, {}};
    spec.args.push_back("--emit=dep-info=" + dep_path.string());
    auto ran = co_await m_service.runner().run(std::move(spec));
    if (!ran || !ran->succeeded()) {
      log::debug("rustc's dep-info run for {} failed: compiling without the cache", m_args.input);
      co_return;
    }
    m_key = co_await exec::offload(m_service.pool(), [&]() -> std::optional<std::string> {
      auto text = util::read_file(dep_path);
      if (!text) return std::nullopt;
      auto info = rs::parse_dep_info(*text);
      if (!info) {
        log::warn("rustc's dep-info for {}: {}", m_args.input, info.error().message);
        return std::nullopt;
      }
      return key_from(*info);
    });
  }

  // Each field is there because it can change what rustc writes or prints.
  std::optional<std::string> key_from(const rs::DepInfo& info) {
    auto& memo = m_service.file_memo();
    hash::Hasher h;
    h.field("recipe", "rust 1");         // the layout of this key
    h.field("rustc", m_rustc.identity);  // the compiler and its sysroot
    // Debug info and metadata name the cwd: it is in the key, as what it becomes under the
    // --remap-path-prefix that covers it (the same in every checkout), if one does.
    if (!remaps_into(h, info)) h.field("cwd", m_request.cwd);
    h.field("input", m_args.input);  // as written: file!() and panics name it
    for (const auto& a : m_args.hashed_args) h.field("arg", a);
    auto digest_of = [&](const fs::path& path) -> std::optional<std::string> {
      auto d = memo.digest(path);
      if (!d) return std::nullopt;
      m_inputs.emplace_back(path, d->stat);
      return d->sha256;
    };
    for (const auto& file : info.files) {  // the crate's sources, as rustc names them
      auto d = digest_of(absolute_in(m_request.cwd, file));
      if (!d) return std::nullopt;
      h.field("source " + file, *d);
    }
    auto externs = m_args.externs;  // their content (metadata, code), not where they are
    std::sort(externs.begin(), externs.end(), [](const auto& a, const auto& b) {
      return std::tie(a.name, a.path) < std::tie(b.name, b.path);
    });
    for (const auto& e : externs) {
      std::string d = "sysroot";
      if (e.path) {
        auto found = digest_of(absolute_in(m_request.cwd, *e.path));
        if (!found) return std::nullopt;
        d = *found;
      }
      h.field("extern " + e.name, d);
    }
    for (const auto& lib : m_args.static_libs) {  // linked into a staticlib or rlib
      auto d = static_lib_digest(lib.name, digest_of);
      if (!d) return std::nullopt;
      h.field("static library " + lib.name, *d);
    }
    if (m_args.target_spec) {
      auto d = digest_of(absolute_in(m_request.cwd, *m_args.target_spec));
      if (!d) return std::nullopt;
      h.field("target spec", *d);
    }
    std::vector<std::pair<std::string, std::string>> env;
    for (const auto& [name, value] : info.env)  // what env! and option_env! read
      env.emplace_back("env-dep " + name, value ? "=" + *value : "unset");
    for (const auto& [name, value] : m_request.env_vars)
      if (env_in_key(name)) env.emplace_back("env " + name, value);
    std::sort(env.begin(), env.end());
    for (const auto& [name, value] : env) h.field(name, value);
    return h.finish_hex();
  }

  // Hashes each --remap-path-prefix by what it does to this compile's paths: one covering the cwd
  // as its result for the cwd ("TO" and what lies below FROM); one covering the input or a file of
  // the crate as written; one covering none of them changes nothing and is left out (a checkout's
  // own remap then does not split the keys of registry crates). True if one covered the cwd.
  bool remaps_into(hash::Hasher& h, const rs::DepInfo& info) {
    bool cwd_covered = false;
    for (const auto& [from, to] : m_args.remaps) {
      if (auto rest = below(m_request.cwd, from)) {
        h.field("remap of the cwd", to + *rest);
        cwd_covered = true;
        continue;
      }
      bool covers = below(absolute_in(m_request.cwd, m_args.input).string(), from).has_value();
      for (std::size_t i = 0; !covers && i < info.files.size(); ++i)
        covers = below(absolute_in(m_request.cwd, info.files[i]).string(), from).has_value();
      if (covers) h.field("remap", from + "=" + to);
    }
    return cwd_covered;
  }

  template <typename Digest>
  std::optional<std::string> static_lib_digest(const std::string& name, Digest& digest_of) {
    for (const auto& dir : m_args.library_dirs) {
      auto path = absolute_in(m_request.cwd, dir) / ("lib" + name + ".a");
      std::error_code ec;
      if (fs::exists(path, ec)) return digest_of(path);
    }
    return std::nullopt;  // not found where we look: not cached
  }

  asio::awaitable<std::optional<protocol::CompileFinished>> lookup() {
    auto start = Clock::now();
    auto found = co_await exec::offload(m_service.pool(), [&] { return replay(); });
    if (!count_lookup(m_service, found, k_stats_language, start)) co_return std::nullopt;
    co_return finished(
        {0, std::nullopt, std::move(found.stdout_bytes), std::move(found.stderr_bytes)}, m_args);
  }

  // rustc writes its outputs whole and renames them; the dep-info names this compile's out-dir.
  LookupResult replay() {
    std::vector<std::string_view> roles;
    for (const auto& [role, name] : m_outputs) roles.push_back(role);
    auto fetched = fetch_entry(m_service.storage(), *m_key, roles);
    if (auto* failed = std::get_if<LookupResult>(&fetched)) return std::move(*failed);
    const auto& entry = std::get<storage::EntryView>(fetched);
    // rustc makes its --out-dir when it is missing (cargo makes it first); so does a hit.
    std::error_code ec;
    fs::create_directories(m_out_dir, ec);
    std::vector<std::string> rewritten;
    rewritten.reserve(m_outputs.size());
    std::vector<OutputToWrite> outputs;
    for (const auto& [role, name] : m_outputs) {
      std::string_view data = entry.find(role)->data;
      if (role == "d")
        data = rewritten.emplace_back(replace_all(data, k_out_dir_marker, m_args.out_dir));
      outputs.push_back({m_out_dir / name, util::OutputWrite::replace, data});
    }
    auto result = write_outputs(outputs);
    if (result.status == LookupStatus::hit) {
      result.stdout_bytes = entry.stdout_bytes();
      result.stderr_bytes = replace_all(entry.stderr_bytes(), k_out_dir_marker, m_args.out_dir);
    }
    return result;
  }

  asio::awaitable<protocol::CompileFinished> compile() {
    auto& stats = m_service.stats();
    exec::ProcessSpec spec{m_request.exe, m_request.args, m_request.cwd, m_env, {}};
    auto start = Clock::now();
    auto ran = co_await m_service.runner().run(std::move(spec));
    if (!ran) {
      protocol::CompileFinished failed;
      failed.retcode = 127;
      failed.stderr_bytes = "sccache: cannot run rustc: " + ran.error().message + "\n";
      co_return failed;
    }
    stats.add_time(Timer::compiler, Clock::now() - start);
    if (!ran->succeeded()) {
      stats.add(Counter::compile_fails);
    } else if (m_key) {
      // Read before answering: cargo may go on with the outputs as soon as it has the answer.
      m_entry = co_await exec::offload(m_service.pool(), [&] { return collect(*ran); });
    }
    co_return finished(std::move(*ran), m_args);
  }

  std::optional<storage::CacheEntry> collect(const exec::ProcessResult& ran) {
    // A file written between its hashing and the compile's end: the output belongs to neither
    // version. Its stat as hashed must still hold (inode, size, times to the nanosecond). (Not a
    // file-clock test, as for C: an extern was written by the compile cargo ran just before.)
    for (const auto& [path, hashed] : m_inputs) {
      auto st = util::stat_file(path);
      if (!st || !(*st == hashed)) {
        log::info("not caching {}: {} changed during the compile", m_args.input, path.string());
        return std::nullopt;
      }
    }
    storage::CacheEntry entry;
    for (const auto& [role, name] : m_outputs) {
      auto data = util::read_file(m_out_dir / name);
      if (!data) {
        log::warn("rustc succeeded but {} is missing: not cached", (m_out_dir / name).string());
        return std::nullopt;
      }
      entry.files.push_back(
          {role, role == "d" ? replace_all(*data, m_args.out_dir, k_out_dir_marker) : *data});
    }
    entry.stdout_bytes = ran.stdout_bytes;
    entry.stderr_bytes = replace_all(ran.stderr_bytes, m_args.out_dir, k_out_dir_marker);
    return entry;
  }

  Service& m_service;
  protocol::Compile m_request;
  Rustc m_rustc;
  rs::RustArgs m_args;
  fs::path m_out_dir;
  std::vector<std::pair<std::string, std::string>> m_outputs;  // role, file name in the out-dir
  std::vector<std::string> m_env;
  std::vector<std::pair<fs::path, util::FileStat>> m_inputs;  // every file hashed, as it was
  std::optional<std::string> m_key;
  std::optional<storage::CacheEntry> m_entry;
};

}  // namespace

std::unique_ptr<FamilyCompile> make_rust_compile(Service& service, protocol::Compile request,
                                                 Rustc rustc, rs::RustArgs args) {
  return std::make_unique<RustCompile>(service, std::move(request), std::move(rustc),
                                       std::move(args));
}

}  // namespace sccache::server::rust
