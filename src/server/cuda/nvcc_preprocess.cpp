#include "server/cuda/nvcc_preprocess.hpp"

#include <asio/co_spawn.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <chrono>

#include "server/cuda/nvcc_key.hpp"
#include "server/file_settle.hpp"
#include "util/file_clock.hpp"
#include "util/log.hpp"

namespace sccache::server::cuda {

namespace {

namespace cu = compiler::cuda;
using Clock = std::chrono::steady_clock;

// How long a compile waits for the file clock to pass the source's times (a few ticks; longer
// means a clock step or a file system that keeps whole seconds: not worth waiting for).

struct Ran {
  std::string out;
  std::string err;
};

// One preprocess step, run as nvcc would run it but writing to stdout.
asio::awaitable<std::optional<Ran>> preprocess(Service& service, const cu::Step& step,
                                               const std::string& path, const std::string& cwd,
                                               const std::vector<std::string>& env, bool verbose) {
  auto argv = cu::preprocess_argv(step, std::nullopt);
  if (!argv || argv->empty()) co_return std::nullopt;
  auto tool = resolve_tool(argv->front(), path, cwd);
  if (!tool) co_return std::nullopt;
  std::vector<std::string> args(argv->begin() + 1, argv->end());
  if (verbose) args.push_back("-v");  // the include search list, on stderr; stdout is the same
  exec::ProcessSpec spec{*tool, std::move(args), cwd, env, argv->front()};
  auto ran = co_await service.runner().run(std::move(spec));
  if (!ran || !ran->succeeded()) co_return std::nullopt;
  co_return Ran{std::move(ran->stdout_bytes), std::move(ran->stderr_bytes)};
}

}  // namespace

asio::awaitable<std::optional<cu::Dryrun>> run_dryrun(Service& service, const std::string& nvcc,
                                                      const cu::NvccArgs& args,
                                                      const std::string& cwd, const EnvPairs& env) {
  std::vector<std::string> strings;
  for (const auto& [name, value] : env) strings.push_back(name + "=" + value);
  exec::ProcessSpec spec{nvcc, args.dryrun_args, cwd, std::move(strings), {}};
  spec.args.push_back("-dryrun");
  auto ran = co_await service.runner().run(std::move(spec));
  if (!ran || !ran->succeeded()) co_return std::nullopt;
  auto parsed = cu::parse_dryrun(ran->stderr_bytes, env);
  if (!parsed) {
    log::warn("nvcc's dryrun for {}: {}", args.input, parsed.error().message);
    co_return std::nullopt;
  }
  co_return std::move(*parsed);
}

std::string plan_path(const cu::Dryrun& plan, const EnvPairs& env) {
  for (auto it = plan.env.rbegin(); it != plan.env.rend(); ++it) {
    if (it->first == "PATH") return it->second;
  }
  for (const auto& [name, value] : env) {
    if (name == "PATH") return value;
  }
  return {};
}

// Each runs as a coroutine of its own; a timer wakes this one when the last is done.
asio::awaitable<std::optional<PreprocessRuns>> run_preprocesses(
    Service& service, const std::vector<const cu::Step*>& steps, const std::string& path,
    const std::string& cwd, const std::vector<std::string>& env, bool verbose) {
  auto executor = co_await asio::this_coro::executor;
  std::vector<std::optional<Ran>> runs(steps.size());
  std::size_t remaining = steps.size();
  asio::steady_timer all_done(executor, asio::steady_timer::time_point::max());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    asio::co_spawn(executor, preprocess(service, *steps[i], path, cwd, env, verbose),
                   [&, i](std::exception_ptr error, std::optional<Ran> ran) {
                     if (!error) runs[i] = std::move(ran);
                     if (--remaining == 0) all_done.cancel();
                   });
  }
  if (remaining > 0) {
    asio::error_code ignored;  // (operation_aborted: the wake-up)
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  PreprocessRuns out;
  for (auto& ran : runs) {
    if (!ran) co_return std::nullopt;
    out.texts.push_back(std::move(ran->out));
    out.verbose.push_back(std::move(ran->err));
  }
  co_return out;
}

}  // namespace sccache::server::cuda
