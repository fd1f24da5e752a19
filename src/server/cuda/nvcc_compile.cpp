#include "server/cuda/nvcc_compile.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "compiler/c_family/manifest.hpp"
#include "compiler/cuda/direct_mode.hpp"
#include "compiler/cuda/env_flags.hpp"
#include "exec/offload.hpp"
#include "server/c_family/direct_lookup.hpp"
#include "server/cache_lookup.hpp"
#include "server/compiler_run.hpp"
#include "server/cuda/nvcc_direct.hpp"
#include "server/cuda/nvcc_key.hpp"
#include "server/cuda/nvcc_preprocess.hpp"
#include "server/family_steps.hpp"
#include "server/file_settle.hpp"
#include "storage/cache_entry.hpp"
#include "util/file_clock.hpp"
#include "util/log.hpp"

namespace sccache::server::cuda {

namespace {

namespace fs = std::filesystem;
namespace cu = compiler::cuda;
namespace cc = compiler::c_family;
using Clock = std::chrono::steady_clock;
using stats::Counter;
using stats::ExtraCounter;
using stats::LanguageCounter;
using stats::Timer;

const std::string k_stats_language = "CUDA";  // Mozilla's name

using util::absolute_in;

// As a manifest names a file (compiler::c_family::record_result).
std::string manifest_path(const std::string& cwd, const std::string& path) {
  fs::path p(path);
  return p.is_absolute() ? path : (fs::path(cwd) / p).lexically_normal().string();
}

bool is_env_flags(std::string_view name) {
  return name == cu::k_prepend_flags || name == cu::k_append_flags;
}

protocol::CompileFinished finished(exec::ProcessResult result) {
  protocol::CompileFinished done;
  done.retcode = result.exit_code;
  done.signal = result.signal;
  done.stdout_bytes = std::move(result.stdout_bytes);
  done.stderr_bytes = std::move(result.stderr_bytes);
  // As nvcc wrote it (to a pipe: coloured only where forced, -Xcompiler -fdiagnostics-color):
  // the client must not strip what a forced colour put there.
  done.color_mode = protocol::ColorMode::on;
  return done;
}

// "NAME=value" entries: `base` with `overrides` set on top (the last of a name counts).
std::vector<std::string> with_overrides(const EnvPairs& base, const EnvPairs& overrides) {
  EnvPairs merged;
  auto set = [&](const std::string& name, const std::string& value) {
    for (auto& [n, v] : merged) {
      if (n == name) {
        v = value;
        return;
      }
    }
    merged.emplace_back(name, value);
  };
  for (const auto& [n, v] : base) set(n, v);
  for (const auto& [n, v] : overrides) set(n, v);
  std::vector<std::string> env;
  env.reserve(merged.size());
  for (const auto& [n, v] : merged) env.push_back(n + "=" + v);
  return env;
}

// Whether `hashed` holds every tool `plan` runs: only then does the direct key vouch for them.
bool covers(const std::set<Tool>& hashed, const std::optional<std::set<Tool>>& run) {
  return run && std::includes(hashed.begin(), hashed.end(), run->begin(), run->end());
}

class NvccCompile final : public FamilyCompile {
 public:
  NvccCompile(Service& service, ToolchainMemo& toolchains, protocol::Compile request, Nvcc nvcc,
              cu::NvccArgs args, bool direct)
      : m_service(service),
        m_toolchains(toolchains),
        m_request(std::move(request)),
        m_nvcc(std::move(nvcc)),
        m_args(std::move(args)),
        m_direct(direct) {
    // The dryrun and the preprocesses run without the variables: their words are in the
    // arguments already, and nvcc would apply them twice.
    for (const auto& v : m_request.env_vars) {
      if (!is_env_flags(v.first)) m_plain_env.push_back(v);
    }
    m_outputs.emplace_back("obj", absolute_in(m_request.cwd, m_args.output));
    if (m_args.dep_file) m_outputs.emplace_back("d", absolute_in(m_request.cwd, *m_args.dep_file));
  }

