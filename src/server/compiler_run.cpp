#include "server/compiler_run.hpp"

#include <string_view>

#include "exec/jobserver.hpp"
#include "server/service.hpp"

namespace sccache::server {

namespace {

// make's variable, and cargo's (build scripts compile C through cc-rs under it).
constexpr std::string_view k_jobserver_vars[] = {"MAKEFLAGS=", "CARGO_MAKEFLAGS="};

std::string* jobserver_entry(exec::ProcessSpec& spec, std::string_view prefix) {
  for (auto& entry : spec.env)
    if (entry.starts_with(prefix)) return &entry;
  return nullptr;
}

}  // namespace

asio::awaitable<util::Result<exec::ProcessResult>> run_compiler(Service& service, pid_t client_pid,
                                                                exec::ProcessSpec spec) {
  std::optional<exec::Jobserver> jobserver;
  std::optional<exec::JobserverAuth> opened;
  for (auto prefix : k_jobserver_vars) {
    std::string* entry = jobserver_entry(spec, prefix);
    if (!entry) continue;
    std::string value = entry->substr(prefix.size());
    auto auth = exec::parse_jobserver(value);
    if (!auth) continue;
    if (!jobserver && client_pid > 0) {
      jobserver = exec::open_client_jobserver(client_pid, value);
      if (jobserver) opened = auth;
    }
    std::string_view name = prefix;
    *entry = std::string(name) + (opened == auth ? exec::with_jobserver_fds(value, 3, 4)
                                                 : exec::without_jobserver(value));
  }
  if (jobserver) {
    spec.pass_fds = {jobserver->read.get(), jobserver->write.get()};
    service.stats().add(stats::ExtraCounter::jobserver_compiles);
    co_return co_await service.runner().run(std::move(spec));
  }
  auto slot = co_await service.compile_slots().acquire(
      [&service] { service.stats().add(stats::ExtraCounter::slot_waits); });
  co_return co_await service.runner().run(std::move(spec));
}

}  // namespace sccache::server
