#include "config/config_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "config/show_config.hpp"
#include "config/test_env.hpp"
#include "util/temp_dir.hpp"

namespace sccache::config {
namespace {

const EnvLookup k_no_env = env_of({{"HOME", "/home/u"}});

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST(ConfigFile, MozillaSchemaBecomesTheVariables) {
  auto f = parse_config_text(R"(
server_startup_timeout_ms = 2500
basedirs = ["/src/a", "/src/b/"]

[cache.disk]
dir = "/cache"
size = "5G"
rw_mode = "READ_ONLY"

[cache.disk.preprocessor_cache_mode]
use_preprocessor_cache_mode = false

[cache.redis]
endpoint = "redis://127.0.0.1:6379"
password = "s3cret"
db = 2
expiration = 3600
key_prefix = "team"
)",
                             "/etc/conf.toml");
  EXPECT_TRUE(f.warnings.empty()) << joined(f.warnings);
  EXPECT_EQ(f.values.at("SCCACHE_STARTUP_TIMEOUT").text, "2.500");
  EXPECT_EQ(f.values.at("SCCACHE_BASEDIRS").text, "/src/a:/src/b/");
  EXPECT_EQ(f.values.at("SCCACHE_DIR").text, "/cache");
  EXPECT_EQ(f.values.at("SCCACHE_DIR").line, 6u);
  EXPECT_EQ(f.values.at("SCCACHE_CACHE_SIZE").text, "5G");
  EXPECT_EQ(f.values.at("SCCACHE_DIRECT").text, "false");
  EXPECT_EQ(f.values.at("SCCACHE_REDIS_DB").text, "2");