  // Direct mode: the manifest key, the manifest, the entry — one trip to the thread pool.
  asio::awaitable<std::optional<protocol::CompileFinished>> lookup_at_once() override {
    if (!m_direct) co_return std::nullopt;
    auto start = Clock::now();
    auto found = co_await exec::offload(m_service.pool(), [&] { return lookup_direct(); });
    if (!found || !count_lookup(m_service, *found, k_stats_language, start)) co_return std::nullopt;
    m_service.stats().add(ExtraCounter::direct_hits);
    co_return finished(
        {0, std::nullopt, std::move(found->stdout_bytes), std::move(found->stderr_bytes)});
  }

  asio::awaitable<protocol::CompileFinished> serve() override {
    auto& stats = m_service.stats();
    if (m_direct) {  // so that a source written just before can be vouched for
      auto st = m_manifest_key ? m_input_digest.stat
                               : util::stat_file(absolute_in(m_request.cwd, m_args.input))
                                     .value_or(util::FileStat{});
      co_await wait_until_settled(st);
    }
    m_since_ns = util::file_clock_now_ns();
    co_await compute_key();
    if (m_key) {
      if (recache_requested()) {
        stats.add(Counter::forced_recaches);
      } else if (auto hit = co_await lookup()) {
        m_record = m_direct && m_manifest_key;  // next time, without nvcc
        co_return std::move(*hit);
      }
      stats.add(LanguageCounter::cache_misses, k_stats_language);
    }
    co_return co_await compile();
  }

  bool has_writes() const override { return m_entry.has_value() || m_record; }

  asio::awaitable<void> write(std::unique_ptr<Service::WorkGuard> busy) override {
    if (m_entry) co_await store_entry(m_service, *m_key, *m_entry);
    if (m_record) co_await exec::offload(m_service.pool(), [&] { record_manifest(); });
    busy.reset();
  }

 private:
  bool recache_requested() const {
    return std::any_of(m_request.env_vars.begin(), m_request.env_vars.end(),
                       [](const auto& v) { return v.first == "SCCACHE_RECACHE"; });
  }

  ToolchainQuery toolchain_query() const {
    return {m_request.exe, m_nvcc.identity, m_args.host_compiler.value_or(""), &m_request.env_vars,
            m_request.cwd};
  }

  void not_recorded(std::string_view reason, const std::string& file) {
    log::debug("direct mode cannot vouch for {}: {}: {}", m_args.input, reason, file);
    m_service.stats().add_manifest_not_recorded(std::string(reason));
  }

  // The manifest key, when the toolchain is known (a plan of it was seen). Blocking.
  bool compute_direct_key() {
    auto chain = m_toolchains.current(toolchain_query(), m_service.file_memo());
    if (!chain) return false;
    auto key = nvcc_direct_key({m_args, m_request, *chain}, m_service.file_memo());
    if (!key) {
      not_recorded(cc::describe(key.error().reason), key.error().file);
      m_direct = false;
      return false;
    }
    m_toolchain = std::move(*chain);
    m_manifest_key = std::move(key->key);
    m_input_digest = std::move(key->input);
    return true;
  }

  // nullopt: no manifest result applies (or a recache); else the lookup's outcome. Blocking.
  std::optional<LookupResult> lookup_direct() {
    if (!compute_direct_key() || recache_requested()) return std::nullopt;
    auto& s = m_service;
    auto found =
        c_family::find_in_manifest(s.storage(), s.manifests(), *m_manifest_key, s.file_memo());
    if (!found) return LookupResult{LookupStatus::read_error, {}, {}, found.error().message};
    if (!*found) return std::nullopt;
    m_key = std::move(**found);
    auto result = replay();
    if (result.status == LookupStatus::miss) return std::nullopt;  // (evicted: the full path)
    return result;
  }

