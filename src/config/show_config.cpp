#include "config/show_config.hpp"

#include <cstdio>
#include <vector>

#include "config/file_keys.hpp"

namespace sccache::config {

namespace {

constexpr const char* k_masked = "\"****\"";

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string size_text(std::uint64_t bytes) {
  const char* units = "KMGT";
  int unit = -1;
  while (unit < 3 && bytes != 0 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++unit;
  }
  if (unit < 0) return std::to_string(bytes);
  return quoted(std::to_string(bytes) + units[unit]);
}

const char* mode_text(bool read_only) {
  return read_only ? "\"READ_ONLY\"" : "\"READ_WRITE\"";
}

class Renderer {
 public:
  explicit Renderer(const LoadedConfig& loaded) : m_origins(loaded.origins) {}

  void table(std::string_view name) { m_out += "\n[" + std::string(name) + "]\n"; }

  // One `key = value` line of table `prefix`, with the origin of the variable `env`.
  void row(std::string_view key, const std::string& value, const std::string& env) {
    std::string line = std::string(key) + " = " + value;
    if (line.size() < 44) line.resize(44, ' ');
    m_out += line + "  # " + origin(env) + "\n";
  }

  void comment(const std::string& text) { m_out += "# " + text + "\n"; }

  std::string origin(const std::string& env) const {
    auto it = m_origins.find(env);
    if (it == m_origins.end()) return "default (" + env + ")";
    if (it->second == "env") return "env " + env;
    return it->second;
  }

  bool has(const std::string& env) const { return m_origins.contains(env); }
  std::string take() { return std::move(m_out); }