  auto c = load_config(k_no_env, f);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->config.cache_dir, "/cache");
  EXPECT_EQ(c->config.cache_size, 5ull << 30);
  EXPECT_TRUE(c->config.local_read_only);
  EXPECT_FALSE(c->config.direct_mode);
  EXPECT_EQ(c->config.endpoint.startup_timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(c->config.basedirs, (std::vector<std::string>{"/src/a/", "/src/b/"}));
  ASSERT_TRUE(c->config.redis);
  EXPECT_EQ(c->config.redis->url, "redis://127.0.0.1:6379");
  EXPECT_EQ(c->config.redis->password, "s3cret");
  EXPECT_EQ(c->config.redis->expiration_seconds, 3600u);
  EXPECT_EQ(c->origins.at("SCCACHE_DIR"), "/etc/conf.toml:6");
  EXPECT_TRUE(c->config.warnings.empty()) << joined(c->config.warnings);
}

// docs/Configuration.md of Mozilla's sccache, its example file (the tables we serve, and some we
// do not): it loads, each thing we do not do is named once, and the rest is used.
TEST(ConfigFile, MozillasDocumentedExample) {
  auto f = parse_config_text(R"(
server_startup_timeout_ms = 10000
basedirs = ["/home/user/project"]

[dist]
scheduler_url = "http://1.2.3.4:10600"
toolchains = []
toolchain_cache_size = 5368709120
cache_dir = "/home/user/.cache/sccache-dist-client"

[dist.auth]
type = "token"
token = "secrettoken"

[cache.multilevel]
chain = ["disk", "redis", "s3"]
write_error_policy = "l0"

[cache.disk]
dir = "/tmp/.cache/sccache"
size = 7516192768 # 7 GiBytes

[cache.disk.preprocessor_cache_mode]
use_preprocessor_cache_mode = true
file_stat_matches = true
use_ctime_for_stat = true
ignore_time_macros = false
skip_system_headers = false
hash_working_directory = true

[cache.gcs]
rw_mode = "READ_ONLY"
cred_path = "/psst/secret/cred"
bucket = "bucket"
key_prefix = "prefix"

[cache.memcached]
endpoint = "tcp://127.0.0.1:11211"
username = "user"
password = "passwd"
expiration = 3600
key_prefix = "/custom/prefix/if/need"

[cache.redis]
url = "redis://user:passwd@1.2.3.4:6379/?db=1"
endpoint = "redis://127.0.0.1:6379"
cluster_endpoints = "redis://10.0.0.1:6379,redis://10.0.0.2:6379"
username = "user"
password = "passwd"
db = 1
expiration = 3600
key_prefix = "/custom/prefix/if/need"

[cache.s3]
bucket = "name"
endpoint = "s3-us-east-1.amazonaws.com"
use_ssl = true
key_prefix = "s3prefix"
server_side_encryption = false
server_side_encryption_aws_kms = false

[cache.webdav]
endpoint = "http://192.168.10.42:80/some/webdav.php"
key_prefix = "/custom/webdav/subfolder/if/need"
username = "alice"
password = "secret12"
token = "token123"
)",
                             "config");
  auto c = load_config(k_no_env, f);
  ASSERT_TRUE(c) << c.error().message;
  const auto& cfg = c->config;
  EXPECT_EQ(cfg.cache_dir, "/tmp/.cache/sccache");
  EXPECT_EQ(cfg.cache_size, 7516192768u);
  EXPECT_TRUE(cfg.direct_mode);
  EXPECT_EQ(cfg.basedirs, std::vector<std::string>{"/home/user/project/"});
  ASSERT_TRUE(cfg.s3);
  EXPECT_EQ(cfg.s3->bucket, "name");
  EXPECT_EQ(cfg.s3->use_ssl, true);
  ASSERT_TRUE(cfg.redis);
  EXPECT_EQ(cfg.redis->url, "redis://user:passwd@1.2.3.4:6379/?db=1");  // url before endpoint
  ASSERT_TRUE(cfg.memcached);                                           // with SASL credentials
  EXPECT_EQ(cfg.memcached->username, "user");
  EXPECT_EQ(cfg.memcached->password, "passwd");
  EXPECT_EQ(cfg.memcached->expiration_seconds, 3600u);
  ASSERT_TRUE(cfg.webdav);
  std::string all = joined(cfg.warnings);
  for (const char* named :
       {"config:5: dist: distributed compilation", "config:15: cache.multilevel: a multi-level",
        "config:25: cache.disk.preprocessor_cache_mode.file_stat_matches: is not supported",
        "config:31: cache.gcs: Google Cloud Storage",
        "config:47: cache.redis.cluster_endpoints: "
        "Redis Cluster",
        "memcached is configured too, and not used", "Redis is configured too, and not used",
        "WebDAV is configured too, and not used"}) {
    EXPECT_NE(all.find(named), std::string::npos) << named << " not in:\n" << all;
  }
  EXPECT_EQ(cfg.warnings.size(), 8u) << all;
}

// toml++ 3.3.0 meets undefined behaviour classifying U+00A1–U+0499 and U+2CEE–U+30E7 as
// whitespace or not (found by fuzz_config_file): those characters are sheltered from it.
TEST(ConfigFile, CharactersTomlppMisclassifiesAreSafeAndKept) {
  auto f = parse_config_text("[cache.disk]\ndir = \"/home/jos\u00e9/\u2d00\ufe7f\u3000\"\n", "c");
  EXPECT_TRUE(f.warnings.empty()) << joined(f.warnings);
  EXPECT_EQ(f.values.at("SCCACHE_DIR").text, "/home/jos\u00e9/\u2d00\ufe7f\u3000");
  auto after_value = parse_config_text("[cache.disk]\nsize = 5\u00e9\n", "c");
  ASSERT_EQ(after_value.warnings.size(), 1u);
  EXPECT_NE(after_value.warnings[0].find("not valid TOML"), std::string::npos);
  auto in_multiline = parse_config_text("[cache.disk]\ndir = \"\"\"/a\\\n  \u00e9\"\"\"\n", "c");
  EXPECT_TRUE(in_multiline.warnings.empty()) << joined(in_multiline.warnings);
  EXPECT_EQ(in_multiline.values.at("SCCACHE_DIR").text, "/a\u00e9");
  auto stand_in = parse_config_text("# \U000f00e9\n", "c");
  ASSERT_EQ(stand_in.warnings.size(), 1u);
  EXPECT_NE(stand_in.warnings[0].find("the file is not used"), std::string::npos);
}

