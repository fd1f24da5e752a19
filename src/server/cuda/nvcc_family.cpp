#include "server/cuda/nvcc_family.hpp"

#include "compiler/c_family/env_in_key.hpp"
#include "compiler/cuda/env_flags.hpp"
#include "compiler/cuda/nvcc_args.hpp"
#include "server/cuda/nvcc_compile.hpp"

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
  co_return Admission{make_nvcc_compile(m_service, std::move(request), std::move(*nvcc),
                                        std::move(std::get<cu::NvccArgs>(parsed)))};
}

}  // namespace sccache::server::cuda
