#include "server/cuda/nvcc_compile.hpp"

#include <algorithm>
#include <asio/co_spawn.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <chrono>
#include <filesystem>
#include <set>

#include "compiler/c_family/include_scan.hpp"
#include "compiler/cuda/dryrun.hpp"
#include "compiler/cuda/env_flags.hpp"
#include "exec/offload.hpp"
#include "server/cache_lookup.hpp"
#include "server/cuda/nvcc_key.hpp"
#include "server/family_steps.hpp"
#include "storage/cache_entry.hpp"
#include "util/file_clock.hpp"
#include "util/log.hpp"

namespace sccache::server::cuda {

namespace {

namespace fs = std::filesystem;
namespace cu = compiler::cuda;
using Clock = std::chrono::steady_clock;
using stats::Counter;
using stats::LanguageCounter;
using stats::Timer;

const std::string k_stats_language = "CUDA";  // Mozilla's name

fs::path absolute_in(const std::string& cwd, const std::string& path) {
  fs::path p(path);
  return p.is_absolute() ? p : fs::path(cwd) / p;
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
std::vector<std::string> with_overrides(
    const std::vector<std::pair<std::string, std::string>>& base,
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::pair<std::string, std::string>> merged;
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

class NvccCompile final : public FamilyCompile {
 public:
  NvccCompile(Service& service, protocol::Compile request, Nvcc nvcc, cu::NvccArgs args)
      : m_service(service),
        m_request(std::move(request)),
        m_nvcc(std::move(nvcc)),
        m_args(std::move(args)) {
    // The dryrun and the preprocesses run without the variables: their words are in the
    // arguments already, and nvcc would apply them twice.
    for (const auto& v : m_request.env_vars) {
      if (!is_env_flags(v.first)) m_plain_env.push_back(v);
    }
    m_outputs.emplace_back("obj", absolute_in(m_request.cwd, m_args.output));
    if (m_args.dep_file) m_outputs.emplace_back("d", absolute_in(m_request.cwd, *m_args.dep_file));
  }

  asio::awaitable<protocol::CompileFinished> serve() override {
    auto& stats = m_service.stats();
    m_since_ns = util::file_clock_now_ns();
    co_await compute_key();
    if (m_key) {
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
    co_await store_entry(m_service, *m_key, *m_entry);
    busy.reset();
  }

 private:
  bool recache_requested() const {
    return std::any_of(m_request.env_vars.begin(), m_request.env_vars.end(),
                       [](const auto& v) { return v.first == "SCCACHE_RECACHE"; });
  }

  std::string dryrun_path(const cu::Dryrun& dryrun) const {
    for (auto it = dryrun.env.rbegin(); it != dryrun.env.rend(); ++it) {
      if (it->first == "PATH") return it->second;
    }
    for (const auto& [name, value] : m_plain_env) {
      if (name == "PATH") return value;
    }
    return {};
  }

  // nvcc's plan for this compile; nullopt when it cannot say.
  asio::awaitable<std::optional<cu::Dryrun>> dryrun() {
    std::vector<std::string> env;
    for (const auto& [name, value] : m_plain_env) env.push_back(name + "=" + value);
    exec::ProcessSpec spec{m_request.exe, m_args.dryrun_args, m_request.cwd, std::move(env), {}};
    spec.args.push_back("-dryrun");
    auto ran = co_await m_service.runner().run(std::move(spec));
    if (!ran || !ran->succeeded()) co_return std::nullopt;
    auto parsed = cu::parse_dryrun(ran->stderr_bytes, m_plain_env);
    if (!parsed) {
      log::warn("nvcc's dryrun for {}: {}", m_args.input, parsed.error().message);
      co_return std::nullopt;
    }
    co_return std::move(*parsed);
  }

  // The text of one preprocess step, run as nvcc would run it but writing to stdout.
  asio::awaitable<std::optional<std::string>> preprocess(const cu::Step& step,
                                                         const std::string& path,
                                                         const std::vector<std::string>& env) {
    auto argv = cu::preprocess_argv(step, std::nullopt);
    if (!argv || argv->empty()) co_return std::nullopt;
    auto tool = resolve_tool(argv->front(), path, m_request.cwd);
    if (!tool) co_return std::nullopt;
    std::vector<std::string> args(argv->begin() + 1, argv->end());
    exec::ProcessSpec spec{*tool, std::move(args), m_request.cwd, env, argv->front()};
    auto ran = co_await m_service.runner().run(std::move(spec));
    if (!ran || !ran->succeeded()) co_return std::nullopt;
    co_return std::move(ran->stdout_bytes);
  }

  // Every preprocess at once (they are independent: host, then one per arch); nullopt when any
  // fails. Each runs as a coroutine of its own; a timer wakes this one when the last is done.
  asio::awaitable<std::optional<std::vector<std::string>>> preprocess_all(
      const std::vector<const cu::Step*>& steps, const std::string& path,
      const std::vector<std::string>& env) {
    auto executor = co_await asio::this_coro::executor;
    std::vector<std::optional<std::string>> texts(steps.size());
    std::size_t remaining = steps.size();
    asio::steady_timer all_done(executor, asio::steady_timer::time_point::max());
    for (std::size_t i = 0; i < steps.size(); ++i) {
      asio::co_spawn(executor, preprocess(*steps[i], path, env),
                     [&, i](std::exception_ptr error, std::optional<std::string> text) {
                       if (!error) texts[i] = std::move(text);
                       if (--remaining == 0) all_done.cancel();
                     });
    }
    if (remaining > 0) {
      asio::error_code ignored;  // (operation_aborted: the wake-up)
      co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    std::vector<std::string> out;
    for (auto& text : texts) {
      if (!text) co_return std::nullopt;
      out.push_back(std::move(*text));
    }
    co_return out;
  }

  // Any step failing leaves no key: nvcc then compiles uncached and says what is wrong.
  asio::awaitable<void> compute_key() {
    auto plan = co_await dryrun();
    if (!plan) {
      log::debug("nvcc's dryrun for {} failed: compiling without the cache", m_args.input);
      co_return;
    }
    auto path = dryrun_path(*plan);
    auto env = with_overrides(m_plain_env, plan->env);  // what nvcc's steps run with
    auto texts = co_await preprocess_all(cu::preprocess_steps(*plan), path, env);
    if (!texts) {
      log::debug("a preprocess of {} failed: compiling without the cache", m_args.input);
      co_return;
    }
    m_key = co_await exec::offload(m_service.pool(), [&]() -> std::optional<std::string> {
      note_inputs(*texts);
      KeyInputs in{m_nvcc, m_args, m_request, *plan, path, *texts};
      return nvcc_key(in, m_service.file_memo());
    });
  }

  // The files the preprocessed texts name (and the input): the guard of collect().
  void note_inputs(const std::vector<std::string>& texts) {
    std::set<std::string> seen;
    m_inputs.push_back(absolute_in(m_request.cwd, m_args.input));
    for (const auto& text : texts) {
      for (const auto& file : compiler::c_family::files_in_line_markers(text)) {
        if (seen.insert(file.path).second)
          m_inputs.push_back(absolute_in(m_request.cwd, file.path));
      }
    }
  }

  asio::awaitable<std::optional<protocol::CompileFinished>> lookup() {
    auto start = Clock::now();
    auto found = co_await exec::offload(m_service.pool(), [&] { return replay(); });
    if (!count_lookup(m_service, found, k_stats_language, start)) co_return std::nullopt;
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
    auto ran = co_await m_service.runner().run(std::move(spec));
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
    }
    co_return finished(std::move(*ran));
  }

  std::optional<storage::CacheEntry> collect(const exec::ProcessResult& ran) {
    // A file written since the preprocesses started: the output may belong to neither version.
    for (const auto& path : m_inputs) {
      auto st = util::stat_file(path.string());
      if (!st || !util::written_before(*st, m_since_ns)) {
        log::info("not caching {}: {} changed during the compile", m_args.input, path.string());
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
  protocol::Compile m_request;
  Nvcc m_nvcc;
  cu::NvccArgs m_args;
  std::vector<std::pair<std::string, std::string>> m_plain_env;  // less NVCC_*_FLAGS
  std::vector<std::pair<std::string, fs::path>> m_outputs;       // role, absolute path
  std::vector<fs::path> m_inputs;  // the input and every file the preprocesses named
  std::int64_t m_since_ns = 0;     // file clock before the dryrun
  std::optional<std::string> m_key;
  std::optional<storage::CacheEntry> m_entry;
};

}  // namespace

std::unique_ptr<FamilyCompile> make_nvcc_compile(Service& service, protocol::Compile request,
                                                 Nvcc nvcc, cu::NvccArgs args) {
  return std::make_unique<NvccCompile>(service, std::move(request), std::move(nvcc),
                                       std::move(args));
}

}  // namespace sccache::server::cuda