TEST(ConfigFile, EnvironmentWinsKeyByKey) {
  auto f = parse_config_text("[cache.disk]\ndir = \"/file\"\nsize = 1000\n", "c");
  auto c = load_config(env_of({{"HOME", "/h"}, {"SCCACHE_DIR", "/env"}}), f);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->config.cache_dir, "/env");
  EXPECT_EQ(c->config.cache_size, 1000u);  // the file's size stays: unlike Mozilla, per key
  EXPECT_EQ(c->origins.at("SCCACHE_DIR"), "env");
  EXPECT_EQ(c->origins.at("SCCACHE_CACHE_SIZE"), "c:3");
}

TEST(ConfigFile, ARemoteNamedInTheEnvironmentIsWhollyTheEnvironments) {
  auto f = parse_config_text(
      "[cache.redis]\nendpoint = \"redis://file:6379\"\npassword = \"for-file-host\"\n", "c");
  auto c = load_config(env_of({{"HOME", "/h"}, {"SCCACHE_REDIS_ENDPOINT", "redis://env:1"}}), f);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->config.redis);
  EXPECT_EQ(c->config.redis->url, "redis://env:1");
  EXPECT_EQ(c->config.redis->password, "");  // never sent to another server
}

TEST(ConfigFile, MalformedFileIsNotUsedAndNamed) {
  auto f = parse_config_text("[cache.disk]\ndir = \"/x\nsize = 5\n", "/p/config");
  ASSERT_EQ(f.warnings.size(), 1u);
  EXPECT_TRUE(f.warnings[0].starts_with("/p/config:2:")) << f.warnings[0];
  EXPECT_NE(f.warnings[0].find("not valid TOML"), std::string::npos);
  EXPECT_NE(f.warnings[0].find("the file is not used"), std::string::npos);
  EXPECT_TRUE(f.values.empty());
  auto c = load_config(k_no_env, f);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->config.cache_dir, "/home/u/.cache/sccache");
  EXPECT_EQ(c->config.warnings, f.warnings);
}

TEST(ConfigFile, UnknownKeyIsNamedWithASuggestion) {
  auto f = parse_config_text("[cache.disk]\ndri = \"/x\"\nsize = \"2G\"\n", "c");
  ASSERT_EQ(f.warnings.size(), 1u) << joined(f.warnings);
  EXPECT_EQ(f.warnings[0], "c:2: cache.disk.dri: unknown key (did you mean 'dir'?); ignored");
  EXPECT_EQ(f.values.at("SCCACHE_CACHE_SIZE").text, "2G");
}

TEST(ConfigFile, WrongTypeIsNamedAndLeftOut) {
  auto f = parse_config_text("[cache.disk]\nsize = true\ndir = \"/d\"\n", "c");
  ASSERT_EQ(f.warnings.size(), 1u);
  EXPECT_NE(f.warnings[0].find("c:2: cache.disk.size: expected a size"), std::string::npos)
      << f.warnings[0];
  EXPECT_NE(f.warnings[0].find("got a boolean; ignored"), std::string::npos) << f.warnings[0];
  EXPECT_FALSE(f.values.contains("SCCACHE_CACHE_SIZE"));
  EXPECT_EQ(f.values.at("SCCACHE_DIR").text, "/d");
}

TEST(ConfigFile, InvalidValueFallsBackToTheDefaultAndIsNamed) {
  auto f = parse_config_text("[cache.disk]\nsize = \"10X\"\ndir = \"/d\"\n", "/c.toml");
  auto c = load_config(k_no_env, f);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->config.cache_size, 10ull << 30);
  EXPECT_EQ(c->config.cache_dir, "/d");
  ASSERT_EQ(c->config.warnings.size(), 1u);
  EXPECT_EQ(c->config.warnings[0],
            "/c.toml:2: cache.disk.size = \"10X\" is invalid: expected a size such as 10G, 500M "
            "or 1048576; the default is used");
}

