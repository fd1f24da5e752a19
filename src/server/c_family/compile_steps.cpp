#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <chrono>

#include "compiler/c_family/base_dir.hpp"
#include "compiler/c_family/diagnostics_color.hpp"
#include "compiler/c_family/include_scan.hpp"
#include "compiler/c_family/manifest.hpp"
#include "compiler/c_family/precompiled.hpp"
#include "exec/offload.hpp"
#include "hash/cache_key.hpp"
#include "server/c_family/direct_lookup.hpp"
#include "server/c_family/job.hpp"
#include "server/compiler_run.hpp"
#include "server/file_settle.hpp"
#include "util/file_clock.hpp"
#include "util/fs.hpp"
#include "util/log.hpp"

namespace sccache::server::c_family {

namespace {

using Clock = std::chrono::steady_clock;
using stats::Counter;
using stats::ExtraCounter;
using stats::LanguageCounter;
using stats::Timer;

// Mozilla sccache reports every C-family compile under one language name.

// How long a preprocessor run waits for the file clock to pass the source's times (a few ticks;
// longer means a clock step or a file system that keeps whole seconds: not worth waiting for).

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
  stats.add(LanguageCounter::cache_hits, compiler::c_family::stats_name(job.args.language));
  stats.add(direct ? ExtraCounter::direct_hits : ExtraCounter::preprocessor_hits);
  stats.add_time(Timer::cache_read_hit, Clock::now() - start);
  exec::ProcessResult replay{0, std::nullopt, std::move(found.stdout_bytes),
                             std::move(found.stderr_bytes)};
  return finished_from(std::move(replay), job.args.color);
}

void not_recorded(Job& job, const compiler::c_family::NotRecorded& why) {
  auto reason = compiler::c_family::describe(why.reason);
  log::debug("direct mode cannot vouch for {}: {}: {}", job.args.input, reason, why.file);
  job.service.stats().add_manifest_not_recorded(std::string(reason));
}

// As the manifest names files (compiler::c_family::record_result).
std::string absolute_in(const std::string& cwd, const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  return (std::filesystem::path(cwd) / path).lexically_normal().string();
}

// The key was computed from what the preprocessor read, the object from what the compiler read
// after it: a file written in between (an editor saving during a build) would store an object
// under a key it does not belong to. The first file read that may have been written since the
// preprocessor started, if any (a file dated in the future, by hand or by an archive, was not).
std::optional<std::string> changed_since_preprocessing(const Job& job) {
  std::vector<std::pair<std::string, util::Result<util::FileStat>>> seen;
  seen.reserve(job.included.size() + 1);
  auto look = [&](const std::string& path) {
    std::string absolute = absolute_in(job.request.cwd, path);
    auto st = util::stat_file(absolute);
    seen.emplace_back(std::move(absolute), std::move(st));
  };
  look(job.args.input);
  for (const auto& file : job.included) look(file.path);
  auto now = util::wall_clock_now_ns();  // after every stat: a write since has an earlier time
  for (const auto& [path, st] : seen) {
    if (!st || util::maybe_written_since(*st, job.read_since_ns, now)) return path;
  }
  return std::nullopt;
}

}  // namespace

protocol::CompileFinished finished_from(exec::ProcessResult result,
                                        compiler::c_family::ColorChoice color) {
  protocol::CompileFinished done;
  done.retcode = result.exit_code;
  done.signal = result.signal;
  done.stdout_bytes = std::move(result.stdout_bytes);
  done.stderr_bytes = std::move(result.stderr_bytes);
  done.color_mode = color == compiler::c_family::ColorChoice::always ? protocol::ColorMode::on
                    : color == compiler::c_family::ColorChoice::never
                        ? protocol::ColorMode::off
                        : protocol::ColorMode::automatic;
  return done;
}

