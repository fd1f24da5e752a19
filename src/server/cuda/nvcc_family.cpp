#include "server/cuda/nvcc_family.hpp"

#include "compiler/c_family/env_in_key.hpp"
#include "compiler/cuda/direct_mode.hpp"
#include "compiler/cuda/env_flags.hpp"
#include "compiler/cuda/nvcc_args.hpp"
#include "server/cuda/nvcc_compile.hpp"
#include "util/strings.hpp"

namespace sccache::server::cuda {

namespace {

namespace cu = compiler::cuda;

// The environment of `nvcc --version`: without the flags variables, which could make it fail.
std::vector<std::string> env_strings(const protocol::Compile& request) {
  std::vector<std::string> env;
  env.reserve(request.env_vars.size());
  for (const auto& [name, value] : request.env_vars) {
    if (name != cu::k_prepend_flags && name != cu::k_append_flags)
      env.push_back(name + "=" + value);
  }
  return env;
}

// Direct mode: on unless the server's config or this request's SCCACHE_DIRECT turns it off, or
// the arguments need nvcc's own plan every time.
bool direct_mode_for(const Service& service, const protocol::Compile& request,
                     const cu::NvccArgs& args) {
  if (!service.config().direct_mode || cu::needs_dryrun(args)) return false;
  const std::string* value = nullptr;
  for (const auto& [name, v] : request.env_vars) {
    if (name == "SCCACHE_DIRECT") value = &v;
  }
  return !value || util::parse_bool(*value).value_or(true);
}

}  // namespace

NvccFamily::NvccFamily(Service& service)
    : m_service(service), m_detector(service.runner(), service.pool(), service.file_memo()) {}

asio::awaitable<std::optional<Admission>> NvccFamily::admit(protocol::Compile& request) {
  if (!named_like_nvcc(request.exe)) co_return std::nullopt;
  auto nvcc = co_await m_detector.detect(request.exe, env_strings(request), request.cwd);
  // Named like nvcc but not answering like it: not handed to the C family either, whose probe
  // would take nvcc's host side for gcc and key it on `nvcc -E` (the #2299 false hit).
  if (!nvcc) co_return NotCached{"unrecognised nvcc"};
  auto args = cu::with_env_flags(request.args, request.env_vars);
  if (!args) co_return NotCached{args.error().reason};
  auto parsed = cu::parse_nvcc_arguments(*args);
  if (std::holds_alternative<cu::NotCompilation>(parsed)) co_return NotACompile{};
  if (auto* cannot = std::get_if<cu::CannotCache>(&parsed)) co_return NotCached{cannot->reason};
  if (auto blocked = compiler::c_family::env_blocking_cache(request.env_vars); !blocked.empty()) {
    co_return NotCached{std::move(blocked)};
  }
  auto& nvcc_args = std::get<cu::NvccArgs>(parsed);
  bool direct = direct_mode_for(m_service, request, nvcc_args);
  co_return Admission{make_nvcc_compile(m_service, m_toolchains, std::move(request),
                                        std::move(*nvcc), std::move(nvcc_args), direct)};
}

}  // namespace sccache::server::cuda