  // Any step failing leaves no key: nvcc then compiles uncached and says what is wrong.
  asio::awaitable<void> compute_key() {
    m_key.reset();
    auto plan = co_await run_dryrun(m_service, m_request.exe, m_args, m_request.cwd, m_plain_env);
    if (!plan) {
      log::debug("nvcc's dryrun for {} failed: compiling without the cache", m_args.input);
      co_return;
    }
    auto path = plan_path(*plan, m_plain_env);
    auto env = with_overrides(m_plain_env, plan->env);  // what nvcc's steps run with
    auto steps = cu::preprocess_steps(*plan);
    if (steps.empty()) co_return;  // (no preprocess: nothing to key on)
    auto runs = co_await run_preprocesses(m_service, steps, path, m_request.cwd, env, m_direct);
    if (!runs) {
      log::debug("a preprocess of {} failed: compiling without the cache", m_args.input);
      co_return;
    }
    m_key = co_await exec::offload(m_service.pool(), [&]() -> std::optional<std::string> {
      auto files = cu::files_in_all(runs->texts);
      note_inputs(files);
      if (m_direct) prepare_record(*plan, path, steps.front()->argv, std::move(files), *runs);
      KeyInputs in{m_nvcc, m_args, m_request, *plan, path, runs->texts};
      return nvcc_key(in, m_service.file_memo());
    });
  }

  // What the manifest update after the answer will need, or why there will be none. Blocking.
  void prepare_record(const cu::Dryrun& plan, const std::string& path,
                      const std::vector<std::string>& host_argv,
                      std::vector<cc::IncludedFile> files, const PreprocessRuns& runs) {
    m_toolchains.learn(toolchain_query(), plan, path);
    if (!m_manifest_key && !compute_direct_key()) return;  // (a new toolchain: known now)
    if (!covers(m_toolchain.tools, plan_tools(plan, path, m_request.cwd))) {
      m_refusal = "nvcc ran a tool its direct key did not hash";
      return;
    }
    auto now = util::stat_file(absolute_in(m_request.cwd, m_args.input));
    std::optional<std::pair<std::string, hash::FileDigest>> source;
    if (now && *now == m_input_digest.stat)  // what the key hashed is what the passes read
      source.emplace(manifest_path(m_request.cwd, m_args.input), m_input_digest);
    auto inputs = manifest_inputs(
        {m_request.cwd, std::move(files), runs.verbose, host_argv, m_since_ns, std::move(source)});
    if (!inputs) {
      m_refusal = std::move(inputs.error());
      return;
    }
    m_record_inputs = std::move(*inputs);
  }

  // The files the preprocessed texts name (and the input): the guard of collect().
  void note_inputs(const std::vector<cc::IncludedFile>& files) {
    m_inputs.push_back(absolute_in(m_request.cwd, m_args.input));
    for (const auto& file : files) m_inputs.push_back(absolute_in(m_request.cwd, file.path));
  }

  // After the answer: this compile's key added to the manifest. Blocking.
  void record_manifest() {
    if (!m_record_inputs) {
      if (!m_refusal.empty()) not_recorded(m_refusal, m_args.input);
      return;
    }
    auto& s = m_service;
    auto result = cc::record_result(*m_key, *m_record_inputs, s.file_memo());
    if (!result) return not_recorded(cc::describe(result.error().reason), result.error().file);
    auto updated =
        c_family::update_manifest(s.storage(), s.manifests(), *m_manifest_key, std::move(*result),
                                  s.config().zstd_level, s.manifest_mutex());
    if (!updated) {
      log::warn("manifest update failed: {}", updated.error().message);
      return not_recorded("the manifest could not be written", *m_manifest_key);
    }
    s.stats().add(ExtraCounter::manifest_updates);
  }

  asio::awaitable<std::optional<protocol::CompileFinished>> lookup() {
    auto start = Clock::now();
    auto found = co_await exec::offload(m_service.pool(), [&] { return replay(); });
    if (!count_lookup(m_service, found, k_stats_language, start)) co_return std::nullopt;
    m_service.stats().add(ExtraCounter::preprocessor_hits);
    co_return finished(
        {0, std::nullopt, std::move(found.stdout_bytes), std::move(found.stderr_bytes)});
  }