TEST(ConfigFile, ARemoteWithABadKeyIsNotUsedAtAll) {
  // A misspelt password must not leave a Redis level that authenticates with none.
  auto f = parse_config_text(
      "[cache.redis]\nendpoint = \"redis://h:1\"\npasword = \"x\"\n[cache.disk]\ndir = \"/d\"\n",
      "c");
  auto c = load_config(k_no_env, f);
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->config.redis);
  EXPECT_EQ(c->config.cache_dir, "/d");
  ASSERT_EQ(c->config.warnings.size(), 1u);
  EXPECT_EQ(c->config.warnings[0],
            "c:3: cache.redis.pasword: unknown key (did you mean 'password'?); [cache.redis] is "
            "not used");

  auto bad_value =
      parse_config_text("[cache.memcached]\nurl = \"tcp://h:1\"\nexpiration = 99999999999\n", "c");
  auto m = load_config(k_no_env, bad_value);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->config.memcached);
  ASSERT_EQ(m->config.warnings.size(), 1u);
  EXPECT_NE(m->config.warnings[0].find("c:3: cache.memcached.expiration = \"99999999999\" is "
                                       "invalid"),
            std::string::npos)
      << m->config.warnings[0];
  EXPECT_NE(m->config.warnings[0].find("[cache.memcached] is not used"), std::string::npos);

  // A password without its username: the level is not used, and the warning does not show it.
  auto half =
      parse_config_text("[cache.memcached]\nurl = \"tcp://h:1\"\npassword = \"hunter2\"\n", "c");
  auto h = load_config(k_no_env, half);
  ASSERT_TRUE(h);
  EXPECT_FALSE(h->config.memcached);
  ASSERT_EQ(h->config.warnings.size(), 1u);
  EXPECT_EQ(h->config.warnings[0],
            "c:3: cache.memcached.password = \"(hidden)\" is invalid: expected "
            "SCCACHE_MEMCACHED_USERNAME as well (SASL needs both); [cache.memcached] is not used");
}

TEST(ConfigFile, InvalidEnvironmentIsStillAnError) {
  auto f = parse_config_text("[cache.disk]\nsize = \"1G\"\n", "c");
  auto c = load_config(env_of({{"HOME", "/h"}, {"SCCACHE_CACHE_SIZE", "10X"}}), f);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("SCCACHE_CACHE_SIZE=\"10X\""), std::string::npos);
}

TEST(ConfigFile, UnsupportedBackendsAreNamed) {
  auto f = parse_config_text(
      "[cache.gcs]\nbucket = \"b\"\n[dist]\nscheduler_url = \"http://s\"\n"
      "[cache.disk.preprocessor_cache_mode]\nignore_time_macros = true\n"
      "hash_working_directory = true\n",
      "c");
  ASSERT_EQ(f.warnings.size(), 3u) << joined(f.warnings);
  EXPECT_EQ(f.warnings[0],
            "c:1: cache.gcs: Google Cloud Storage is not supported by this sccache; ignored");
  EXPECT_NE(f.warnings[1].find("c:3: dist: distributed compilation"), std::string::npos)
      << f.warnings[1];
  EXPECT_EQ(f.warnings[2],
            "c:6: cache.disk.preprocessor_cache_mode.ignore_time_macros: is not supported by "
            "this sccache: it keeps false");

  auto env = load_config(env_of({{"HOME", "/h"}, {"SCCACHE_AZURE_CONNECTION_STRING", "x"}}),
                         FileSettings{});
  ASSERT_TRUE(env);
  ASSERT_EQ(env->config.warnings.size(), 1u);
  EXPECT_EQ(env->config.warnings[0],
            "SCCACHE_AZURE_CONNECTION_STRING is set: Azure Blob Storage is not supported by this "
            "sccache; ignored");
}

TEST(ConfigFile, SizesAndModesInEitherForm) {
  auto f = parse_config_text("[cache.disk]\nsize = 1048576\numask = 0o002\n", "c");
  auto c = load_config(k_no_env, f);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->config.cache_size, 1048576u);
  EXPECT_EQ(c->config.cache_umask, 02u);
  auto g = parse_config_text("[cache.disk]\numask = \"027\"\n", "c");
  auto d = load_config(k_no_env, g);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->config.cache_umask, 027u);
}

