#include "server/rust/rust_compile.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "compiler/rust/dep_info.hpp"
#include "exec/jobserver.hpp"
#include "exec/offload.hpp"
#include "server/cache_lookup.hpp"
#include "server/family_steps.hpp"
#include "server/file_settle.hpp"
#include "server/manifest_store.hpp"
#include "server/rust/rust_key.hpp"
#include "storage/cache_entry.hpp"
#include "util/file_clock.hpp"
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

using util::absolute_in;

bool below(const fs::path& path, const fs::path& dir) {
  auto rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
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
  RustCompile(Service& service, protocol::Compile request, Rustc rustc, rs::RustArgs args,
              std::optional<std::string> linker)
      : m_service(service),
        m_request(std::move(request)),
        m_rustc(std::move(rustc)),
        m_args(std::move(args)),
        m_linker(std::move(linker)),
        m_out_dir(absolute_in(m_request.cwd, m_args.out_dir).lexically_normal()),
        m_outputs(rs::output_files(m_args)) {
    for (const auto& [name, value] : m_request.env_vars) {
      if (name == "CARGO_MAKEFLAGS") {
        m_makeflags = value;  // (see rustc_spec)
      } else {
        m_env.push_back(name + "=" + value);
      }
    }
  }

  asio::awaitable<protocol::CompileFinished> serve() override {
    auto& stats = m_service.stats();
    m_manifest_key = co_await exec::offload(
        m_service.pool(), [&] { return manifest_key(context(), m_service.file_memo(), m_hashed); });
    if (m_manifest_key) {
      if (recache_requested()) {
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
    co_await store_entry(m_service, m_result_key, *m_entry);
    auto updated = co_await exec::offload(m_service.pool(), [&] { return update_manifest(); });
    if (updated) {
      m_service.stats().add(stats::ExtraCounter::manifest_updates);
    } else {
      m_service.stats().add_manifest_not_recorded("the manifest could not be written");
      log::warn("cache write of the Rust manifest {} failed: {}", *m_manifest_key,
                updated.error().message);
    }
    busy.reset();
  }

 private:
  KeyContext context() const { return {m_rustc, m_args, m_request, m_linker}; }

  bool recache_requested() const {
    return std::any_of(m_request.env_vars.begin(), m_request.env_vars.end(),
                       [](const auto& v) { return v.first == "SCCACHE_RECACHE"; });
  }

  std::optional<std::string> env_value(const std::string& name) const {
    for (const auto& [n, v] : m_request.env_vars)
      if (n == name) return v;
    return std::nullopt;
  }

  util::Result<std::optional<rs::Manifest>> read_rust_manifest() {
    std::optional<rs::Manifest> manifest;
    auto read = read_manifest(m_service.storage(), *m_manifest_key,
                              [&](std::string_view bytes) -> util::Result<void> {
                                auto decoded = rs::decode_manifest(bytes);
                                if (!decoded) return tl::make_unexpected(decoded.error());
                                manifest = std::move(*decoded);
                                return {};
                              });
    if (!read) return tl::make_unexpected(read.error());
    return manifest;
  }

  // Direct mode: the first earlier result whose sources, variables and link inputs all still
  // hold gives the key; no rustc run.
  asio::awaitable<std::optional<protocol::CompileFinished>> lookup() {
    auto start = Clock::now();
    auto found = co_await exec::offload(m_service.pool(), [&]() -> LookupResult {
      auto manifest = read_rust_manifest();
      if (!manifest) return {LookupStatus::read_error, {}, {}, manifest.error().message};
      if (!*manifest) {
        log::debug("direct mode: {}: no manifest {}", m_args.input, *m_manifest_key);
        return {};
      }
      auto env = [&](const std::string& name) { return env_value(name); };
      for (const auto& result : (*manifest)->results) {
        std::string differs;
        if (!rs::still_matches(result, m_request.cwd, m_args.dependency_dirs, env,
                               m_service.file_memo(), &differs)) {
          log::debug("direct mode: {}: {} differs from an earlier compile's", m_args.input,
                     differs);
          continue;
        }
        return replay(result_key(*m_manifest_key, result, context()));
      }
      return {};
    });
    if (!count_lookup(m_service, found, k_stats_language, start)) co_return std::nullopt;
    m_service.stats().add(stats::ExtraCounter::direct_hits);  // (every Rust hit is one)
    co_return finished(
        {0, std::nullopt, std::move(found.stdout_bytes), std::move(found.stderr_bytes)}, m_args);
  }

  // rustc writes its outputs whole and renames them; the dep-info names this compile's out-dir.
  LookupResult replay(const std::string& key) {
    std::vector<std::string_view> roles;
    for (const auto& [role, name] : m_outputs) roles.push_back(role);
    auto fetched = fetch_entry(m_service.storage(), key, roles);
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
      bool program = role == "bin" || role == "so";
      outputs.push_back(
          {m_out_dir / name,
           program ? util::OutputWrite::replace_executable : util::OutputWrite::replace, data});
    }
    auto result = write_outputs(outputs);
    if (result.status == LookupStatus::hit) {
      result.stdout_bytes = entry.stdout_bytes();
      result.stderr_bytes = replace_all(entry.stderr_bytes(), k_out_dir_marker, m_args.out_dir);
    }
    return result;
  }

  // rustc as asked — but for a linked crate the linker's list of what it read (no change to what
  // it writes) — then, unless cargo asked for the dep-info (it always does), a run that writes
  // only that: an --emit of dep-info added to the compile would change the rlib.
  // Cargo's jobserver is the client's: reopened for rustc (its descriptors 3 and 4), so that its
  // codegen threads share cargo's tokens as they do without a cache; else dropped (rustc would
  // warn of descriptors it does not have).
  exec::ProcessSpec rustc_spec() {
    exec::ProcessSpec spec{m_request.exe, m_request.args, m_request.cwd, m_env, {}};
    if (m_makeflags && !m_jobserver)
      m_jobserver = exec::open_client_jobserver(m_request.peer_pid, *m_makeflags);
    if (m_jobserver) {
      spec.pass_fds = {m_jobserver->read.get(), m_jobserver->write.get()};
      spec.env.push_back("CARGO_MAKEFLAGS=" + exec::with_jobserver_fds(*m_makeflags, 3, 4));
    }
    return spec;
  }

  asio::awaitable<protocol::CompileFinished> compile() {
    auto& stats = m_service.stats();
    auto spec = rustc_spec();
    // Without cargo's jobserver (rustc run by hand or by another tool), one of the server's slots.
    std::optional<CompileSlots::Slot> slot;
    if (m_jobserver) {
      stats.add(stats::ExtraCounter::jobserver_compiles);
    } else {
      slot.emplace(co_await m_service.compile_slots().acquire(
          [&stats] { stats.add(stats::ExtraCounter::slot_waits); }));
    }
    std::optional<util::TempDir> scratch;
    if (m_manifest_key) {
      auto made = util::TempDir::create("sccache-rust-");
      if (made) scratch.emplace(std::move(*made));
    }
    if (scratch && m_linker) {
      spec.args.push_back("-C");
      spec.args.push_back("link-arg=-Wl,--dependency-file=" +
                          (scratch->path() / "link.d").string());
    }
    // What rustc reads is hashed after it: files written up to now must be provably older than
    // the reading the manifest trusts them by (a tick of the file clock, a few ms, on a miss).
    co_await wait_until_clock_passes(util::file_clock_now_ns());
    m_started_ns = util::file_clock_now_ns();
    auto start = Clock::now();
    auto ran = co_await m_service.runner().run(spec);
    if (ran && !ran->succeeded() && scratch && m_linker &&
        ran->stderr_bytes.find("dependency-file") != std::string::npos) {
      // A linker without --dependency-file: the compile as asked, not cached.
      log::info("the linker of {} cannot list its inputs: not caching", m_args.input);
      scratch.reset();
      ran = co_await m_service.runner().run(rustc_spec());
    }
    m_jobserver.reset();  // (none of the client's descriptors held past its compile)
    if (!ran) {
      protocol::CompileFinished failed;
      failed.retcode = 127;
      failed.stderr_bytes = "sccache: cannot run rustc: " + ran.error().message + "\n";
      co_return failed;
    }
    stats.add_time(Timer::compiler, Clock::now() - start);
    if (!ran->succeeded()) {
      stats.add(Counter::compile_fails);
    } else if (scratch && (m_args.emit_dep_info || co_await dep_info_run(scratch->path()))) {
      // Read before answering: cargo may go on with the outputs as soon as it has the answer.
      m_entry = co_await exec::offload(m_service.pool(), [&] { return collect(*ran, *scratch); });
    }
    co_return finished(std::move(*ran), m_args);
  }

  // rustc writing only the dep-info, into `scratch`; false (counted) when it cannot.
  asio::awaitable<bool> dep_info_run(const fs::path& scratch) {
    exec::ProcessSpec spec{m_request.exe, m_args.dep_info_args, m_request.cwd, m_env, {}};
    spec.args.push_back("--emit=dep-info=" + (scratch / "dep-info.d").string());
    auto ran = co_await m_service.runner().run(std::move(spec));
    if (ran && ran->succeeded()) co_return true;
    log::info("not caching {}: rustc's dep-info run failed", m_args.input);
    m_service.stats().add_manifest_not_recorded("rustc wrote no dep-info");
    co_return false;
  }

  std::optional<storage::CacheEntry> collect(const exec::ProcessResult& ran,
                                             const util::TempDir& scratch) {
    // Each reason is a counter under "manifest not recorded" (stats), the file in the log.
    auto refuse = [&](std::string_view reason,
                      const std::string& detail) -> std::optional<storage::CacheEntry> {
      log::info("not caching {}: {} ({})", m_args.input, reason, detail);
      m_service.stats().add_manifest_not_recorded(std::string(reason));
      return std::nullopt;
    };
    constexpr std::string_view changed = "a file changed during the compile";
    // A file hashed before the compile and written before its end: the output belongs to
    // neither version. Its stat as hashed must still hold (inode, size, times to the nanosecond).
    for (const auto& [path, hashed] : m_hashed) {
      auto st = util::stat_file(path);
      if (!st || !(*st == hashed)) return refuse(changed, path.string());
    }
    auto dep_path = m_args.emit_dep_info
                        ? m_out_dir / (m_args.crate_name + m_args.extra_filename + ".d")
                        : scratch.path() / "dep-info.d";
    auto text = util::read_file(dep_path);
    if (!text) return refuse("rustc wrote no dep-info", dep_path.string());
    auto info = rs::parse_dep_info(*text);
    if (!info) return refuse("rustc's dep-info could not be read", info.error().message);
    rs::ManifestResult result;
    auto& memo = m_service.file_memo();
    // What the compile read is hashed after it: only files its start proves older are vouched for.
    auto digest_read = [&](const fs::path& path) -> std::optional<std::string> {
      auto d = memo.digest(path);
      if (!d || !util::written_before(d->stat, m_started_ns)) return std::nullopt;
      return d->sha256;
    };
    for (const auto& file : info->files) {
      auto d = digest_read(absolute_in(m_request.cwd, file));
      if (!d) return refuse(changed, file);
      result.sources.emplace_back(file, *d);
    }
    result.env = info->env;
    if (m_linker) {
      auto inputs = link_inputs(scratch.path() / "link.d", scratch.path());
      if (!inputs) return refuse("the linker listed no inputs", m_args.input);
      for (const auto& [name, path] : *inputs) {
        auto d = digest_read(path);
        if (!d) return refuse(changed, path.string());
        result.link_inputs.emplace_back(name, *d);
      }
    }
    result.absent = rs::module_twins(info->files);
    m_result_key = result_key(*m_manifest_key, result, context());
    m_result = std::move(result);
    storage::CacheEntry entry;
    for (const auto& [role, name] : m_outputs) {
      auto data = util::read_file(m_out_dir / name);
      if (!data) return refuse("an output is missing", (m_out_dir / name).string());
      entry.files.push_back(
          {role, role == "d" ? replace_all(*data, m_args.out_dir, k_out_dir_marker) : *data});
    }
    entry.stdout_bytes = ran.stdout_bytes;
    entry.stderr_bytes = replace_all(ran.stderr_bytes, m_args.out_dir, k_out_dir_marker);
    return entry;
  }

  // The files the linker read, by manifest name, without those the key already covers (the
  // sysroot) or this compile made (its objects, rustc's scratch files in the out-dir).
  std::optional<std::vector<std::pair<std::string, fs::path>>> link_inputs(
      const fs::path& dep_file, const fs::path& scratch) {
    auto text = util::read_file(dep_file);
    if (!text) return std::nullopt;
    auto info = rs::parse_dep_info(*text);
    if (!info) return std::nullopt;
    std::vector<fs::path> dependency_dirs;
    for (const auto& dir : m_args.dependency_dirs)
      dependency_dirs.push_back(absolute_in(m_request.cwd, dir).lexically_normal());
    fs::path sysroot = fs::path(m_rustc.sysroot).lexically_normal();
    std::vector<std::pair<std::string, fs::path>> inputs;
    for (const auto& file : info->files) {
      auto path = absolute_in(m_request.cwd, file).lexically_normal();
      if (below(path, m_out_dir) || below(path, sysroot) || below(path, scratch)) continue;
      std::string name = path.string();
      if (std::find(dependency_dirs.begin(), dependency_dirs.end(), path.parent_path()) !=
          dependency_dirs.end())
        name = std::string(rs::k_dependency_dir) + path.filename().string();
      inputs.emplace_back(std::move(name), std::move(path));
    }
    return inputs;
  }

  util::Result<void> update_manifest() {
    std::lock_guard guard(m_service.manifest_mutex());
    auto read = read_rust_manifest();  // a damaged one is replaced
    auto manifest = read && *read ? std::move(**read) : rs::Manifest{};
    rs::add_result(manifest, std::move(*m_result));
    return write_manifest(m_service.storage(), *m_manifest_key, rs::encode_manifest(manifest),
                          m_service.config().zstd_level);
  }

  Service& m_service;
  protocol::Compile m_request;
  Rustc m_rustc;
  rs::RustArgs m_args;
  std::optional<std::string> m_linker;  // the linker's identity, for a linked crate
  fs::path m_out_dir;
  std::vector<std::pair<std::string, std::string>> m_outputs;  // role, file name in the out-dir
  std::vector<std::string> m_env;
  std::optional<std::string> m_makeflags;      // CARGO_MAKEFLAGS as the client has it
  std::optional<exec::Jobserver> m_jobserver;  // the client's, reopened for rustc
  HashedFiles m_hashed;                        // what the manifest key hashed, as it was
  std::optional<std::string> m_manifest_key;
  std::int64_t m_started_ns = 0;  // the file clock before rustc started
  std::optional<rs::ManifestResult> m_result;
  std::string m_result_key;
  std::optional<storage::CacheEntry> m_entry;
};

}  // namespace

std::unique_ptr<FamilyCompile> make_rust_compile(Service& service, protocol::Compile request,
                                                 Rustc rustc, rs::RustArgs args,
                                                 std::optional<std::string> linker) {
  return std::make_unique<RustCompile>(service, std::move(request), std::move(rustc),
                                       std::move(args), std::move(linker));
}

}  // namespace sccache::server::rust