 private:
  const std::map<std::string, std::string>& m_origins;
  std::string m_out;
};

void render_disk(Renderer& r, const ServerConfig& c) {
  r.table("cache.disk");
  r.row("dir", quoted(c.cache_dir.string()), "SCCACHE_DIR");
  r.row("size", size_text(c.cache_size), "SCCACHE_CACHE_SIZE");
  r.row("rw_mode", mode_text(c.local_read_only), "SCCACHE_LOCAL_RW_MODE");
  char umask[8];
  std::snprintf(umask, sizeof umask, "%03o", c.cache_umask);
  r.row("umask", quoted(umask), "SCCACHE_UMASK");
  r.table("cache.disk.preprocessor_cache_mode");
  r.row("use_preprocessor_cache_mode", c.direct_mode ? "true" : "false", "SCCACHE_DIRECT");
}

void render_redis(Renderer& r, const RedisSettings& s) {
  r.table("cache.redis");
  bool url = r.has("SCCACHE_REDIS");
  r.row(url ? "url" : "endpoint", quoted(mask_url_password(s.url)),
        url ? "SCCACHE_REDIS" : "SCCACHE_REDIS_ENDPOINT");
  if (!s.username.empty()) r.row("username", quoted(s.username), "SCCACHE_REDIS_USERNAME");
  if (!s.password.empty()) r.row("password", k_masked, "SCCACHE_REDIS_PASSWORD");
  if (!s.db.empty()) r.row("db", s.db, "SCCACHE_REDIS_DB");
  bool ttl = r.has("SCCACHE_REDIS_TTL");
  r.row(ttl ? "ttl" : "expiration", std::to_string(s.expiration_seconds),
        ttl ? "SCCACHE_REDIS_TTL" : "SCCACHE_REDIS_EXPIRATION");
  r.row("key_prefix", quoted(s.key_prefix), "SCCACHE_REDIS_KEY_PREFIX");
  r.row("rw_mode", mode_text(s.read_only), "SCCACHE_REDIS_RW_MODE");
}

void render_memcached(Renderer& r, const MemcachedSettings& s) {
  r.table("cache.memcached");
  bool url = r.has("SCCACHE_MEMCACHED");
  r.row(url ? "url" : "endpoint", quoted(s.url),
        url ? "SCCACHE_MEMCACHED" : "SCCACHE_MEMCACHED_ENDPOINT");
  if (!s.username.empty()) r.row("username", quoted(s.username), "SCCACHE_MEMCACHED_USERNAME");
  if (!s.password.empty()) r.row("password", k_masked, "SCCACHE_MEMCACHED_PASSWORD");
  r.row("expiration", std::to_string(s.expiration_seconds), "SCCACHE_MEMCACHED_EXPIRATION");
  r.row("key_prefix", quoted(s.key_prefix), "SCCACHE_MEMCACHED_KEY_PREFIX");
  r.row("rw_mode", mode_text(s.read_only), "SCCACHE_MEMCACHED_RW_MODE");
}

void render_s3(Renderer& r, const S3Settings& s) {
  r.table("cache.s3");
  r.row("bucket", quoted(s.bucket), "SCCACHE_BUCKET");
  if (!s.region.empty()) r.row("region", quoted(s.region), "SCCACHE_REGION");
  if (!s.endpoint.empty()) r.row("endpoint", quoted(s.endpoint), "SCCACHE_ENDPOINT");
  if (s.use_ssl) r.row("use_ssl", *s.use_ssl ? "true" : "false", "SCCACHE_S3_USE_SSL");
  r.row("key_prefix", quoted(s.key_prefix), "SCCACHE_S3_KEY_PREFIX");
  r.row("no_credentials", s.no_credentials ? "true" : "false", "SCCACHE_S3_NO_CREDENTIALS");
  r.row("server_side_encryption", s.server_side_encryption ? "true" : "false",
        "SCCACHE_S3_SERVER_SIDE_ENCRYPTION");
  r.row("server_side_encryption_aws_kms", s.server_side_encryption_kms ? "true" : "false",
        "SCCACHE_S3_SERVER_SIDE_ENCRYPTION_AWS_KMS");
  if (!s.kms_key_id.empty())
    r.row("server_side_encryption_kms_key_id", quoted(s.kms_key_id),
          "SCCACHE_S3_SERVER_SIDE_ENCRYPTION_KMS_KEY_ID");
  if (s.virtual_host)
    r.row("enable_virtual_host_style", *s.virtual_host ? "true" : "false",
          "SCCACHE_S3_ENABLE_VIRTUAL_HOST_STYLE");
  r.row("rw_mode", mode_text(s.read_only), "SCCACHE_S3_RW_MODE");
  if (s.no_credentials) {
    r.comment("credentials: none (anonymous, read-only)");
  } else if (!s.access_key_id.empty()) {
    r.comment("credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (env)");
  } else {
    r.comment("credentials: profile " + quoted(s.profile) + " of " + s.credentials_file +
              ", if there");
  }
}

void render_webdav(Renderer& r, const WebdavSettings& s) {
  r.table("cache.webdav");
  r.row("endpoint", quoted(mask_url_password(s.endpoint)), "SCCACHE_WEBDAV_ENDPOINT");
  r.row("key_prefix", quoted(s.key_prefix), "SCCACHE_WEBDAV_KEY_PREFIX");
  if (!s.username.empty()) r.row("username", quoted(s.username), "SCCACHE_WEBDAV_USERNAME");
  if (!s.password.empty()) r.row("password", k_masked, "SCCACHE_WEBDAV_PASSWORD");
  if (!s.token.empty()) r.row("token", k_masked, "SCCACHE_WEBDAV_TOKEN");
  r.row("rw_mode", mode_text(s.read_only), "SCCACHE_WEBDAV_RW_MODE");
}

void render_environment_only(Renderer& r, const ServerConfig& c) {
  r.comment("");
  r.comment("Only in the environment:");
  if (c.endpoint.unix_socket.empty()) {
    r.comment("SCCACHE_SERVER_PORT = " + std::to_string(c.endpoint.port) + "  (TCP on 127.0.0.1)");
  } else {
    r.comment("server socket = " + c.endpoint.unix_socket +
              (c.endpoint.private_socket_dir ? "  (default)" : "  (SCCACHE_SERVER_UDS)"));
  }
  r.comment("SCCACHE_CLIENT_TIMEOUT = " + std::to_string(c.endpoint.answer_timeout.count()) +
            " ms, SCCACHE_FRAME_TIMEOUT = " + std::to_string(c.frame_timeout.count()) +
            " ms, SCCACHE_CONNECTION_IDLE_TIMEOUT = " +
            std::to_string(c.connection_idle_timeout.count()) + " ms");
  r.comment("SCCACHE_MAX_FRAME_LENGTH = " + std::to_string(c.max_frame_length) +
            ", SCCACHE_NO_DAEMON = " + (c.no_daemon ? "1" : "0"));
  r.comment("SCCACHE_LOG = " + quoted(c.log_level) +
            ", SCCACHE_ERROR_LOG = " + quoted(c.error_log));
}

}  // namespace

std::string mask_url_password(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto start = scheme + 3;
  auto at = url.find('@', start);
  auto slash = url.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  auto colon = url.find(':', start);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "****" + url.substr(at);
}

std::string render_config(const LoadedConfig& loaded) {
  const ServerConfig& c = loaded.config;
  Renderer r(loaded);
  r.comment("The settings a server started now would use, each with where it came from.");
  r.comment("Config file: " + c.config_file + (c.config_file_read ? "" : " (not read)"));
  r.row("server_startup_timeout_ms", std::to_string(c.endpoint.startup_timeout.count()),
        "SCCACHE_STARTUP_TIMEOUT");
  std::string basedirs = "[";
  for (const auto& dir : c.basedirs) basedirs += (basedirs.size() > 1 ? ", " : "") + quoted(dir);
  r.row("basedirs", basedirs + "]", "SCCACHE_BASEDIRS");
  r.row("idle_timeout", std::to_string(c.idle_timeout_seconds), "SCCACHE_IDLE_TIMEOUT");
  r.row("cache_zstd_level", std::to_string(c.zstd_level), "SCCACHE_CACHE_ZSTD_LEVEL");
  r.row("remote_timeout_ms", std::to_string(c.remote_timeout.count()), "SCCACHE_REMOTE_TIMEOUT");
  render_disk(r, c);
  // The order Mozilla's sccache picks the one remote in; we do the same (storage/factory.cpp).
  bool shown = false;
  auto remote = [&](bool configured, const char* table, auto&& render) {
    if (!configured) return;
    if (shown) {
      r.comment(std::string("[") + table + "] is configured too, and not used (one remote)");
      return;
    }
    render();
    shown = true;
  };
  remote(c.s3.has_value(), "cache.s3", [&] { render_s3(r, *c.s3); });
  remote(c.redis.has_value(), "cache.redis", [&] { render_redis(r, *c.redis); });
  remote(c.memcached.has_value(), "cache.memcached", [&] { render_memcached(r, *c.memcached); });
  remote(c.webdav.has_value(), "cache.webdav", [&] { render_webdav(r, *c.webdav); });
  render_environment_only(r, c);
  return r.take();
}

}  // namespace sccache::config