  // The object as a new file renamed over the old (gcc's `as` does the same), the .d in place.
  // The key holds the cwd, the output, the .d's path and target: the stored .d is this one's.
  LookupResult replay() {
    std::vector<std::string_view> roles;
    for (const auto& [role, path] : m_outputs) roles.push_back(role);
    auto fetched = fetch_entry(m_service.storage(), *m_key, roles);
    if (auto* failed = std::get_if<LookupResult>(&fetched)) return std::move(*failed);
    const auto& entry = std::get<storage::EntryView>(fetched);
    std::vector<OutputToWrite> outputs;
    for (const auto& [role, path] : m_outputs) {
      auto how = role == "obj" ? util::OutputWrite::replace : util::OutputWrite::in_place;
      outputs.push_back({path, how, entry.find(role)->data});
    }
    auto result = write_outputs(outputs);
    if (result.status == LookupStatus::hit) {
      result.stdout_bytes = entry.stdout_bytes();
      result.stderr_bytes = entry.stderr_bytes();
    }
    return result;
  }

  asio::awaitable<protocol::CompileFinished> compile() {
    auto& stats = m_service.stats();
    std::vector<std::string> env;
    for (const auto& [name, value] : m_request.env_vars) env.push_back(name + "=" + value);
    exec::ProcessSpec spec{m_request.exe, m_request.args, m_request.cwd, std::move(env), {}};
    auto start = Clock::now();
    auto ran = co_await run_compiler(m_service, m_request.peer_pid, std::move(spec));
    if (!ran) {
      protocol::CompileFinished failed;
      failed.retcode = 127;
      failed.stderr_bytes = "sccache: cannot run nvcc: " + ran.error().message + "\n";
      co_return failed;
    }
    stats.add_time(Timer::compiler, Clock::now() - start);
    if (!ran->succeeded()) {
      stats.add(Counter::compile_fails);
    } else if (m_key) {
      m_entry = co_await exec::offload(m_service.pool(), [&] { return collect(*ran); });
      m_record = m_entry && m_direct && m_manifest_key;
    }
    co_return finished(std::move(*ran));
  }

  std::optional<storage::CacheEntry> collect(const exec::ProcessResult& ran) {
    // A file written since the preprocesses started: the output may belong to neither version.
    for (const auto& path : m_inputs) {
      auto st = util::stat_file(path.string());
      if (!st || !util::written_before(*st, m_since_ns)) {
        log::info("not caching {}: {} changed during the compile", m_args.input, path.string());
        if (m_direct && m_manifest_key)
          not_recorded(cc::describe(cc::NotRecordedReason::file_changed), path.string());
        return std::nullopt;
      }
    }
    storage::CacheEntry entry;
    for (const auto& [role, path] : m_outputs) {
      auto data = util::read_file(path);
      if (!data) {
        log::warn("nvcc succeeded but {} is missing: not cached", path.string());
        return std::nullopt;
      }
      entry.files.push_back({role, std::move(*data)});
    }
    entry.stdout_bytes = ran.stdout_bytes;
    entry.stderr_bytes = ran.stderr_bytes;
    return entry;
  }

  Service& m_service;
  ToolchainMemo& m_toolchains;
  protocol::Compile m_request;
  Nvcc m_nvcc;
  cu::NvccArgs m_args;
  bool m_direct;                                            // direct mode applies
  EnvPairs m_plain_env;                                     // less NVCC_*_FLAGS
  std::vector<std::pair<std::string, fs::path>> m_outputs;  // role, absolute path
  std::vector<fs::path> m_inputs;  // the input and every file the preprocesses named
  std::int64_t m_since_ns = 0;     // file clock before the dryrun
  std::optional<std::string> m_key;
  std::optional<storage::CacheEntry> m_entry;
  // Direct mode: the manifest key and what went into it; what the update after the answer needs
  // (or why there is none).
  std::optional<std::string> m_manifest_key;
  Toolchain m_toolchain;
  hash::FileDigest m_input_digest;
  std::optional<cc::RecordInputs> m_record_inputs;
  std::string m_refusal;  // the stats key of why not, when m_record_inputs is empty
  bool m_record = false;  // update the manifest after the answer
};

}  // namespace

std::unique_ptr<FamilyCompile> make_nvcc_compile(Service& service, ToolchainMemo& toolchains,
                                                 protocol::Compile request, Nvcc nvcc,
                                                 cu::NvccArgs args, bool direct) {
  return std::make_unique<NvccCompile>(service, toolchains, std::move(request), std::move(nvcc),
                                       std::move(args), direct);
}

}  // namespace sccache::server::cuda
