#include "config/config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace sccache::config {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

TEST(Config, Defaults) {
  auto c = load_server_config(env_of({{"HOME", "/home/u"}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->endpoint.port, 4226);
  EXPECT_TRUE(c->endpoint.unix_socket.empty());
  EXPECT_EQ(c->endpoint.startup_timeout, std::chrono::seconds(10));
  EXPECT_EQ(c->cache_dir, "/home/u/.cache/sccache");
  EXPECT_EQ(c->cache_size, 10ull << 30);
  EXPECT_EQ(c->idle_timeout, std::chrono::seconds(600));
  EXPECT_EQ(c->zstd_level, 3);
  EXPECT_FALSE(c->no_daemon);
}

TEST(Config, ReadsEveryVariable) {
  auto c = load_server_config(env_of({{"SCCACHE_SERVER_PORT", "5000"},
                                      {"SCCACHE_SERVER_UDS", "/tmp/s.sock"},
                                      {"SCCACHE_STARTUP_TIMEOUT", "2.5"},
                                      {"SCCACHE_DIR", "/c"},
                                      {"SCCACHE_CACHE_SIZE", "500M"},
                                      {"SCCACHE_IDLE_TIMEOUT", "0"},
                                      {"SCCACHE_LOG", "debug"},
                                      {"SCCACHE_ERROR_LOG", "/tmp/log"},
                                      {"SCCACHE_NO_DAEMON", "1"},
                                      {"SCCACHE_CACHE_ZSTD_LEVEL", "19"},
                                      {"SCCACHE_MAX_FRAME_LENGTH", "16M"}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->endpoint.port, 5000);
  EXPECT_EQ(c->endpoint.unix_socket, "/tmp/s.sock");
  EXPECT_EQ(c->endpoint.startup_timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(c->cache_dir, "/c");
  EXPECT_EQ(c->cache_size, 500ull << 20);
  EXPECT_EQ(c->idle_timeout, std::chrono::seconds(0));
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_EQ(c->error_log, "/tmp/log");
  EXPECT_TRUE(c->no_daemon);
  EXPECT_EQ(c->zstd_level, 19);
  EXPECT_EQ(c->max_frame_length, 16u << 20);
}

TEST(Config, XdgCacheHomeWins) {
  auto c = load_server_config(env_of({{"HOME", "/home/u"}, {"XDG_CACHE_HOME", "/xdg"}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cache_dir, "/xdg/sccache");
}

TEST(Config, InvalidValuesNameTheVariable) {
  for (auto [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"SCCACHE_SERVER_PORT", "abc"},
                                                        {"SCCACHE_SERVER_PORT", "70000"},
                                                        {"SCCACHE_SERVER_PORT", "0"},
                                                        {"SCCACHE_STARTUP_TIMEOUT", "-1"},
                                                        {"SCCACHE_CACHE_SIZE", "10X"},
                                                        {"SCCACHE_IDLE_TIMEOUT", "soon"},
                                                        {"SCCACHE_CACHE_ZSTD_LEVEL", "23"},
                                                        {"SCCACHE_MAX_FRAME_LENGTH", "2G"}}) {
    auto c = load_server_config(env_of({{name, value}}));
    ASSERT_FALSE(c) << name << "=" << value;
    EXPECT_EQ(c.error().code, util::ErrorCode::invalid);
    EXPECT_NE(c.error().message.find(name), std::string::npos) << c.error().message;
  }
}

TEST(Config, EmptyValuesMeanUnset) {
  auto c = load_client_config(env_of({{"SCCACHE_SERVER_PORT", ""}, {"SCCACHE_SERVER_UDS", ""}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->port, 4226);
  EXPECT_TRUE(c->unix_socket.empty());
}

}  // namespace
}  // namespace sccache::config
