#include "server/compile_job.hpp"

#include <asio/co_spawn.hpp>

#include "compiler/env_in_key.hpp"
#include "exec/offload.hpp"
#include "hash/cache_key.hpp"
#include "server/cache_lookup.hpp"
#include "server/completion.hpp"
#include "storage/cache_entry.hpp"
#include "util/fs.hpp"
#include "util/log.hpp"

namespace sccache::server {

namespace {

using Clock = std::chrono::steady_clock;
using stats::Counter;
using stats::LanguageCounter;
using stats::Timer;

// Mozilla sccache reports every C-family compile under one language name.
const std::string k_stats_language = "C/C++";

// Everything known about one cacheable compile.
struct Job {
  Service& service;
  protocol::Compile request;
  std::vector<std::string> env;
  compiler::CompilerInfo compiler;
  compiler::ParsedArgs args;
  OutputPaths paths;
};

std::vector<std::string> env_strings(const protocol::Compile& request) {
  std::vector<std::string> env;
  env.reserve(request.env_vars.size());
  for (const auto& [name, value] : request.env_vars) env.push_back(name + "=" + value);
  return env;
}

bool env_set(const protocol::Compile& request, std::string_view name) {
  for (const auto& [n, v] : request.env_vars) {
    if (n == name) return true;
  }
  return false;
}

protocol::CompileFinished finished_from(const exec::ProcessResult& result,
                                        compiler::ColorChoice color) {
  protocol::CompileFinished done;
  done.retcode = result.exit_code;
  done.signal = result.signal;
  done.stdout_bytes = result.stdout_bytes;
  done.stderr_bytes = result.stderr_bytes;
  done.color_mode = color == compiler::ColorChoice::always  ? protocol::ColorMode::on
                    : color == compiler::ColorChoice::never ? protocol::ColorMode::off
                                                            : protocol::ColorMode::automatic;
  return done;
}

protocol::CompileFinished spawn_failure(const util::Error& error) {
  protocol::CompileFinished done;
  done.retcode = 127;
  done.stderr_bytes = "sccache: cannot run the compiler: " + error.message + "\n";
  return done;
}

// The key of this compile in preprocessor mode; nullopt when the preprocessor failed.
asio::awaitable<std::optional<std::string>> compute_key(Job& job) {
  std::string text;
  if (compiler::needs_preprocessing(job.args.language)) {
    exec::ProcessSpec spec{
        job.request.exe, job.args.preprocessor_args, job.request.cwd, job.env, {}};
    spec.args.push_back("-E");
    spec.args.push_back(job.args.input);
    auto ran = co_await job.service.runner().run(std::move(spec));
    if (!ran || !ran->succeeded()) co_return std::nullopt;
    text = std::move(ran->stdout_bytes);
  } else {
    std::filesystem::path input(job.args.input);
    if (input.is_relative()) input = std::filesystem::path(job.request.cwd) / input;
    auto content =
        co_await exec::offload(job.service.pool(), [&] { return util::read_file(input); });
    if (!content) co_return std::nullopt;
    text =
        job.args.input + "\n" + *content;  // the name reaches the object for unpreprocessed input
  }
  auto extra_env = compiler::env_in_key(job.request.env_vars);
  co_return co_await exec::offload(job.service.pool(), [&] {
    hash::KeyInputs inputs;
    inputs.compiler_identity = job.compiler.identity;
    inputs.language = compiler::key_name(job.args.language);
    inputs.hashed_args = &job.args.hashed_args;
    inputs.preprocessed = text;
    inputs.working_dir =
        job.args.debug_info ? std::string_view(job.request.cwd) : std::string_view();
    inputs.env = extra_env;
    return hash::compute_cache_key(inputs);
  });
}

asio::awaitable<void> store(Service& service, std::string key, storage::CacheEntry entry) {
  Service::WorkGuard guard(service);
  auto start = Clock::now();
  int level = service.config().zstd_level;
  auto put = co_await exec::offload(service.pool(), [&] {
    return service.storage().put(key, storage::encode_entry(entry, level));
  });
  if (put) {
    service.stats().add(Counter::cache_writes);
    service.stats().add_time(Timer::cache_write, Clock::now() - start);
  } else {
    service.stats().add(Counter::cache_write_errors);
    log::warn("cache write of {} failed: {}", key, put.error().message);
  }
}

// Replays a cached result if there is one; nullopt means: compile.
asio::awaitable<std::optional<protocol::CompileFinished>> try_cache(Job& job,
                                                                    const std::string& key) {
  auto& stats = job.service.stats();
  auto start = Clock::now();
  auto found = co_await exec::offload(
      job.service.pool(), [&] { return fetch_and_replay(job.service.storage(), key, job.paths); });
  if (found.status == LookupStatus::read_error) {
    stats.add(Counter::cache_read_errors);
    log::warn("cache read of {} failed, compiling: {}", key, found.error);
    co_return std::nullopt;
  }
  if (found.status == LookupStatus::miss) co_return std::nullopt;
  stats.add(LanguageCounter::cache_hits, k_stats_language);
  stats.add_time(Timer::cache_read_hit, Clock::now() - start);
  exec::ProcessResult replay{0, std::nullopt, std::move(found.stdout_bytes),
                             std::move(found.stderr_bytes)};
  co_return finished_from(replay, job.args.color);
}

// Runs the real compiler. On success with a key, its outputs are read before the answer goes out
// (the build may change them right after) and written to the cache after.
asio::awaitable<protocol::CompileFinished> compile(Job& job, const std::optional<std::string>& key,
                                                   std::optional<storage::CacheEntry>& to_store) {
  auto& stats = job.service.stats();
  exec::ProcessSpec spec{job.request.exe, job.request.args, job.request.cwd, job.env, {}};
  auto start = Clock::now();
  auto ran = co_await job.service.runner().run(std::move(spec));
  if (!ran) co_return spawn_failure(ran.error());
  stats.add_time(Timer::compiler, Clock::now() - start);
  if (!ran->succeeded()) {
    stats.add(Counter::compile_fails);
    co_return finished_from(*ran, job.args.color);
  }
  if (key) {
    to_store = co_await exec::offload(job.service.pool(), [&] {
      return collect_outputs(job.paths, ran->stdout_bytes, ran->stderr_bytes);
    });
  }
  co_return finished_from(*ran, job.args.color);
}

asio::awaitable<protocol::CompileFinished> serve(Job& job,
                                                 std::optional<storage::CacheEntry>& to_store,
                                                 std::optional<std::string>& key) {
  auto& stats = job.service.stats();
  key = co_await compute_key(job);
  if (key) {
    if (env_set(job.request, "SCCACHE_RECACHE")) {
      stats.add(Counter::forced_recaches);
    } else if (auto hit = co_await try_cache(job, *key)) {
      co_return std::move(*hit);
    }
    stats.add(LanguageCounter::cache_misses, k_stats_language);
  }
  co_return co_await compile(job, key, to_store);
}

// Answers the first response; returns the job when the server takes the compile.
asio::awaitable<std::optional<Job>> admit(Service& service, protocol::Compile request,
                                          Socket& socket) {
  auto& stats = service.stats();
  auto env = env_strings(request);
  auto info = co_await service.detector().detect(request.exe, env, request.cwd);
  if (!info) {
    stats.add(Counter::requests_unsupported_compiler);
    {
      protocol::Response reply =
          protocol::CompileResponse{protocol::UnsupportedCompiler{request.exe}};
      co_await send(socket, reply);
    }
    co_return std::nullopt;
  }
  auto parsed = compiler::parse_arguments(request.args, request.cwd, info->family, info->plusplus);
  std::string reason;
  if (std::holds_alternative<compiler::NotCompilation>(parsed)) {
    stats.add(Counter::requests_not_compile);
  } else if (auto* cannot = std::get_if<compiler::CannotCache>(&parsed)) {
    reason = cannot->reason;
  } else {
    reason = compiler::env_blocking_cache(request.env_vars);
  }
  if (!reason.empty()) stats.add_not_cached(reason);
  if (!reason.empty() || !std::holds_alternative<compiler::ParsedArgs>(parsed)) {
    {
      protocol::Response reply = protocol::CompileResponse{protocol::UnhandledCompile{}};
      co_await send(socket, reply);
    }
    co_return std::nullopt;
  }
  auto& args = std::get<compiler::ParsedArgs>(parsed);
  auto paths = output_paths(args, request.cwd);
  co_return Job{service, std::move(request), std::move(env),
                *info,   std::move(args),    std::move(paths)};
}

}  // namespace

asio::awaitable<void> run_compile(Service& service, protocol::Compile request, Socket& socket) {
  service.stats().add(Counter::compile_requests);
  auto job = co_await admit(service, std::move(request), socket);
  if (!job) co_return;
  {
    protocol::Response reply = protocol::CompileResponse{protocol::CompileStarted{}};
    co_await send(socket, reply);
  }
  service.stats().add(Counter::requests_executed);

  std::optional<storage::CacheEntry> to_store;
  std::optional<std::string> key;
  auto finished = co_await serve(*job, to_store, key);
  // The answer goes first; the client never waits for the cache write.
  std::exception_ptr send_error;
  try {
    {
      protocol::Response reply = finished;
      co_await send(socket, reply);
    }
  } catch (...) {
    send_error = std::current_exception();
  }
  if (to_store && key) {
    asio::co_spawn(service.io(), store(service, *key, std::move(*to_store)),
                   log_failure("a cache write"));
  }
  if (send_error) std::rethrow_exception(send_error);
}

}  // namespace sccache::server
