#pragma once
// Settings: built-in defaults < the config file (config_file.hpp) < the environment (SCCACHE_*),
// as in Mozilla's sccache. The client reads the environment alone (it starts on every compile);
// the server, the client that starts it and --show-config read all three.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace sccache::config {

// Reads one variable; tests pass a map-backed function instead of the process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_env();

// What the client needs, and nothing else: it must start fast.
// Where the server listens: SCCACHE_SERVER_UDS names a unix socket; else SCCACHE_SERVER_PORT a TCP
// port on 127.0.0.1 (Mozilla's transport, for its clients); else, by default, a unix socket of
// this user's own, in a 0700 directory the server makes: $XDG_RUNTIME_DIR/sccache/server.sock, or
// /tmp/sccache-<uid>/server.sock. Two users with default settings never share a server.
struct ClientConfig {
  std::uint16_t port = 4226;                          // SCCACHE_SERVER_PORT
  std::string unix_socket;                            // the socket path (empty: TCP)
  bool private_socket_dir = false;                    // the default path: its directory is ours
  std::chrono::milliseconds startup_timeout{10'000};  // SCCACHE_STARTUP_TIMEOUT (seconds)
  // SCCACHE_CLIENT_TIMEOUT (seconds): how long the client waits for any answer but a compile's
  // result, before it compiles by itself (a server that accepts but does not answer).
  std::chrono::milliseconds answer_timeout{20'000};
  // The compile's result: generous (a compile may take long) but bounded; a wait also ends as soon
  // as the server (over a unix socket, whose peer pid is known) is seen stopped or gone.
  std::chrono::milliseconds result_timeout{3'600'000};
};

// The home directory as Rust's `dirs` finds it: a non-empty $HOME, else the passwd entry.
std::filesystem::path home_dir(const EnvLookup& env);

// The default socket path for this user (see ClientConfig).
std::string default_socket_path(const EnvLookup& env);

// A Redis level behind the local disk (Mozilla's SCCACHE_REDIS* variables); strings as given.
struct RedisSettings {
  std::string url;                       // SCCACHE_REDIS, or SCCACHE_REDIS_ENDPOINT
  std::string username;                  // SCCACHE_REDIS_USERNAME (overrides the URL's)
  std::string password;                  // SCCACHE_REDIS_PASSWORD (overrides the URL's)
  std::string db;                        // SCCACHE_REDIS_DB (overrides the URL's)
  std::uint64_t expiration_seconds = 0;  // SCCACHE_REDIS_EXPIRATION / SCCACHE_REDIS_TTL
  std::string key_prefix;                // SCCACHE_REDIS_KEY_PREFIX
  bool read_only = false;  // SCCACHE_REDIS_RW_MODE / SCCACHE_REMOTE_RW_MODE = READ_ONLY
};

// A memcached level behind the local disk (SCCACHE_MEMCACHED*), used when no Redis is configured.
struct MemcachedSettings {
  std::string url;                           // SCCACHE_MEMCACHED or SCCACHE_MEMCACHED_ENDPOINT
  std::uint64_t expiration_seconds = 86400;  // SCCACHE_MEMCACHED_EXPIRATION
  std::string key_prefix;                    // SCCACHE_MEMCACHED_KEY_PREFIX
  std::string username;                      // SCCACHE_MEMCACHED_USERNAME (SASL PLAIN)
  std::string password;                      // SCCACHE_MEMCACHED_PASSWORD
  bool read_only = false;                    // SCCACHE_MEMCACHED_RW_MODE / SCCACHE_REMOTE_RW_MODE
};

// A WebDAV/HTTP level behind the local disk (SCCACHE_WEBDAV_*), used when no Redis/memcached is.
struct WebdavSettings {
  std::string endpoint;    // SCCACHE_WEBDAV_ENDPOINT
  std::string key_prefix;  // SCCACHE_WEBDAV_KEY_PREFIX
  std::string username;    // SCCACHE_WEBDAV_USERNAME
  std::string password;    // SCCACHE_WEBDAV_PASSWORD
  std::string token;       // SCCACHE_WEBDAV_TOKEN
  bool read_only = false;  // SCCACHE_WEBDAV_RW_MODE / SCCACHE_REMOTE_RW_MODE
};

// An S3 (or S3-compatible) level behind the local disk (SCCACHE_BUCKET and friends, AWS_*); it
// comes first among the remotes, as in Mozilla's sccache.
struct S3Settings {
  std::string bucket;           // SCCACHE_BUCKET
  std::string region;           // SCCACHE_REGION, AWS_REGION, AWS_DEFAULT_REGION (empty: us-east-1)
  std::string endpoint;         // SCCACHE_ENDPOINT: host[:port] or a URL (empty: AWS)
  std::optional<bool> use_ssl;  // SCCACHE_S3_USE_SSL
  std::string key_prefix;       // SCCACHE_S3_KEY_PREFIX
  bool no_credentials = false;  // SCCACHE_S3_NO_CREDENTIALS: anonymous and read-only
  // SCCACHE_S3_SERVER_SIDE_ENCRYPTION (SSE-S3), _AWS_KMS (SSE-KMS) and _KMS_KEY_ID: the
  // x-amz-server-side-encryption headers of a PUT.
  bool server_side_encryption = false;
  bool server_side_encryption_kms = false;
  std::string kms_key_id;
  std::optional<bool> virtual_host;  // SCCACHE_S3_ENABLE_VIRTUAL_HOST_STYLE
  bool read_only = false;            // SCCACHE_S3_RW_MODE / SCCACHE_REMOTE_RW_MODE
  // Credentials as the environment gives them; the profile file is read when the level is made.
  std::string access_key_id;      // AWS_ACCESS_KEY_ID
  std::string secret_access_key;  // AWS_SECRET_ACCESS_KEY
  std::string session_token;      // AWS_SESSION_TOKEN
  std::string profile;            // AWS_PROFILE (default "default")
  std::string credentials_file;   // AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/credentials
};

struct ServerConfig {
  ClientConfig endpoint;                        // where to listen
  std::filesystem::path cache_dir;              // SCCACHE_DIR, default $XDG_CACHE_HOME/sccache
  std::uint64_t cache_size = 10ull << 30;       // SCCACHE_CACHE_SIZE
  std::chrono::seconds idle_timeout{600};       // SCCACHE_IDLE_TIMEOUT, 0 = never
  std::uint64_t idle_timeout_seconds = 600;     // the same, as read
  std::string log_level;                        // SCCACHE_LOG
  std::string error_log;                        // SCCACHE_ERROR_LOG
  bool no_daemon = false;                       // SCCACHE_NO_DAEMON
  int zstd_level = 3;                           // SCCACHE_CACHE_ZSTD_LEVEL (1..22)
  std::uint32_t max_frame_length = 256u << 20;  // SCCACHE_MAX_FRAME_LENGTH
  // A started frame must be complete within this; a connection silent between frames closes.
  std::chrono::milliseconds frame_timeout{10'000};            // SCCACHE_FRAME_TIMEOUT (seconds)
  std::chrono::milliseconds connection_idle_timeout{60'000};  // SCCACHE_CONNECTION_IDLE_TIMEOUT
  std::optional<S3Settings> s3;
  std::optional<RedisSettings> redis;
  std::optional<MemcachedSettings> memcached;
  std::optional<WebdavSettings> webdav;
  std::chrono::milliseconds remote_timeout{
      3000};                     // SCCACHE_REMOTE_TIMEOUT (seconds) per remote call
  bool local_read_only = false;  // SCCACHE_LOCAL_RW_MODE = READ_ONLY
  bool direct_mode = true;       // SCCACHE_DIRECT (a request's own value wins)
  // SCCACHE_UMASK (octal, as ccache's umask): the cache directory's files and directories get
  // 0666/0777 less this; unset: private to the server's user (077), a shared cache asks for 002.
  std::uint32_t cache_umask = 077;
  // SCCACHE_BASEDIRS (config `basedirs`): absolute directories, normalized, each ending in '/',
  // longest first; paths under one are made relative to it in what goes into a key.
  std::vector<std::string> basedirs;
  std::string config_file;            // the config file's path, read or looked for
  bool config_file_read = false;      // it was there and was TOML
  std::vector<std::string> warnings;  // what was left out of the file or the environment, and why
};

struct FileSettings;

// The effective settings, and where each variable's value came from: "SCCACHE_DIR" → "env" or
// "<file>:<line>" (absent: the default).
struct LoadedConfig {
  ServerConfig config;
  std::map<std::string, std::string> origins;
};

// Invalid values in the environment (a port of "abc", a size of "10X") are errors naming the
// variable. Invalid values in the file are warnings (config.warnings) naming file, line and key:
// the default is used for them, and a remote whose table has one is not used.
util::Result<ClientConfig> load_client_config(const EnvLookup& env);
util::Result<ServerConfig> load_server_config(const EnvLookup& env);  // reads the config file
util::Result<LoadedConfig> load_config(const EnvLookup& env);         // reads the config file
util::Result<LoadedConfig> load_config(const EnvLookup& env, const FileSettings& file);

// The client's wait for a server it starts: SCCACHE_STARTUP_TIMEOUT, else the config file's
// server_startup_timeout_ms, else `current`. Reads the file: only for a start.
std::chrono::milliseconds startup_timeout(const EnvLookup& env, std::chrono::milliseconds current);

}  // namespace sccache::config
