// Fuzzes the server's configuration from the environment: the input is NAME=value lines (a line
// without '=' sets NAME to ""), looked up by load_server_config as the process environment would
// be. A server configuration that loads has a loadable client part, and the same endpoint.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string_view>

#include "config/config.hpp"
#include "config/config_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sccache::config;
  std::map<std::string, std::string> vars;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    auto end = std::min(rest.find('\n'), rest.size());
    std::string_view line = rest.substr(0, end);
    auto eq = std::min(line.find('='), line.size());
    vars[std::string(line.substr(0, eq))] = std::string(line.substr(std::min(eq + 1, line.size())));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  // No passwd look-up for the default cache directory: the outcome depends on the bytes alone.
  if (vars["HOME"].empty()) vars["HOME"] = "/nonexistent-fuzz-home";
  EnvLookup env = [&](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  // The environment alone (config_file_fuzz.cpp has the file): no file of this machine is read.
  auto loaded = load_config(env, FileSettings{});
  if (!loaded) return 0;
  auto* server = &loaded->config;
  auto client = load_client_config(env);
  if (!client || client->port != server->endpoint.port ||
      client->unix_socket != server->endpoint.unix_socket) {
    std::fprintf(stderr, "config: the server's endpoint is not the client's\n");
    std::abort();
  }
  return 0;
}
