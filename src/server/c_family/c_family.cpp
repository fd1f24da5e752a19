#include "server/c_family/c_family.hpp"

#include <algorithm>

#include "compiler/c_family/base_dir.hpp"
#include "compiler/c_family/diagnostics_color.hpp"
#include "compiler/c_family/env_in_key.hpp"
#include "compiler/response_file.hpp"
#include "exec/offload.hpp"
#include "server/c_family/job.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

namespace sccache::server::c_family {

namespace {

namespace cc = compiler::c_family;
using stats::Counter;
using stats::LanguageCounter;

// Mozilla sccache reports every C-family compile under one language name.

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
                     const cc::ParsedArgs& args) {
  if (!service.config().direct_mode || !cc::needs_preprocessing(args.language)) return false;
  const std::string* v = env_value(request, "SCCACHE_DIRECT");
  return !v || util::parse_bool(*v).value_or(true);
}

// Reading @files is file I/O of unbounded cost: on the thread pool. A command line without one is
// parsed here, at no extra hop on the hit path.
asio::awaitable<cc::ParseResult> parse(Service& service, const protocol::Compile& request,
                                       const cc::CompilerInfo& info) {
  bool reads_files = std::any_of(request.args.begin(), request.args.end(),
                                 [](const std::string& a) { return a.starts_with('@'); });
  if (request.args.size() > compiler::k_max_arguments) {
    co_return cc::CannotCache{"command line too long"};
  }
  if (!reads_files) {
    co_return cc::parse_arguments(request.args, request.cwd, info.family, info.plusplus);
  }
  co_return co_await exec::offload(service.pool(), [&] {
    return cc::parse_arguments(request.args, request.cwd, info.family, info.plusplus);
  });
}

// One gcc/clang compile: direct mode, then the preprocessor's key, then the compiler.
class CCompile final : public FamilyCompile {
 public:
  explicit CCompile(Job job) : m_job(std::move(job)) {}

  asio::awaitable<std::optional<protocol::CompileFinished>> lookup_at_once() override {
    if (!m_job.direct) co_return std::nullopt;
    co_return co_await lookup_direct(m_job);
  }

  asio::awaitable<protocol::CompileFinished> serve() override {
    auto& stats = m_job.service.stats();
    co_await preprocess_and_key(m_job);
    if (m_job.key) {
      if (m_job.recache) {
        stats.add(Counter::forced_recaches);
      } else if (auto hit = co_await lookup(m_job, *m_job.key)) {
        m_writes.update_manifest = m_job.direct;  // next time, find it without the preprocessor
        co_return std::move(*hit);
      }
      stats.add(LanguageCounter::cache_misses, compiler::c_family::stats_name(m_job.args.language));
    }
    co_return co_await compile(m_job, m_writes);
  }

  bool has_writes() const override { return m_writes.entry || m_writes.update_manifest; }

  asio::awaitable<void> write(std::unique_ptr<Service::WorkGuard> busy) override {
    co_await write_after_answer(std::move(m_job), std::move(m_writes), std::move(busy));
  }

 private:
  Job m_job;
  PendingWrites m_writes;
};

}  // namespace

CFamily::CFamily(Service& service, std::filesystem::path scratch)
    : m_service(service), m_detector(service.runner(), service.pool(), std::move(scratch)) {}

asio::awaitable<std::optional<Admission>> CFamily::admit(protocol::Compile& request) {
  auto env = env_strings(request);
  auto info = co_await m_detector.detect(request.exe, env, request.cwd);
  if (!info) co_return std::nullopt;
  auto parsed = co_await parse(m_service, request, *info);
  if (std::holds_alternative<cc::NotCompilation>(parsed)) co_return NotACompile{};
  if (auto* cannot = std::get_if<cc::CannotCache>(&parsed)) co_return NotCached{cannot->reason};
  if (auto blocked = cc::env_blocking_cache(request.env_vars); !blocked.empty()) {
    co_return NotCached{std::move(blocked)};
  }
  auto& args = std::get<cc::ParsedArgs>(parsed);
  auto paths = output_paths(args, request.cwd, info->family);
  paths.base_dir = cc::base_dir_for(m_service.config().basedirs, request.cwd,
                                    util::absolute_in(request.cwd, args.input).string());
  Job job{.service = m_service,
          .request = std::move(request),
          .env = std::move(env),
          .compiler = *info,
          .args = std::move(args),
          .paths = std::move(paths)};
  job.key_env = cc::env_in_key(job.request.env_vars);
  job.color_flag = cc::forced_color_flag(job.compiler.family, job.compiler.version, job.args);
  job.direct = direct_mode_for(m_service, job.request, job.args);
  job.recache = env_value(job.request, "SCCACHE_RECACHE") != nullptr;
  co_return Admission{std::make_unique<CCompile>(std::move(job))};
}

}  // namespace sccache::server::c_family