TEST(ConfigFile, FileLocation) {
  EXPECT_EQ(config_file_path(env_of({{"SCCACHE_CONF", "/x.toml"}, {"HOME", "/h"}})), "/x.toml");
  EXPECT_EQ(config_file_path(env_of({{"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/h"}})),
            "/xdg/sccache/config");
  EXPECT_EQ(config_file_path(env_of({{"XDG_CONFIG_HOME", "rel"}, {"HOME", "/h"}})),
            "/h/.config/sccache/config");
}

TEST(ConfigFile, ReadsTheFileAndNamesAMissingOneOnlyWhenAskedFor) {
  auto dir = util::TempDir::create("config-file-test-");
  ASSERT_TRUE(dir);
  auto path = dir->path() / "conf.toml";
  EXPECT_TRUE(read_config_file(path, false).warnings.empty());
  auto named = read_config_file(path, true);
  ASSERT_EQ(named.warnings.size(), 1u);
  EXPECT_NE(named.warnings[0].find("No such file"), std::string::npos);
  std::ofstream(path) << "[cache.disk]\ndir = \"/from/file\"\n";
  auto c = load_config(env_of({{"HOME", "/h"}, {"SCCACHE_CONF", path.string()}}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->config.cache_dir, "/from/file");
  EXPECT_EQ(c->config.config_file, path.string());
  EXPECT_EQ(startup_timeout(env_of({{"SCCACHE_CONF", path.string()}}), std::chrono::seconds(3)),
            std::chrono::seconds(3));
  std::ofstream(path) << "server_startup_timeout_ms = 1500\n";
  EXPECT_EQ(startup_timeout(env_of({{"SCCACHE_CONF", path.string()}}), std::chrono::seconds(3)),
            std::chrono::milliseconds(1500));
  EXPECT_EQ(
      startup_timeout(env_of({{"SCCACHE_CONF", path.string()}, {"SCCACHE_STARTUP_TIMEOUT", "7"}}),
                      std::chrono::seconds(7)),
      std::chrono::seconds(7));
}

TEST(ShowConfig, NamesOriginsAndMasksSecrets) {
  auto f = parse_config_text(
      "[cache.disk]\nsize = \"2G\"\n[cache.redis]\nurl = \"redis://u:pw@h:1/0\"\n"
      "password = \"pw2\"\n",
      "/c.toml");
  auto c = load_config(env_of({{"HOME", "/h"}, {"SCCACHE_DIR", "/env/dir"}}), f);
  ASSERT_TRUE(c);
  std::string shown = render_config(*c);
  EXPECT_NE(shown.find("dir = \"/env/dir\""), std::string::npos) << shown;
  EXPECT_NE(shown.find("# env SCCACHE_DIR"), std::string::npos) << shown;
  EXPECT_NE(shown.find("size = \"2G\""), std::string::npos) << shown;
  EXPECT_NE(shown.find("# /c.toml:2"), std::string::npos) << shown;
  EXPECT_NE(shown.find("url = \"redis://u:****@h:1/0\""), std::string::npos) << shown;
  EXPECT_NE(shown.find("password = \"****\""), std::string::npos) << shown;
  EXPECT_EQ(shown.find("pw"), std::string::npos) << shown;
  EXPECT_NE(shown.find("idle_timeout = 600"), std::string::npos) << shown;
  EXPECT_NE(shown.find("# default (SCCACHE_IDLE_TIMEOUT)"), std::string::npos) << shown;
}

TEST(ShowConfig, MasksAUrlPassword) {
  EXPECT_EQ(mask_url_password("redis://:pw@h:1"), "redis://:****@h:1");
  EXPECT_EQ(mask_url_password("redis://h:1"), "redis://h:1");
  EXPECT_EQ(mask_url_password("http://h/a@b:c"), "http://h/a@b:c");
}

}  // namespace
}  // namespace sccache::config