asio::awaitable<std::optional<protocol::CompileFinished>> lookup_direct(Job& job) {
  auto& service = job.service;
  auto start = Clock::now();
  // One trip to the thread pool for the whole hit path: key, manifest, checks, replay.
  auto found = co_await exec::offload(service.pool(), [&]() -> std::optional<LookupResult> {
    DirectRequest request{&job.compiler, &job.args, job.request.cwd, job.key_env,
                          job.diagnostics()};
    auto key = direct_key(request, service.file_memo());
    if (!key) {
      not_recorded(job, key.error());
      return std::nullopt;
    }
    job.manifest_key = std::move(key->key);
    job.input_digest = std::move(key->input);
    if (job.recache) return std::nullopt;
    auto found = find_in_manifest(service.storage(), service.manifests(), *job.manifest_key,
                                  service.file_memo());
    if (!found) return LookupResult{LookupStatus::read_error, {}, {}, found.error().message};
    if (!*found) return std::nullopt;
    return fetch_and_replay(service.storage(), **found, job.paths);
  });
  if (!job.manifest_key) job.direct = false;
  if (!found || found->status == LookupStatus::miss) co_return std::nullopt;
  co_return count_lookup(job, std::move(*found), start, true);
}

namespace {

struct Relative {
  std::vector<std::string> args;
  std::string preprocessed;
  std::optional<std::string> working_dir;  // set when it changes
};

// What goes into the key with the compile's base dir made relative. The working directory is in
// the key only when the result names it: with -g, relative only if a prefix map removes the base
// dir from the object; with an output path in the result (coverage, profiles), never.
Relative relative_key_parts(const Job& job) {
  namespace cc = compiler::c_family;
  const std::string& base = job.paths.base_dir;
  Relative r;
  r.args.reserve(job.args.hashed_args.size());
  for (const auto& arg : job.args.hashed_args) r.args.push_back(cc::relative_to_base(arg, base));
  r.preprocessed = cc::relativize_line_markers(job.preprocessed, base);
  if (job.args.debug_info && !job.args.output_path_in_result &&
      (cc::prefix_map_covers(job.args.hashed_args, base) ||
       cc::prefix_map_covers(job.args.preprocessor_args, base))) {
    r.working_dir = cc::relative_to_base(job.request.cwd, base);
  }
  return r;
}

}  // namespace

