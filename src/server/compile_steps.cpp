#include <chrono>

#include "compiler/include_scan.hpp"
#include "compiler/manifest.hpp"
#include "compiler/precompiled.hpp"
#include "exec/offload.hpp"
#include "hash/cache_key.hpp"
#include "server/direct_lookup.hpp"
#include "server/job.hpp"
#include "util/fs.hpp"
#include "util/log.hpp"

namespace sccache::server {

namespace {

using Clock = std::chrono::steady_clock;
using stats::Counter;
using stats::ExtraCounter;
using stats::LanguageCounter;
using stats::Timer;

// Mozilla sccache reports every C-family compile under one language name.
const std::string k_stats_language = "C/C++";

// File times lag the clock by up to a tick: a file written just after the compile started may show
// a time slightly before it. Anything this close to the start is not trusted for a manifest.
constexpr std::chrono::milliseconds k_clock_slack{20};

protocol::CompileFinished spawn_failure(const util::Error& error) {
  protocol::CompileFinished done;
  done.retcode = 127;
  done.stderr_bytes = "sccache: cannot run the compiler: " + error.message + "\n";
  return done;
}

// Counts a lookup's outcome; a hit becomes the compile's answer.
std::optional<protocol::CompileFinished> count_lookup(Job& job, LookupResult found,
                                                      Clock::time_point start, bool direct) {
  auto& stats = job.service.stats();
  if (found.status == LookupStatus::timeout) {
    stats.add(Counter::cache_timeouts);
    log::warn("cache read timed out, compiling: {}", found.error);
    return std::nullopt;
  }
  if (found.status == LookupStatus::read_error) {
    stats.add(Counter::cache_read_errors);
    log::warn("cache read failed, compiling: {}", found.error);
    return std::nullopt;
  }
  if (found.status == LookupStatus::miss) return std::nullopt;
  stats.add(LanguageCounter::cache_hits, k_stats_language);
  stats.add(direct ? ExtraCounter::direct_hits : ExtraCounter::preprocessor_hits);
  stats.add_time(Timer::cache_read_hit, Clock::now() - start);
  exec::ProcessResult replay{0, std::nullopt, std::move(found.stdout_bytes),
                             std::move(found.stderr_bytes)};
  return finished_from(std::move(replay), job.args.color);
}

}  // namespace

protocol::CompileFinished finished_from(exec::ProcessResult result, compiler::ColorChoice color) {
  protocol::CompileFinished done;
  done.retcode = result.exit_code;
  done.signal = result.signal;
  done.stdout_bytes = std::move(result.stdout_bytes);
  done.stderr_bytes = std::move(result.stderr_bytes);
  done.color_mode = color == compiler::ColorChoice::always  ? protocol::ColorMode::on
                    : color == compiler::ColorChoice::never ? protocol::ColorMode::off
                                                            : protocol::ColorMode::automatic;
  return done;
}

asio::awaitable<std::optional<protocol::CompileFinished>> lookup_direct(Job& job) {
  auto& service = job.service;
  auto start = Clock::now();
  // One trip to the thread pool for the whole hit path: key, manifest, checks, replay.
  auto found = co_await exec::offload(service.pool(), [&]() -> std::optional<LookupResult> {
    DirectRequest request{&job.compiler, &job.args, job.request.cwd, job.key_env};
    job.manifest_key = direct_key(request, service.file_memo());
    if (!job.manifest_key || job.recache) return std::nullopt;
    auto key = find_in_manifest(service.storage(), service.manifests(), *job.manifest_key,
                                service.file_memo());
    if (!key) return std::nullopt;
    return fetch_and_replay(service.storage(), *key, job.paths);
  });
  if (!job.manifest_key) job.direct = false;
  if (!found || found->status == LookupStatus::miss) co_return std::nullopt;
  co_return count_lookup(job, std::move(*found), start, true);
}

asio::awaitable<void> preprocess_and_key(Job& job) {
  std::string text;
  if (compiler::needs_preprocessing(job.args.language)) {
    exec::ProcessSpec spec{
        job.request.exe, job.args.preprocessor_args, job.request.cwd, job.env, {}};
    if (job.direct) spec.args.push_back("-v");  // prints the include search list on stderr
    spec.args.push_back("-E");
    spec.args.push_back(job.args.input);
    auto ran = co_await job.service.runner().run(std::move(spec));
    if (!ran || !ran->succeeded()) co_return;
    job.preprocessed = std::move(ran->stdout_bytes);
    job.preprocessor_stderr = std::move(ran->stderr_bytes);
  } else {
    std::filesystem::path input(job.args.input);
    if (input.is_relative()) input = std::filesystem::path(job.request.cwd) / input;
    auto content =
        co_await exec::offload(job.service.pool(), [&] { return util::read_file(input); });
    if (!content) co_return;
    job.preprocessed = job.args.input + "\n" + *content;  // the name reaches the object
  }
  job.key = co_await exec::offload(job.service.pool(), [&]() -> std::optional<std::string> {
    // Files the compile reads that the preprocessed text does not show (profiles, ignore lists).
    auto env = job.key_env;
    for (const auto& extra : job.args.extra_hashed_files) {
      std::filesystem::path path(extra);
      if (path.is_relative()) path = std::filesystem::path(job.request.cwd) / path;
      auto digest = job.service.file_memo().digest(path);
      if (!digest) return std::nullopt;  // unreadable: compile without caching
      env.emplace_back("extra-file:" + extra, digest->sha256);
    }
    job.included = compiler::files_in_line_markers(job.preprocessed);
    auto pch = compiler::find_precompiled_headers(
        {job.request.cwd, compiler::forced_includes(job.args.preprocessor_args), job.included,
         compiler::search_dirs_from_verbose(job.preprocessor_stderr)},
        job.service.file_memo());
    if (!pch) return std::nullopt;
    for (const auto& [path, sha] : pch->present) env.emplace_back("precompiled:" + path, sha);
    hash::KeyInputs inputs;
    inputs.compiler_identity = job.compiler.identity;
    inputs.language = compiler::key_name(job.args.language);
    inputs.hashed_args = &job.args.hashed_args;
    inputs.preprocessed = job.preprocessed;
    inputs.working_dir =
        job.args.debug_info ? std::string_view(job.request.cwd) : std::string_view();
    inputs.env = env;
    return hash::compute_cache_key(inputs);
  });
}

asio::awaitable<std::optional<protocol::CompileFinished>> lookup(Job& job, const std::string& key) {
  auto start = Clock::now();
  auto found = co_await exec::offload(
      job.service.pool(), [&] { return fetch_and_replay(job.service.storage(), key, job.paths); });
  co_return count_lookup(job, std::move(found), start, false);
}

asio::awaitable<protocol::CompileFinished> compile(Job& job, PendingWrites& writes) {
  auto& stats = job.service.stats();
  exec::ProcessSpec spec{job.request.exe, job.request.args, job.request.cwd, job.env, {}};
  auto start = Clock::now();
  auto ran = co_await job.service.runner().run(std::move(spec));
  if (!ran) co_return spawn_failure(ran.error());
  stats.add_time(Timer::compiler, Clock::now() - start);
  if (!ran->succeeded()) {
    stats.add(Counter::compile_fails);
    co_return finished_from(std::move(*ran), job.args.color);
  }
  if (job.key) {
    // Read before answering: the build may change the outputs as soon as it has the answer.
    writes.entry = co_await exec::offload(job.service.pool(), [&] {
      return collect_outputs(job.paths, ran->stdout_bytes, ran->stderr_bytes);
    });
    writes.update_manifest = writes.entry && job.direct;
  }
  co_return finished_from(std::move(*ran), job.args.color);
}

namespace {

void record_manifest(Job& job) {
  compiler::RecordInputs in;
  in.cwd = job.request.cwd;
  in.files = std::move(job.included);
  in.forced_includes = compiler::forced_includes(job.args.preprocessor_args);
  in.search_dirs = compiler::search_dirs_from_verbose(job.preprocessor_stderr);
  in.changed_before_ns =
      job.started_ns - std::chrono::duration_cast<std::chrono::nanoseconds>(k_clock_slack).count();
  auto result = compiler::record_result(*job.key, in, job.service.file_memo());
  if (!result) {
    log::debug("direct mode cannot vouch for {}: no manifest entry", job.args.input);
    return;
  }
  auto& service = job.service;
  auto updated =
      update_manifest(service.storage(), service.manifests(), *job.manifest_key, std::move(*result),
                      service.config().zstd_level, service.manifest_mutex());
  if (!updated) log::warn("manifest update failed: {}", updated.error().message);
}

}  // namespace

asio::awaitable<void> write_after_answer(
    Job job, PendingWrites writes, [[maybe_unused]] std::unique_ptr<Service::WorkGuard> busy) {
  auto& service = job.service;
  if (writes.entry) {
    auto start = Clock::now();
    int level = service.config().zstd_level;
    auto put = co_await exec::offload(service.pool(), [&] {
      return service.storage().put(*job.key, storage::encode_entry(*writes.entry, level));
    });
    if (put) {
      service.stats().add(Counter::cache_writes);
      service.stats().add_time(Timer::cache_write, Clock::now() - start);
    } else {
      service.stats().add(Counter::cache_write_errors);
      log::warn("cache write of {} failed: {}", *job.key, put.error().message);
    }
  }
  if (writes.update_manifest && job.manifest_key && job.key) {
    co_await exec::offload(service.pool(), [&] { record_manifest(job); });
  }
}

}  // namespace sccache::server
