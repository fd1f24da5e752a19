#include "client/commands.hpp"

#include <CLI/App.hpp>
#include <CLI/Config.hpp>
#include <CLI/Formatter.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "client/connection.hpp"
#include "client/server_spawn.hpp"
#include "config/show_config.hpp"
#include "stats/render.hpp"

namespace sccache::client {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "sccache: error: %s\n", message.c_str());
  return 2;
}

// One request, one response; `start` starts a server when none runs.
util::Result<protocol::Response> ask(const config::ClientConfig& endpoint,
                                     const protocol::Request& request, bool start) {
  auto conn = start ? connect_or_start(endpoint) : Connection::open(endpoint);
  if (!conn) return tl::make_unexpected(conn.error());
  if (auto sent = conn->send(request); !sent) return tl::make_unexpected(sent.error());
  return conn->receive(endpoint.answer_timeout);
}

void print_info(const protocol::ServerInfo& info, const std::string& format) {
  if (format == "json") {
    std::cout << stats::render_json(info) << std::flush;
  } else {
    std::cout << stats::render_text(info) << std::flush;
  }
}

int print_stats_reply(const util::Result<protocol::Response>& reply, const std::string& format) {
  if (!reply) return fail(reply.error().message);
  if (auto* s = std::get_if<protocol::Stats>(&*reply)) {
    print_info(s->info, format);
    return 0;
  }
  if (auto* s = std::get_if<protocol::ShuttingDown>(&*reply)) {
    print_info(s->info, format);
    return 0;
  }
  return fail("unexpected response from the server");
}

// Whether what listens on the endpoint answers as an sccache server does.
bool answers_as_server(Connection& conn, const config::ClientConfig& endpoint) {
  if (!conn.send(protocol::GetStats{})) return false;
  auto reply = conn.receive(std::min(endpoint.answer_timeout, std::chrono::milliseconds(5000)));
  return reply && std::holds_alternative<protocol::Stats>(*reply);
}

std::string where(const config::ClientConfig& endpoint) {
  return endpoint.unix_socket.empty() ? "port " + std::to_string(endpoint.port)
                                      : endpoint.unix_socket;
}

int start(const config::ClientConfig& endpoint) {
  // On stdout, as sccache prints them.
  std::printf("sccache: Starting the server...\n");
  std::fflush(stdout);
  if (auto existing = Connection::open(endpoint)) {
    if (!answers_as_server(*existing, endpoint))
      return fail("address in use: " + where(endpoint) +
                  " is held by something that is not an "
                  "sccache server");
    std::printf("sccache: a server is already running\n");
    return 0;
  } else if (existing.error().code == util::ErrorCode::invalid) {
    return fail("address in use: " + existing.error().message);  // another user's server
  }
  auto started = start_server(endpoint);
  if (!started) return fail(started.error().message);
  if (endpoint.unix_socket.empty()) {
    std::printf("sccache: Listening on port %u\n", endpoint.port);
  } else {
    std::printf("sccache: Listening on %s\n", endpoint.unix_socket.c_str());
  }
  return 0;
}

int print_config() {
  auto loaded = config::load_config(config::process_env());
  if (!loaded) return fail(loaded.error().message);
  std::fputs(config::render_config(*loaded).c_str(), stdout);
  for (const auto& w : loaded->config.warnings)
    std::fprintf(stderr, "sccache: warning: %s\n", w.c_str());
  return 0;
}

}  // namespace

int run_command(int argc, char** argv) {
  CLI::App app{"sccache-cpp: a shared compiler cache (drop-in for Mozilla sccache)", "sccache"};
  bool show = false, zero = false, start_flag = false, stop = false, dist = false, version = false,
       show_config = false;
  std::string format = "text";
  auto* group = app.add_option_group("commands");
  group->add_flag("-s,--show-stats", show, "Show cache statistics");
  group->add_flag("-z,--zero-stats", zero, "Zero statistics counters");
  group->add_flag("--start-server", start_flag, "Start the background server");
  group->add_flag("--stop-server", stop, "Stop the background server (prints its final stats)");
  group->add_flag("--dist-status", dist, "Show distributed compilation status (always disabled)");
  group->add_flag("-V,--version", version, "Print version information");
  group->add_flag("--show-config", show_config,
                  "Show the effective settings (defaults, config file, environment) and where "
                  "each came from");
  group->require_option(1);
  app.add_option("--stats-format", format, "Output format of statistics")
      ->check(CLI::IsMember({"text", "json"}));
  app.footer(
      "Usage as a compiler wrapper: sccache <compiler> <args...>\n"
      "Enabled features: S3, Redis, Memcached, WebDAV, local disk");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (version) {
    std::printf("sccache %s\n", SCCACHE_VERSION);
    return 0;
  }
  if (show_config) return print_config();
  auto endpoint = config::load_client_config(config::process_env());
  if (!endpoint) return fail(endpoint.error().message);
  if (start_flag) return start(*endpoint);
  if (show) return print_stats_reply(ask(*endpoint, protocol::GetStats{}, true), format);
  if (zero) return print_stats_reply(ask(*endpoint, protocol::ZeroStats{}, true), format);
  if (stop) {
    std::printf("Stopping sccache server...\n");
    std::fflush(stdout);
    auto reply = ask(*endpoint, protocol::Shutdown{}, false);
    if (!reply) return fail("couldn't connect to server. Is it running?");
    return print_stats_reply(reply, format);
  }
  auto reply = ask(*endpoint, protocol::DistStatus{}, true);
  if (!reply) return fail(reply.error().message);
  if (auto* d = std::get_if<protocol::DistInfo>(&*reply)) {
    std::printf("{\"Disabled\":\"%s\"}\n", d->disabled_reason.c_str());
    return 0;
  }
  return fail("unexpected response from the server");
}

}  // namespace sccache::client
