#include "server/compile_job.hpp"

#include <algorithm>
#include <asio/co_spawn.hpp>

#include "compiler/c_family/diagnostics_color.hpp"
#include "compiler/c_family/env_in_key.hpp"
#include "compiler/response_file.hpp"
#include "exec/offload.hpp"
#include "server/completion.hpp"
#include "server/job.hpp"
#include "util/strings.hpp"

namespace sccache::server {

namespace {

using stats::Counter;
using stats::LanguageCounter;

const std::string k_stats_language = "C/C++";

std::vector<std::string> env_strings(const protocol::Compile& request) {
  std::vector<std::string> env;
  env.reserve(request.env_vars.size());
  for (const auto& [name, value] : request.env_vars) env.push_back(name + "=" + value);
  return env;
}

const std::string* env_value(const protocol::Compile& request, std::string_view name) {
  for (const auto& [n, v] : request.env_vars) {
    if (n == name) return &v;
  }
  return nullptr;
}

// Direct mode: on unless the server's config or this request's SCCACHE_DIRECT turns it off.
bool direct_mode_for(const Service& service, const protocol::Compile& request,
                     const compiler::c_family::ParsedArgs& args) {
  if (!service.config().direct_mode || !compiler::c_family::needs_preprocessing(args.language))
    return false;
  const std::string* v = env_value(request, "SCCACHE_DIRECT");
  return !v || util::parse_bool(*v).value_or(true);
}

// Reading @files is file I/O of unbounded cost: on the thread pool. A command line without one is
// parsed here, at no extra hop on the hit path.
asio::awaitable<compiler::c_family::ParseResult> parse(
    Service& service, const protocol::Compile& request,
    const compiler::c_family::CompilerInfo& info) {
  bool reads_files = std::any_of(request.args.begin(), request.args.end(),
                                 [](const std::string& a) { return a.starts_with('@'); });
  if (request.args.size() > compiler::k_max_arguments) {
    co_return compiler::c_family::CannotCache{"command line too long"};
  }
  if (!reads_files) {
    co_return compiler::c_family::parse_arguments(request.args, request.cwd, info.family,
                                                  info.plusplus);
  }
  co_return co_await exec::offload(service.pool(), [&] {
    return compiler::c_family::parse_arguments(request.args, request.cwd, info.family,
                                               info.plusplus);
  });
}

// Answers the first response; returns the job when the server takes the compile.
asio::awaitable<std::optional<Job>> admit(Service& service, protocol::Compile request,
                                          Socket& socket) {
  auto& stats = service.stats();
  auto env = env_strings(request);
  auto info = co_await service.detector().detect(request.exe, env, request.cwd);
  if (!info) {
    stats.add(Counter::requests_unsupported_compiler);
    protocol::Response reply =
        protocol::CompileResponse{protocol::UnsupportedCompiler{request.exe}};
    co_await send(socket, reply);
    co_return std::nullopt;
  }
  auto parsed = co_await parse(service, request, *info);
  std::string reason;
  if (std::holds_alternative<compiler::c_family::NotCompilation>(parsed)) {
    stats.add(Counter::requests_not_compile);
  } else if (auto* cannot = std::get_if<compiler::c_family::CannotCache>(&parsed)) {
    reason = cannot->reason;
  } else {
    reason = compiler::c_family::env_blocking_cache(request.env_vars);
  }
  if (!reason.empty()) stats.add_not_cached(reason);
  if (!reason.empty() || !std::holds_alternative<compiler::c_family::ParsedArgs>(parsed)) {
    protocol::Response reply = protocol::CompileResponse{protocol::UnhandledCompile{}};
    co_await send(socket, reply);
    co_return std::nullopt;
  }
  auto& args = std::get<compiler::c_family::ParsedArgs>(parsed);
  auto paths = output_paths(args, request.cwd, info->family);
  Job job{.service = service,
          .request = std::move(request),
          .env = std::move(env),
          .compiler = *info,
          .args = std::move(args),
          .paths = std::move(paths)};
  job.key_env = compiler::c_family::env_in_key(job.request.env_vars);
  job.color_flag =
      compiler::c_family::forced_color_flag(job.compiler.family, job.compiler.version, job.args);
  job.direct = direct_mode_for(service, job.request, job.args);
  job.recache = env_value(job.request, "SCCACHE_RECACHE") != nullptr;
  co_return std::move(job);
}

// Preprocessor lookup, then the compiler (the direct lookup has been tried already).
asio::awaitable<protocol::CompileFinished> serve(Job& job, PendingWrites& writes) {
  auto& stats = job.service.stats();
  co_await preprocess_and_key(job);
  if (job.key) {
    if (job.recache) {
      stats.add(Counter::forced_recaches);
    } else if (auto hit = co_await lookup(job, *job.key)) {
      writes.update_manifest = job.direct;  // next time, find it without the preprocessor
      co_return std::move(*hit);
    }
    stats.add(LanguageCounter::cache_misses, k_stats_language);
  }
  co_return co_await compile(job, writes);
}

}  // namespace

asio::awaitable<void> run_compile(Service& service, protocol::Compile request, Socket& socket) {
  service.stats().add(Counter::compile_requests);
  auto job = co_await admit(service, std::move(request), socket);
  if (!job) co_return;
  service.stats().add(Counter::requests_executed);
  // A direct hit is known before anything runs: both answers then go out in one write.
  if (job->direct) {
    if (auto hit = co_await lookup_direct(*job)) {
      std::vector<protocol::Response> replies{protocol::CompileResponse{protocol::CompileStarted{}},
                                              std::move(*hit)};
      co_await send_all(socket, replies);
      co_return;
    }
  }
  {
    protocol::Response reply = protocol::CompileResponse{protocol::CompileStarted{}};
    co_await send(socket, reply);
  }

  PendingWrites writes;
  protocol::Response reply = co_await serve(*job, writes);
  // Taken before the answer: a --stop-server that follows it must still wait for the cache write.
  auto busy = std::make_unique<Service::WorkGuard>(service);
  // The answer goes first; the client never waits for the cache write.
  std::exception_ptr send_error;
  try {
    co_await send(socket, reply);
  } catch (...) {
    send_error = std::current_exception();
  }
  if (writes.entry || writes.update_manifest) {
    asio::co_spawn(service.io(),
                   write_after_answer(std::move(*job), std::move(writes), std::move(busy)),
                   log_failure("a cache write"));
  }
  if (send_error) std::rethrow_exception(send_error);
}

}  // namespace sccache::server
