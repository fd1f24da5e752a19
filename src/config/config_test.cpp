#include "config/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <vector>

#include "config/test_env.hpp"

namespace sccache::config {
namespace {

TEST(Config, Defaults) {
  auto c = load_server_config(env_of({{"HOME", "/home/u"}}));
  ASSERT_TRUE(c);
  // A socket of this user's own, not TCP port 4226 that every local user could reach.
  EXPECT_EQ(c->endpoint.unix_socket,
            "/tmp/sccache-" + std::to_string(::geteuid()) + "/server.sock");
  EXPECT_TRUE(c->endpoint.private_socket_dir);
  EXPECT_EQ(c->endpoint.startup_timeout, std::chrono::seconds(10));
  EXPECT_EQ(c->endpoint.answer_timeout, std::chrono::seconds(20));
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
  EXPECT_EQ(c->endpoint.unix_socket, "/tmp/s.sock");  // a named socket wins over the port
  EXPECT_FALSE(c->endpoint.private_socket_dir);
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

struct BadValue {
  std::string name;
  std::string value;
  std::string backend;  // a variable that switches the level on, when one is needed
};

TEST(Config, MoreInvalidValuesNameTheVariable) {
  const std::vector<BadValue> cases = {
      {"SCCACHE_SERVER_PORT", "-1", ""},
      {"SCCACHE_SERVER_PORT", " 80", ""},
      {"SCCACHE_STARTUP_TIMEOUT", "soon", ""},
      {"SCCACHE_STARTUP_TIMEOUT", "0", ""},
      {"SCCACHE_STARTUP_TIMEOUT", "inf", ""},
      {"SCCACHE_STARTUP_TIMEOUT", "1s", ""},
      {"SCCACHE_CACHE_SIZE", "0", ""},
      {"SCCACHE_CACHE_SIZE", "G", ""},
      {"SCCACHE_IDLE_TIMEOUT", "-5", ""},
      {"SCCACHE_CACHE_ZSTD_LEVEL", "0", ""},
      {"SCCACHE_CACHE_ZSTD_LEVEL", "fast", ""},
      {"SCCACHE_MAX_FRAME_LENGTH", "100", ""},
      {"SCCACHE_MAX_FRAME_LENGTH", "big", ""},
      {"SCCACHE_DIRECT", "maybe", ""},
      {"SCCACHE_UMASK", "8", ""},
      {"SCCACHE_CLIENT_TIMEOUT", "never", ""},
      {"SCCACHE_FRAME_TIMEOUT", "0", ""},
      {"SCCACHE_UMASK", "1777", ""},
      {"SCCACHE_UMASK", "u=rwx", ""},
      {"SCCACHE_REMOTE_TIMEOUT", "-2", ""},
      {"SCCACHE_LOCAL_RW_MODE", "RO", ""},
      {"SCCACHE_REDIS_RW_MODE", "both", "SCCACHE_REDIS"},
      {"SCCACHE_REMOTE_RW_MODE", "x", "SCCACHE_REDIS"},
      {"SCCACHE_REDIS_EXPIRATION", "1h", "SCCACHE_REDIS"},
      {"SCCACHE_REDIS_TTL", "1h", "SCCACHE_REDIS"},
      {"SCCACHE_MEMCACHED_EXPIRATION", "2592001", "SCCACHE_MEMCACHED"},
      {"SCCACHE_MEMCACHED_RW_MODE", "rw", "SCCACHE_MEMCACHED"},
      {"SCCACHE_WEBDAV_RW_MODE", "ro", "SCCACHE_WEBDAV_ENDPOINT"},
  };
  for (const auto& bad : cases) {
    std::map<std::string, std::string> vars = {{bad.name, bad.value}};
    if (!bad.backend.empty()) vars[bad.backend] = "tcp://h:1";
    auto c = load_server_config(env_of(vars));
    ASSERT_FALSE(c) << bad.name << "=" << bad.value;
    EXPECT_EQ(c.error().code, util::ErrorCode::invalid);
    EXPECT_NE(c.error().message.find(bad.name), std::string::npos) << c.error().message;
    EXPECT_NE(c.error().message.find("\"" + bad.value + "\""), std::string::npos)
        << c.error().message;
  }
}

TEST(Config, StartupTimeoutKeepsMilliseconds) {
  auto c = load_client_config(env_of({{"SCCACHE_STARTUP_TIMEOUT", "0.25"}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->startup_timeout, std::chrono::milliseconds(250));
  c = load_client_config(env_of({{"SCCACHE_STARTUP_TIMEOUT", "30"}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->startup_timeout, std::chrono::seconds(30));
}

// The client runs on every compile: it reads its three variables and nothing else.
TEST(Config, ClientReadsOnlyItsOwnVariables) {
  std::vector<std::string> asked;
  EnvLookup env = [&](const std::string& name) -> std::optional<std::string> {
    asked.push_back(name);
    return std::nullopt;
  };
  ASSERT_TRUE(load_client_config(env));
  std::sort(asked.begin(), asked.end());
  asked.erase(std::unique(asked.begin(), asked.end()), asked.end());
  EXPECT_EQ(asked, (std::vector<std::string>{"SCCACHE_CLIENT_TIMEOUT", "SCCACHE_SERVER_PORT",
                                             "SCCACHE_SERVER_UDS", "SCCACHE_STARTUP_TIMEOUT",
                                             "XDG_RUNTIME_DIR"}));
}

TEST(Config, RelativeXdgCacheHomeIsIgnored) {
  auto c = load_server_config(env_of({{"HOME", "/home/u"}, {"XDG_CACHE_HOME", "rel/cache"}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cache_dir, "/home/u/.cache/sccache");
}

TEST(Config, WithoutHomeTheCacheDirIsStillAbsolute) {
  auto c = load_server_config(env_of({}));
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->cache_dir.is_absolute()) << c->cache_dir;
  EXPECT_EQ(c->cache_dir.filename(), "sccache");
}

TEST(Config, NoDaemonTakesAnyValueButAFalseWord) {
  for (auto [value, expected] : std::vector<std::pair<std::string, bool>>{{"1", true},
                                                                          {"yes", true},
                                                                          {"TRUE", true},
                                                                          {"anything", true},
                                                                          {"0", false},
                                                                          {"false", false},
                                                                          {"Off", false},
                                                                          {"no", false},
                                                                          {"", false}}) {
    auto c = load_server_config(env_of({{"SCCACHE_NO_DAEMON", value}}));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->no_daemon, expected) << value;
  }
}

TEST(Config, SizesTakeSuffixes) {
  auto c = load_server_config(
      env_of({{"SCCACHE_CACHE_SIZE", "2T"}, {"SCCACHE_MAX_FRAME_LENGTH", "1G"}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->cache_size, 2ull << 40);
  EXPECT_EQ(c->max_frame_length, 1u << 30);
  c = load_server_config(env_of({{"SCCACHE_CACHE_SIZE", "1048576"}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cache_size, 1u << 20);
}

TEST(Config, RemoteDefaults) {
  auto c = load_server_config(env_of({}));
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->redis);
  EXPECT_FALSE(c->memcached);
  EXPECT_EQ(c->remote_timeout, std::chrono::seconds(3));
  EXPECT_FALSE(c->local_read_only);
  EXPECT_TRUE(c->direct_mode);
  EXPECT_EQ(c->max_frame_length, 256u << 20);
}

TEST(Config, S3) {
  auto c = load_server_config(env_of({{"SCCACHE_BUCKET", "cache"},
                                      {"SCCACHE_REGION", "eu-west-1"},
                                      {"SCCACHE_ENDPOINT", "127.0.0.1:9000"},
                                      {"SCCACHE_S3_USE_SSL", "false"},
                                      {"SCCACHE_S3_KEY_PREFIX", "ci/"},
                                      {"SCCACHE_S3_ENABLE_VIRTUAL_HOST_STYLE", "false"},
                                      {"SCCACHE_S3_RW_MODE", "READ_ONLY"},
                                      {"AWS_ACCESS_KEY_ID", "AKID"},
                                      {"AWS_SECRET_ACCESS_KEY", "secret"},
                                      {"AWS_SESSION_TOKEN", "token"},
                                      {"AWS_PROFILE", "ci"},
                                      {"HOME", "/home/u"}}));
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->s3);
  EXPECT_EQ(c->s3->bucket, "cache");
  EXPECT_EQ(c->s3->region, "eu-west-1");
  EXPECT_EQ(c->s3->endpoint, "127.0.0.1:9000");
  EXPECT_EQ(c->s3->use_ssl, false);
  EXPECT_EQ(c->s3->key_prefix, "ci/");
  EXPECT_EQ(c->s3->virtual_host, false);
  EXPECT_TRUE(c->s3->read_only);
  EXPECT_FALSE(c->s3->no_credentials);
  EXPECT_EQ(c->s3->access_key_id, "AKID");
  EXPECT_EQ(c->s3->secret_access_key, "secret");
  EXPECT_EQ(c->s3->session_token, "token");
  EXPECT_EQ(c->s3->profile, "ci");
  EXPECT_EQ(c->s3->credentials_file, "/home/u/.aws/credentials");
}

TEST(Config, S3RegionFallsBackToTheAwsVariables) {
  auto c =
      load_server_config(env_of({{"SCCACHE_BUCKET", "b"}, {"AWS_DEFAULT_REGION", "ap-south-1"}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->s3->region, "ap-south-1");
  c = load_server_config(env_of({{"SCCACHE_BUCKET", "b"},
                                 {"AWS_DEFAULT_REGION", "ap-south-1"},
                                 {"AWS_REGION", "eu-north-1"}}));
  EXPECT_EQ(c->s3->region, "eu-north-1");
  c = load_server_config(env_of(
      {{"SCCACHE_BUCKET", "b"}, {"AWS_REGION", "eu-north-1"}, {"SCCACHE_REGION", "us-west-2"}}));
  EXPECT_EQ(c->s3->region, "us-west-2");
}

TEST(Config, S3AnonymousIsReadOnlyAndRefusesKeys) {
  auto c =
      load_server_config(env_of({{"SCCACHE_BUCKET", "b"}, {"SCCACHE_S3_NO_CREDENTIALS", "true"}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->s3->no_credentials);
  EXPECT_TRUE(c->s3->read_only);
  EXPECT_FALSE(c->s3->use_ssl);
  auto both = load_server_config(env_of({{"SCCACHE_BUCKET", "b"},
                                         {"SCCACHE_S3_NO_CREDENTIALS", "true"},
                                         {"AWS_ACCESS_KEY_ID", "AKID"}}));
  ASSERT_FALSE(both);
  EXPECT_NE(both.error().message.find("SCCACHE_S3_NO_CREDENTIALS"), std::string::npos);
  auto bad = load_server_config(env_of({{"SCCACHE_BUCKET", "b"}, {"SCCACHE_S3_USE_SSL", "maybe"}}));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("SCCACHE_S3_USE_SSL"), std::string::npos);
}

TEST(Config, Redis) {
  auto c = load_server_config(env_of({{"SCCACHE_REDIS", "redis://u:p@h:6379/2"},
                                      {"SCCACHE_REDIS_USERNAME", "user"},
                                      {"SCCACHE_REDIS_PASSWORD", "pw"},
                                      {"SCCACHE_REDIS_DB", "3"},
                                      {"SCCACHE_REDIS_TTL", "3600"},
                                      {"SCCACHE_REDIS_KEY_PREFIX", "ci"},
                                      {"SCCACHE_REDIS_RW_MODE", "read_only"},
                                      {"SCCACHE_REMOTE_TIMEOUT", "0.5"}}));
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->redis);
  EXPECT_EQ(c->redis->url, "redis://u:p@h:6379/2");
  EXPECT_EQ(c->redis->username, "user");
  EXPECT_EQ(c->redis->password, "pw");
  EXPECT_EQ(c->redis->db, "3");
  EXPECT_EQ(c->redis->expiration_seconds, 3600u);
  EXPECT_EQ(c->redis->key_prefix, "ci");
  EXPECT_TRUE(c->redis->read_only);
  EXPECT_EQ(c->remote_timeout, std::chrono::milliseconds(500));
}

TEST(Config, RedisEndpointAndSharedRwMode) {
  auto c = load_server_config(env_of({{"SCCACHE_REDIS_ENDPOINT", "tcp://h:6379"},
                                      {"SCCACHE_REDIS_EXPIRATION", "60"},
                                      {"SCCACHE_REMOTE_RW_MODE", "READ_ONLY"}}));
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->redis);
  EXPECT_EQ(c->redis->url, "tcp://h:6379");
  EXPECT_EQ(c->redis->expiration_seconds, 60u);
  EXPECT_TRUE(c->redis->read_only);
  // The level's own variable wins over the shared one.
  c = load_server_config(env_of({{"SCCACHE_REDIS", "redis://h"},
                                 {"SCCACHE_REMOTE_RW_MODE", "READ_ONLY"},
                                 {"SCCACHE_REDIS_RW_MODE", "READ_WRITE"}}));
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->redis->read_only);
}

TEST(Config, RedisExpirationAndTtlTogetherAreAmbiguous) {
  auto c = load_server_config(env_of({{"SCCACHE_REDIS", "redis://h"},
                                      {"SCCACHE_REDIS_EXPIRATION", "60"},
                                      {"SCCACHE_REDIS_TTL", "60"}}));
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("SCCACHE_REDIS_TTL"), std::string::npos);
}

TEST(Config, UmaskIsOctalAndPrivateByDefault) {
  auto c = load_server_config(env_of({}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->cache_umask, 077u);
  c = load_server_config(env_of({{"SCCACHE_UMASK", "002"}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->cache_umask, 02u);
  c = load_server_config(env_of({{"SCCACHE_UMASK", "27"}}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->cache_umask, 027u);
}

TEST(Config, Memcached) {
  auto c = load_server_config(env_of({{"SCCACHE_MEMCACHED_ENDPOINT", "tcp://h:11211"},
                                      {"SCCACHE_MEMCACHED_EXPIRATION", "0"},
                                      {"SCCACHE_MEMCACHED_KEY_PREFIX", "p"},
                                      {"SCCACHE_MEMCACHED_RW_MODE", "READ_ONLY"},
                                      {"SCCACHE_LOCAL_RW_MODE", "READ_ONLY"},
                                      {"SCCACHE_DIRECT", "off"}}));
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->memcached);
  EXPECT_EQ(c->memcached->url, "tcp://h:11211");
  EXPECT_EQ(c->memcached->expiration_seconds, 0u);
  EXPECT_EQ(c->memcached->key_prefix, "p");
  EXPECT_TRUE(c->memcached->read_only);
  EXPECT_TRUE(c->local_read_only);
  EXPECT_FALSE(c->direct_mode);
  c = load_server_config(env_of({{"SCCACHE_MEMCACHED", "tcp://h:11211"}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->memcached->expiration_seconds, 86400u);
  EXPECT_FALSE(c->memcached->read_only);
  EXPECT_TRUE(c->memcached->username.empty());
}

TEST(Config, MemcachedSasl) {
  auto c = load_server_config(env_of({{"SCCACHE_MEMCACHED", "tcp://h:11211"},
                                      {"SCCACHE_MEMCACHED_USERNAME", "alice"},
                                      {"SCCACHE_MEMCACHED_PASSWORD", "hunter2"}}));
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->memcached);
  EXPECT_EQ(c->memcached->username, "alice");
  EXPECT_EQ(c->memcached->password, "hunter2");
  EXPECT_TRUE(c->warnings.empty());
  // Half a credential is an error naming what is missing, never a level refused on every request.
  c = load_server_config(
      env_of({{"SCCACHE_MEMCACHED", "tcp://h:11211"}, {"SCCACHE_MEMCACHED_USERNAME", "alice"}}));
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("SCCACHE_MEMCACHED_PASSWORD as well"), std::string::npos)
      << c.error().message;
  c = load_server_config(
      env_of({{"SCCACHE_MEMCACHED", "tcp://h:11211"}, {"SCCACHE_MEMCACHED_PASSWORD", "hunter2"}}));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message.find("hunter2"), std::string::npos) << c.error().message;
}

TEST(Config, Webdav) {
  auto c = load_server_config(env_of({{"SCCACHE_WEBDAV_ENDPOINT", "http://h:8080/cache"},
                                      {"SCCACHE_WEBDAV_KEY_PREFIX", "ci"},
                                      {"SCCACHE_WEBDAV_USERNAME", "u"},
                                      {"SCCACHE_WEBDAV_PASSWORD", "p"},
                                      {"SCCACHE_WEBDAV_TOKEN", "t"},
                                      {"SCCACHE_REMOTE_RW_MODE", "READ_ONLY"}}));
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->webdav);
  EXPECT_EQ(c->webdav->endpoint, "http://h:8080/cache");
  EXPECT_EQ(c->webdav->key_prefix, "ci");
  EXPECT_EQ(c->webdav->username, "u");
  EXPECT_EQ(c->webdav->password, "p");
  EXPECT_EQ(c->webdav->token, "t");
  EXPECT_TRUE(c->webdav->read_only);
  EXPECT_FALSE(load_server_config(env_of({}))->webdav);
}

TEST(Config, EmptyValuesMeanUnset) {
  auto c = load_client_config(env_of({{"SCCACHE_SERVER_PORT", ""}, {"SCCACHE_SERVER_UDS", ""}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->port, 4226);
  EXPECT_TRUE(c->private_socket_dir);
}

TEST(Config, EndpointChoice) {
  auto tcp = load_client_config(env_of({{"SCCACHE_SERVER_PORT", "4226"}}));
  ASSERT_TRUE(tcp);
  EXPECT_TRUE(tcp->unix_socket.empty());  // asked for by name: Mozilla's transport
  EXPECT_EQ(tcp->port, 4226);
  auto runtime = load_client_config(env_of({{"XDG_RUNTIME_DIR", "/run/user/1000"}}));
  ASSERT_TRUE(runtime);
  EXPECT_EQ(runtime->unix_socket, "/run/user/1000/sccache/server.sock");
  EXPECT_TRUE(runtime->private_socket_dir);
  auto relative = load_client_config(env_of({{"XDG_RUNTIME_DIR", "run"}}));
  ASSERT_TRUE(relative);
  EXPECT_EQ(relative->unix_socket, default_socket_path(env_of({})));
  auto timeout = load_client_config(env_of({{"SCCACHE_CLIENT_TIMEOUT", "1.5"}}));
  ASSERT_TRUE(timeout);
  EXPECT_EQ(timeout->answer_timeout, std::chrono::milliseconds(1500));
}

}  // namespace
}  // namespace sccache::config