asio::awaitable<void> preprocess_and_key(Job& job) {
  std::string text;
  // Direct mode has hashed the source already; otherwise one stat tells its times.
  util::FileStat source = job.input_digest.stat;
  if (!job.direct) {
    source = util::stat_file(absolute_in(job.request.cwd, job.args.input)).value_or(source);
  }
  co_await wait_until_settled(source);
  job.read_since_ns = util::file_clock_now_ns();
  if (compiler::c_family::needs_preprocessing(job.args.language)) {
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
    job.included = compiler::c_family::files_in_line_markers(job.preprocessed);
    if (job.direct) {  // what direct mode hashed is what the preprocessor read
      auto now = util::stat_file(absolute_in(job.request.cwd, job.args.input));
      job.input_unchanged = now && *now == job.input_digest.stat;
    }
    auto pch = compiler::c_family::find_precompiled_headers(
        {job.request.cwd, compiler::c_family::forced_includes(job.args.preprocessor_args),
         job.included, compiler::c_family::search_dirs_from_verbose(job.preprocessor_stderr)},
        job.service.file_memo());
    if (!pch) return std::nullopt;
    for (const auto& [path, sha] : pch->present) env.emplace_back("precompiled:" + path, sha);
    hash::KeyInputs inputs;
    inputs.compiler_identity = job.compiler.identity;
    inputs.language = compiler::c_family::key_name(job.args.language);
    inputs.hashed_args = &job.args.hashed_args;
    inputs.preprocessed = job.preprocessed;
    bool paths = job.args.output_path_in_result;
    inputs.working_dir =
        job.args.debug_info || paths ? std::string_view(job.request.cwd) : std::string_view();
    // SCCACHE_BASEDIRS: the base dir made relative (compiler/c_family/base_dir.hpp).
    Relative relative;
    if (!job.paths.base_dir.empty()) {
      relative = relative_key_parts(job);
      inputs.hashed_args = &relative.args;
      inputs.preprocessed = relative.preprocessed;
      if (relative.working_dir) inputs.working_dir = *relative.working_dir;
      env.emplace_back("basedir", "relative");
    }
    inputs.output_path = paths ? std::string_view(job.args.output) : std::string_view();
    inputs.diagnostics = job.diagnostics();
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
  // In colour where it can be (see diagnostics_color.hpp); the client strips what it must.
  auto args = job.color_flag
                  ? compiler::c_family::with_color_flag(job.request.args, *job.color_flag)
                  : job.request.args;
  exec::ProcessSpec spec{job.request.exe, std::move(args), job.request.cwd, job.env, {}};
  auto start = Clock::now();
  auto ran = co_await run_compiler(job.service, job.request.peer_pid, std::move(spec));
  if (!ran) co_return spawn_failure(ran.error());
  stats.add_time(Timer::compiler, Clock::now() - start);
  if (!ran->succeeded()) {
    stats.add(Counter::compile_fails);
    co_return finished_from(std::move(*ran), job.args.color);
  }
  if (job.key) {
    // Read before answering: the build may change the outputs as soon as it has the answer.
    writes.entry =
        co_await exec::offload(job.service.pool(), [&]() -> std::optional<storage::CacheEntry> {
          if (auto changed = changed_since_preprocessing(job)) {
            log::info("not caching {}: {} changed during the compile", job.args.input, *changed);
            if (job.direct)
              not_recorded(job, {compiler::c_family::NotRecordedReason::file_changed, *changed});
            return std::nullopt;
          }
          return collect_outputs(job.paths, job.read_since_ns, ran->stdout_bytes,
                                 ran->stderr_bytes);
        });
    writes.update_manifest = writes.entry && job.direct;
  }
  co_return finished_from(std::move(*ran), job.args.color);
}

namespace {

void record_manifest(Job& job) {
  compiler::c_family::RecordInputs in;
  in.cwd = job.request.cwd;
  in.files = std::move(job.included);
  in.forced_includes = compiler::c_family::forced_includes(job.args.preprocessor_args);
  in.search_dirs = compiler::c_family::search_dirs_from_verbose(job.preprocessor_stderr);
  in.read_since_ns = job.read_since_ns;
  // Configure scripts delete or rewrite conftest.c as soon as they have the answer: the source's
  // digest from before the preprocessor ran stands in for reading it again.
  if (job.input_unchanged) {
    in.source = {absolute_in(job.request.cwd, job.args.input), job.input_digest};
  }
  auto result = compiler::c_family::record_result(*job.key, in, job.service.file_memo());
  if (!result) return not_recorded(job, result.error());
  auto& service = job.service;
  auto updated =
      update_manifest(service.storage(), service.manifests(), *job.manifest_key, std::move(*result),
                      service.config().zstd_level, service.manifest_mutex());
  if (!updated) {
    log::warn("manifest update failed: {}", updated.error().message);
    service.stats().add_manifest_not_recorded("the manifest could not be written");
    return;
  }
  service.stats().add(ExtraCounter::manifest_updates);
}

}  // namespace

asio::awaitable<void> write_after_answer(
    Job job, PendingWrites writes, [[maybe_unused]] std::unique_ptr<Service::WorkGuard> busy) {
  auto& service = job.service;
  if (writes.entry) {
    auto start = Clock::now();
    int level = service.config().zstd_level;
    auto put = co_await exec::offload(service.pool(), [&]() -> util::Result<void> {
      auto blob = storage::encode_entry(*writes.entry, *job.key, level);
      if (!blob) return tl::make_unexpected(blob.error());
      return service.storage().put(*job.key, *blob);
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

}  // namespace sccache::server::c_family
