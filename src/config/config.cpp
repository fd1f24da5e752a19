#include "config/config.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "util/strings.hpp"

namespace sccache::config {

namespace {

tl::unexpected<util::Error> invalid(const std::string& name, const std::string& value,
                                    const char* expected) {
  return util::fail(util::ErrorCode::invalid,
                    name + "=\"" + value + "\" is invalid: expected " + expected);
}

std::optional<std::uint64_t> parse_uint(const std::string& text) {
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

// Reads NAME as an unsigned integer in [min, max]; leaves `out` alone when unset.
template <typename T>
util::Result<void> read_uint(const EnvLookup& env, const std::string& name, T& out,
                             std::uint64_t min, std::uint64_t max) {
  auto v = env(name);
  if (!v || v->empty()) return {};
  auto n = parse_uint(*v);
  if (!n || *n < min || *n > max) {
    return invalid(
        name, *v,
        ("an integer from " + std::to_string(min) + " to " + std::to_string(max)).c_str());
  }
  out = static_cast<T>(*n);
  return {};
}

util::Result<void> read_seconds_ms(const EnvLookup& env, const std::string& name,
                                   std::chrono::milliseconds& out) {
  auto v = env(name);
  if (!v || v->empty()) return {};
  char* end = nullptr;
  double seconds = std::strtod(v->c_str(), &end);
  if (end != v->c_str() + v->size() || !std::isfinite(seconds) || seconds <= 0 || seconds > 86400) {
    return invalid(name, *v, "a number of seconds greater than 0");
  }
  out = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  return {};
}

std::filesystem::path default_cache_dir(const EnvLookup& env) {
  if (auto xdg = env("XDG_CACHE_HOME"); xdg && !xdg->empty())
    return std::filesystem::path(*xdg) / "sccache";
  auto home = env("HOME");
  return std::filesystem::path(home && !home->empty() ? *home : "/tmp") / ".cache" / "sccache";
}

util::Result<void> read_server_extras(const EnvLookup& env, ServerConfig& c) {
  if (auto dir = env("SCCACHE_DIR"); dir && !dir->empty()) c.cache_dir = *dir;
  if (auto size = env("SCCACHE_CACHE_SIZE"); size && !size->empty()) {
    auto bytes = util::parse_size(*size);
    if (!bytes || *bytes == 0)
      return invalid("SCCACHE_CACHE_SIZE", *size, "a size such as 10G, 500M or 1048576");
    c.cache_size = *bytes;
  }
  if (auto r = read_uint(env, "SCCACHE_IDLE_TIMEOUT", c.idle_timeout_seconds, 0, 100'000'000); !r)
    return r;
  if (auto r = read_uint(env, "SCCACHE_CACHE_ZSTD_LEVEL", c.zstd_level, 1, 22); !r) return r;
  if (auto frame = env("SCCACHE_MAX_FRAME_LENGTH"); frame && !frame->empty()) {
    auto bytes = util::parse_size(*frame);
    if (!bytes || *bytes < 1024 || *bytes > (1u << 30)) {
      return invalid("SCCACHE_MAX_FRAME_LENGTH", *frame, "a size from 1K to 1G");
    }
    c.max_frame_length = static_cast<std::uint32_t>(*bytes);
  }
  if (auto v = env("SCCACHE_NO_DAEMON"); v && !v->empty())
    c.no_daemon = util::parse_bool(*v).value_or(true);
  if (auto v = env("SCCACHE_DIRECT"); v && !v->empty()) {
    auto on = util::parse_bool(*v);
    if (!on) return invalid("SCCACHE_DIRECT", *v, "true or false");
    c.direct_mode = *on;
  }
  c.log_level = env("SCCACHE_LOG").value_or("");
  c.error_log = env("SCCACHE_ERROR_LOG").value_or("");
  return {};
}

util::Result<bool> read_only_mode(const EnvLookup& env, const std::string& name, bool current) {
  auto v = env(name);
  if (!v || v->empty()) return current;
  std::string mode = util::to_lower(*v);
  if (mode == "read_only") return true;
  if (mode == "read_write") return false;
  return invalid(name, *v, "READ_ONLY or READ_WRITE");
}

util::Result<void> read_redis(const EnvLookup& env, ServerConfig& c) {
  auto url = env("SCCACHE_REDIS");
  if (!url || url->empty()) url = env("SCCACHE_REDIS_ENDPOINT");
  if (!url || url->empty()) return {};
  RedisSettings r;
  r.url = *url;
  r.username = env("SCCACHE_REDIS_USERNAME").value_or("");
  r.password = env("SCCACHE_REDIS_PASSWORD").value_or("");
  r.db = env("SCCACHE_REDIS_DB").value_or("");
  r.key_prefix = env("SCCACHE_REDIS_KEY_PREFIX").value_or("");
  auto ttl = env("SCCACHE_REDIS_EXPIRATION");
  if (!ttl || ttl->empty()) ttl = env("SCCACHE_REDIS_TTL");
  if (ttl && !ttl->empty()) {
    auto n = parse_uint(*ttl);
    if (!n) return invalid("SCCACHE_REDIS_EXPIRATION", *ttl, "a number of seconds");
    r.expiration_seconds = *n;
  }
  auto ro = read_only_mode(env, "SCCACHE_REMOTE_RW_MODE", false);
  if (ro) ro = read_only_mode(env, "SCCACHE_REDIS_RW_MODE", *ro);
  if (!ro) return tl::make_unexpected(ro.error());
  r.read_only = *ro;
  c.redis = std::move(r);
  return {};
}

util::Result<void> read_memcached(const EnvLookup& env, ServerConfig& c) {
  auto url = env("SCCACHE_MEMCACHED");
  if (!url || url->empty()) url = env("SCCACHE_MEMCACHED_ENDPOINT");
  if (!url || url->empty()) return {};
  MemcachedSettings m;
  m.url = *url;
  m.key_prefix = env("SCCACHE_MEMCACHED_KEY_PREFIX").value_or("");
  if (auto r = read_uint(env, "SCCACHE_MEMCACHED_EXPIRATION", m.expiration_seconds, 0,
                         60ull * 60 * 24 * 365);
      !r) {
    return r;
  }
  auto ro = read_only_mode(env, "SCCACHE_REMOTE_RW_MODE", false);
  if (ro) ro = read_only_mode(env, "SCCACHE_MEMCACHED_RW_MODE", *ro);
  if (!ro) return tl::make_unexpected(ro.error());
  m.read_only = *ro;
  c.memcached = std::move(m);
  return {};
}

util::Result<void> read_webdav(const EnvLookup& env, ServerConfig& c) {
  auto endpoint = env("SCCACHE_WEBDAV_ENDPOINT");
  if (!endpoint || endpoint->empty()) return {};
  WebdavSettings w;
  w.endpoint = *endpoint;
  w.key_prefix = env("SCCACHE_WEBDAV_KEY_PREFIX").value_or("");
  w.username = env("SCCACHE_WEBDAV_USERNAME").value_or("");
  w.password = env("SCCACHE_WEBDAV_PASSWORD").value_or("");
  w.token = env("SCCACHE_WEBDAV_TOKEN").value_or("");
  auto ro = read_only_mode(env, "SCCACHE_REMOTE_RW_MODE", false);
  if (ro) ro = read_only_mode(env, "SCCACHE_WEBDAV_RW_MODE", *ro);
  if (!ro) return tl::make_unexpected(ro.error());
  w.read_only = *ro;
  c.webdav = std::move(w);
  return {};
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
}

util::Result<ClientConfig> load_client_config(const EnvLookup& env) {
  ClientConfig c;
  if (auto r = read_uint(env, "SCCACHE_SERVER_PORT", c.port, 1, 65535); !r)
    return tl::make_unexpected(r.error());
  if (auto uds = env("SCCACHE_SERVER_UDS"); uds && !uds->empty()) c.unix_socket = *uds;
  if (auto r = read_seconds_ms(env, "SCCACHE_STARTUP_TIMEOUT", c.startup_timeout); !r) {
    return tl::make_unexpected(r.error());
  }
  return c;
}

util::Result<ServerConfig> load_server_config(const EnvLookup& env) {
  ServerConfig c;
  auto endpoint = load_client_config(env);
  if (!endpoint) return tl::make_unexpected(endpoint.error());
  c.endpoint = *endpoint;
  c.cache_dir = default_cache_dir(env);
  if (auto r = read_server_extras(env, c); !r) return tl::make_unexpected(r.error());
  c.idle_timeout = std::chrono::seconds(c.idle_timeout_seconds);
  if (auto r = read_redis(env, c); !r) return tl::make_unexpected(r.error());
  if (auto r = read_memcached(env, c); !r) return tl::make_unexpected(r.error());
  if (auto r = read_webdav(env, c); !r) return tl::make_unexpected(r.error());
  if (auto r = read_seconds_ms(env, "SCCACHE_REMOTE_TIMEOUT", c.remote_timeout); !r) {
    return tl::make_unexpected(r.error());
  }
  auto local_ro = read_only_mode(env, "SCCACHE_LOCAL_RW_MODE", false);
  if (!local_ro) return tl::make_unexpected(local_ro.error());
  c.local_read_only = *local_ro;
  return c;
}

}  // namespace sccache::config
