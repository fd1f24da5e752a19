#include "server/rust/rust_family.hpp"

#include "compiler/rust/rustc_args.hpp"
#include "server/rust/rust_compile.hpp"

namespace sccache::server::rust {

namespace {

namespace rs = compiler::rust;

std::vector<std::string> env_strings(const protocol::Compile& request) {
  std::vector<std::string> env;
  env.reserve(request.env_vars.size());
  for (const auto& [name, value] : request.env_vars) env.push_back(name + "=" + value);
  return env;
}

// Variables that change what rustc writes or prints but that no dep-info line shows.
std::string env_blocking_cache(const protocol::Compile& request) {
  for (const auto& [name, value] : request.env_vars) {
    if (name == "RUSTC_LOG" && !value.empty()) return "RUSTC_LOG";  // its log goes to stderr
  }
  return {};
}

}  // namespace

RustFamily::RustFamily(Service& service)
    : m_service(service),
      m_detector(service.runner(), service.pool(), service.file_memo()),
      m_linkers(service.runner(), service.pool(), service.file_memo()) {}

asio::awaitable<std::optional<Admission>> RustFamily::admit(protocol::Compile& request) {
  if (!named_like_rustc(request.exe)) co_return std::nullopt;
  auto rustc = co_await m_detector.detect(request.exe, env_strings(request), request.cwd);
  if (!rustc) co_return std::nullopt;
  // clippy-driver: its lints come from CLIPPY_ARGS and clippy.toml, not yet in the key: passed
  // through, as a reason of its own (never "multiple input files" for its `rustc` argument).
  if (rustc->clippy) co_return NotCached{"clippy"};
  if (request.args.size() > 256 * 1024) co_return NotCached{"command line too long"};
  for (const auto& a : request.args) {
    if (a.starts_with('@')) co_return NotCached{"@file"};  // (rustc's own rules; not read yet)
  }
  auto parsed = rs::parse_rustc_arguments(request.args, request.cwd);
  if (std::holds_alternative<rs::NotCompilation>(parsed)) co_return NotACompile{};
  if (auto* cannot = std::get_if<rs::CannotCache>(&parsed)) co_return NotCached{cannot->reason};
  if (auto blocked = env_blocking_cache(request); !blocked.empty()) {
    co_return NotCached{std::move(blocked)};
  }
  auto& args = std::get<rs::RustArgs>(parsed);
  std::optional<std::string> linker;
  if (args.linked && args.emit_link) {  // (cargo check of a bin: metadata only, no link)
    linker = co_await m_linkers.identity(args.linker.value_or("cc"), request.cwd, request.env_vars,
                                         rustc->sysroot);
    if (!linker) co_return NotCached{"linker"};
  }
  co_return Admission{make_rust_compile(m_service, std::move(request), std::move(*rustc),
                                        std::move(args), std::move(linker))};
}

}  // namespace sccache::server::rust
