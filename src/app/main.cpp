// One executable: the client by default; the server when a client re-runs it with
// SCCACHE_START_SERVER=1, or in the foreground for `SCCACHE_NO_DAEMON=1 sccache --start-server`.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "client/client_main.hpp"
#include "config/config.hpp"
#include "server/server.hpp"

namespace {

int server_main(int notify_fd) {
  auto config = sccache::config::load_server_config(sccache::config::process_env());
  if (!config) {
    std::fprintf(stderr, "sccache: error: %s\n", config.error().message.c_str());
    return 2;
  }
  return sccache::server::run_server(*config, notify_fd);
}

bool env_is(const char* name, std::string_view value) {
  const char* v = std::getenv(name);
  return v && value == v;
}

}  // namespace

int main(int argc, char** argv) {
  if (env_is("SCCACHE_START_SERVER", "1") && argc == 1) {
    const char* fd = std::getenv("SCCACHE_STARTUP_NOTIFY_FD");
    return server_main(fd ? std::atoi(fd) : -1);
  }
  if (argc == 2 && std::string_view(argv[1]) == "--start-server" &&
      env_is("SCCACHE_NO_DAEMON", "1")) {
    return server_main(-1);
  }
  return sccache::client::client_main(argc, argv);
}
