#include "config/config.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <set>
#include <vector>

#include "config/config_file.hpp"
#include "config/file_keys.hpp"
#include "util/strings.hpp"

namespace sccache::config {

namespace {

constexpr std::uint64_t k_memcached_max_expiration = 60ull * 60 * 24 * 30;

// An empty variable counts as unset, as `VAR= sccache ...` is the shell's way to clear one.
std::optional<std::string> lookup(const EnvLookup& env, const std::string& name) {
  auto v = env(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

tl::unexpected<util::Error> invalid(const std::string& name, const std::string& value,
                                    const std::string& expected) {
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
  auto v = lookup(env, name);
  if (!v) return {};
  auto n = parse_uint(*v);
  if (!n || *n < min || *n > max) {
    return invalid(name, *v,
                   "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  out = static_cast<T>(*n);
  return {};
}

// Seconds, possibly fractional ("2.5"), kept to the millisecond (rounded half up). Parsed as
// digits[.digits] by hand: no locale, no blanks, no "inf", no exponent — and no floating point,
// whose parser would pull libm into every client start.
std::optional<std::int64_t> parse_millis(std::string_view text) {
  auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() && frac.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  if (!whole.empty()) {
    auto [ptr, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
    if (ec != std::errc{} || ptr != whole.data() + whole.size() || seconds < 0 ||
        seconds > 86'400) {
      return std::nullopt;
    }
  }
  std::int64_t millis = seconds * 1000;
  for (std::size_t i = 0; i < frac.size(); ++i) {
    if (frac[i] < '0' || frac[i] > '9') return std::nullopt;
    if (i < 3) millis += (frac[i] - '0') * (i == 0 ? 100 : i == 1 ? 10 : 1);
    if (i == 3 && frac[i] >= '5') millis += 1;
  }
  return millis;
}

util::Result<void> read_seconds_ms(const EnvLookup& env, const std::string& name,
                                   std::chrono::milliseconds& out) {
  auto v = lookup(env, name);
  if (!v) return {};
  auto millis = parse_millis(*v);
  if (!millis || *millis < 1 || *millis > 86'400'000) {
    return invalid(name, *v, "a number of seconds from 0.001 to 86400");
  }
  out = std::chrono::milliseconds(*millis);
  return {};
}

// READ_ONLY / READ_WRITE in any case; `current` when unset.
util::Result<bool> read_only_mode(const EnvLookup& env, const std::string& name, bool current) {
  auto v = lookup(env, name);
  if (!v) return current;
  std::string mode = util::to_lower(*v);
  if (mode == "read_only") return true;
  if (mode == "read_write") return false;
  return invalid(name, *v, "READ_ONLY or READ_WRITE");
}

// SCCACHE_REMOTE_RW_MODE for every remote level, then the level's own variable over it.
util::Result<bool> remote_read_only(const EnvLookup& env, const std::string& own_name) {
  auto shared = read_only_mode(env, "SCCACHE_REMOTE_RW_MODE", false);
  if (!shared) return shared;
  return read_only_mode(env, own_name, *shared);
}

// $XDG_CACHE_HOME/sccache, else ~/.cache/sccache. A relative XDG_CACHE_HOME is ignored, as the
// XDG spec (and Rust's `dirs`, which Mozilla's sccache uses) says.
std::filesystem::path default_cache_dir(const EnvLookup& env) {
  auto xdg = lookup(env, "XDG_CACHE_HOME");
  if (xdg && std::filesystem::path(*xdg).is_absolute())
    return std::filesystem::path(*xdg) / "sccache";
  return home_dir(env) / ".cache" / "sccache";
}

util::Result<void> read_sizes(const EnvLookup& env, ServerConfig& c) {
  if (auto size = lookup(env, "SCCACHE_CACHE_SIZE")) {
    auto bytes = util::parse_size(*size);
    if (!bytes || *bytes == 0)
      return invalid("SCCACHE_CACHE_SIZE", *size, "a size such as 10G, 500M or 1048576");
    c.cache_size = *bytes;
  }
  if (auto frame = lookup(env, "SCCACHE_MAX_FRAME_LENGTH")) {
    auto bytes = util::parse_size(*frame);
    if (!bytes || *bytes < 1024 || *bytes > (1u << 30))
      return invalid("SCCACHE_MAX_FRAME_LENGTH", *frame, "a size from 1K to 1G");
    c.max_frame_length = static_cast<std::uint32_t>(*bytes);
  }
  return {};
}

util::Result<void> read_server_extras(const EnvLookup& env, ServerConfig& c) {
  if (auto dir = lookup(env, "SCCACHE_DIR")) c.cache_dir = *dir;
  if (auto r = read_sizes(env, c); !r) return r;
  if (auto r = read_uint(env, "SCCACHE_IDLE_TIMEOUT", c.idle_timeout_seconds, 0, 100'000'000); !r)
    return r;
  if (auto r = read_uint(env, "SCCACHE_CACHE_ZSTD_LEVEL", c.zstd_level, 1, 22); !r) return r;
  // Mozilla daemonizes unless the variable is "1"; we also honour "yes"/"true"/... and treat any
  // other non-false value as "1", so a typo keeps the server where the user asked for it.
  if (auto v = lookup(env, "SCCACHE_NO_DAEMON")) c.no_daemon = util::parse_bool(*v).value_or(true);
  if (auto v = lookup(env, "SCCACHE_DIRECT")) {
    auto on = util::parse_bool(*v);
    if (!on) return invalid("SCCACHE_DIRECT", *v, "true or false");
    c.direct_mode = *on;
  }
  if (auto v = lookup(env, "SCCACHE_UMASK")) {
    std::uint32_t mask = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), mask, 8);
    if (ec != std::errc{} || ptr != v->data() + v->size() || mask > 0777)
      return invalid("SCCACHE_UMASK", *v, "an octal mode from 000 to 777, e.g. 002");
    c.cache_umask = mask;
  }
  c.log_level = lookup(env, "SCCACHE_LOG").value_or("");
  c.error_log = lookup(env, "SCCACHE_ERROR_LOG").value_or("");
  return {};
}

// SCCACHE_REDIS_EXPIRATION or its alias SCCACHE_REDIS_TTL; both at once is ambiguous.
util::Result<void> read_redis_expiration(const EnvLookup& env, RedisSettings& r) {
  auto expiration = lookup(env, "SCCACHE_REDIS_EXPIRATION");
  auto ttl = lookup(env, "SCCACHE_REDIS_TTL");
  if (expiration && ttl) {
    return invalid("SCCACHE_REDIS_TTL", *ttl,
                   "only one of SCCACHE_REDIS_EXPIRATION and SCCACHE_REDIS_TTL");
  }
  return read_uint(env, expiration ? "SCCACHE_REDIS_EXPIRATION" : "SCCACHE_REDIS_TTL",
                   r.expiration_seconds, 0, UINT64_MAX);
}

util::Result<void> read_redis(const EnvLookup& env, ServerConfig& c) {
  auto url = lookup(env, "SCCACHE_REDIS");
  if (!url) url = lookup(env, "SCCACHE_REDIS_ENDPOINT");
  if (!url) return {};
  RedisSettings r;
  r.url = *url;
  r.username = lookup(env, "SCCACHE_REDIS_USERNAME").value_or("");
  r.password = lookup(env, "SCCACHE_REDIS_PASSWORD").value_or("");
  r.db = lookup(env, "SCCACHE_REDIS_DB").value_or("");
  r.key_prefix = lookup(env, "SCCACHE_REDIS_KEY_PREFIX").value_or("");
  if (auto e = read_redis_expiration(env, r); !e) return e;
  auto ro = remote_read_only(env, "SCCACHE_REDIS_RW_MODE");
  if (!ro) return tl::make_unexpected(ro.error());
  r.read_only = *ro;
  c.redis = std::move(r);
  return {};
}

util::Result<void> read_memcached(const EnvLookup& env, ServerConfig& c) {
  auto url = lookup(env, "SCCACHE_MEMCACHED");
  if (!url) url = lookup(env, "SCCACHE_MEMCACHED_ENDPOINT");
  if (!url) return {};
  MemcachedSettings m;
  m.url = *url;
  m.key_prefix = lookup(env, "SCCACHE_MEMCACHED_KEY_PREFIX").value_or("");
  m.username = lookup(env, "SCCACHE_MEMCACHED_USERNAME").value_or("");
  m.password = lookup(env, "SCCACHE_MEMCACHED_PASSWORD").value_or("");
  // SASL PLAIN needs both: one alone is a half-set credential, and a level every request of which
  // the server would refuse is not used.
  if (m.username.empty() != m.password.empty()) {
    bool has_user = !m.username.empty();
    return invalid(has_user ? "SCCACHE_MEMCACHED_USERNAME" : "SCCACHE_MEMCACHED_PASSWORD",
                   has_user ? m.username : "(hidden)",
                   has_user ? "SCCACHE_MEMCACHED_PASSWORD as well (SASL needs both)"
                            : "SCCACHE_MEMCACHED_USERNAME as well (SASL needs both)");
  }
  // memcached reads an expiration above 30 days as a Unix time, which would make every entry
  // expire at once; 0 means never.
  if (auto r = read_uint(env, "SCCACHE_MEMCACHED_EXPIRATION", m.expiration_seconds, 0,
                         k_memcached_max_expiration);
      !r) {
    return r;
  }
  auto ro = remote_read_only(env, "SCCACHE_MEMCACHED_RW_MODE");
  if (!ro) return tl::make_unexpected(ro.error());
  m.read_only = *ro;
  c.memcached = std::move(m);
  return {};
}

util::Result<void> read_webdav(const EnvLookup& env, ServerConfig& c) {
  auto endpoint = lookup(env, "SCCACHE_WEBDAV_ENDPOINT");
  if (!endpoint) return {};
  WebdavSettings w;
  w.endpoint = *endpoint;
  w.key_prefix = lookup(env, "SCCACHE_WEBDAV_KEY_PREFIX").value_or("");
  w.username = lookup(env, "SCCACHE_WEBDAV_USERNAME").value_or("");
  w.password = lookup(env, "SCCACHE_WEBDAV_PASSWORD").value_or("");
  w.token = lookup(env, "SCCACHE_WEBDAV_TOKEN").value_or("");
  auto ro = remote_read_only(env, "SCCACHE_WEBDAV_RW_MODE");
  if (!ro) return tl::make_unexpected(ro.error());
  w.read_only = *ro;
  c.webdav = std::move(w);
  return {};
}

util::Result<std::optional<bool>> optional_bool(const EnvLookup& env, const char* name) {
  auto v = lookup(env, name);
  if (!v) return std::optional<bool>{};
  auto b = util::parse_bool(*v);
  if (!b) return invalid(name, *v, "true or false");
  return std::optional<bool>{*b};
}

util::Result<void> read_s3(const EnvLookup& env, ServerConfig& c) {
  auto bucket = lookup(env, "SCCACHE_BUCKET");
  if (!bucket) return {};
  S3Settings s;
  s.bucket = *bucket;
  // SCCACHE_REGION, else the AWS tools' own variables.
  s.region =
      lookup(env, "SCCACHE_REGION")
          .value_or(
              lookup(env, "AWS_REGION").value_or(lookup(env, "AWS_DEFAULT_REGION").value_or("")));
  s.endpoint = lookup(env, "SCCACHE_ENDPOINT").value_or("");
  s.key_prefix = lookup(env, "SCCACHE_S3_KEY_PREFIX").value_or("");
  auto use_ssl = optional_bool(env, "SCCACHE_S3_USE_SSL");
  if (!use_ssl) return tl::make_unexpected(use_ssl.error());
  s.use_ssl = *use_ssl;
  auto virtual_host = optional_bool(env, "SCCACHE_S3_ENABLE_VIRTUAL_HOST_STYLE");
  if (!virtual_host) return tl::make_unexpected(virtual_host.error());
  s.virtual_host = *virtual_host;
  auto no_credentials = optional_bool(env, "SCCACHE_S3_NO_CREDENTIALS");
  if (!no_credentials) return tl::make_unexpected(no_credentials.error());
  s.no_credentials = no_credentials->value_or(false);
  for (auto [name, out] :
       {std::pair{"SCCACHE_S3_SERVER_SIDE_ENCRYPTION", &s.server_side_encryption},
        std::pair{"SCCACHE_S3_SERVER_SIDE_ENCRYPTION_AWS_KMS", &s.server_side_encryption_kms}}) {
    auto on = optional_bool(env, name);
    if (!on) return tl::make_unexpected(on.error());
    *out = on->value_or(false);
  }
  s.kms_key_id = lookup(env, "SCCACHE_S3_SERVER_SIDE_ENCRYPTION_KMS_KEY_ID").value_or("");
  s.access_key_id = lookup(env, "AWS_ACCESS_KEY_ID").value_or("");
  s.secret_access_key = lookup(env, "AWS_SECRET_ACCESS_KEY").value_or("");
  s.session_token = lookup(env, "AWS_SESSION_TOKEN").value_or("");
  if (s.no_credentials && (!s.access_key_id.empty() || !s.secret_access_key.empty())) {
    return invalid("SCCACHE_S3_NO_CREDENTIALS", "true",
                   "not true while AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY is set");
  }
  s.profile = lookup(env, "AWS_PROFILE").value_or("default");
  s.credentials_file = lookup(env, "AWS_SHARED_CREDENTIALS_FILE")
                           .value_or(lookup(env, "HOME").value_or("") + "/.aws/credentials");
  auto ro = remote_read_only(env, "SCCACHE_S3_RW_MODE");
  if (!ro) return tl::make_unexpected(ro.error());
  s.read_only = *ro || s.no_credentials;  // an anonymous client cannot write
  c.s3 = std::move(s);
  return {};
}

// SCCACHE_BASEDIRS: ':'-separated absolute directories (empty parts skipped), as Mozilla's.
util::Result<void> read_basedirs(const EnvLookup& env, ServerConfig& c) {
  auto v = lookup(env, "SCCACHE_BASEDIRS");
  if (!v) return {};
  for (const auto& part : util::split(*v, ':')) {
    if (part.empty()) continue;
    std::filesystem::path dir(part);
    if (!dir.is_absolute()) return invalid("SCCACHE_BASEDIRS", *v, "absolute directories");
    std::string normal = dir.lexically_normal().string();
    while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
    if (normal != "/") normal += '/';
    if (std::find(c.basedirs.begin(), c.basedirs.end(), normal) == c.basedirs.end())
      c.basedirs.push_back(normal);
  }
  // The longest first: a path under two base dirs is made relative to the deeper one.
  std::stable_sort(c.basedirs.begin(), c.basedirs.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return {};
}

// What Mozilla's sccache reads and we do not serve: named, never silently ignored.
void warn_unsupported(const EnvLookup& env, ServerConfig& c) {
  for (const auto& feature : unsupported_features()) {
    for (auto name : feature.env) {
      if (!lookup(env, std::string(name))) continue;
      c.warnings.push_back(std::string(name) + " is set: " + std::string(feature.what) +
                           " is not supported by this sccache; ignored");
      break;
    }
  }
}

util::Result<ServerConfig> load_from(const EnvLookup& env) {
  ServerConfig c;
  auto endpoint = load_client_config(env);
  if (!endpoint) return tl::make_unexpected(endpoint.error());
  c.endpoint = *endpoint;
  c.cache_dir = default_cache_dir(env);
  if (auto r = read_server_extras(env, c); !r) return tl::make_unexpected(r.error());
  c.idle_timeout = std::chrono::seconds(c.idle_timeout_seconds);
  if (auto r = read_s3(env, c); !r) return tl::make_unexpected(r.error());
  if (auto r = read_redis(env, c); !r) return tl::make_unexpected(r.error());
  if (auto r = read_memcached(env, c); !r) return tl::make_unexpected(r.error());
  if (auto r = read_webdav(env, c); !r) return tl::make_unexpected(r.error());
  if (auto r = read_seconds_ms(env, "SCCACHE_REMOTE_TIMEOUT", c.remote_timeout); !r)
    return tl::make_unexpected(r.error());
  if (auto r = read_seconds_ms(env, "SCCACHE_FRAME_TIMEOUT", c.frame_timeout); !r)
    return tl::make_unexpected(r.error());
  if (auto r = read_seconds_ms(env, "SCCACHE_CONNECTION_IDLE_TIMEOUT", c.connection_idle_timeout);
      !r)
    return tl::make_unexpected(r.error());
  auto local_ro = read_only_mode(env, "SCCACHE_LOCAL_RW_MODE", false);
  if (!local_ro) return tl::make_unexpected(local_ro.error());
  c.local_read_only = *local_ro;
  if (auto r = read_basedirs(env, c); !r) return tl::make_unexpected(r.error());
  return c;
}

// One remote is used, the first of S3, Redis, memcached, WebDAV (as Mozilla's sccache picks it).
void warn_unused_remotes(ServerConfig& c) {
  std::vector<std::string> configured;
  if (c.s3) configured.emplace_back("S3");
  if (c.redis) configured.emplace_back("Redis");
  if (c.memcached) configured.emplace_back("memcached");
  if (c.webdav) configured.emplace_back("WebDAV");
  for (std::size_t i = 1; i < configured.size(); ++i) {
    c.warnings.push_back(configured[i] +
                         " is configured too, and not used: one remote is, the "
                         "first of S3, Redis, memcached, WebDAV (here " +
                         configured[0] + ")");
  }
}

bool section_enabled_by_env(const EnvLookup& env, Section section) {
  for (const char* name :
       {"SCCACHE_REDIS", "SCCACHE_REDIS_ENDPOINT", "SCCACHE_REDIS_CLUSTER_ENDPOINTS",
        "SCCACHE_MEMCACHED", "SCCACHE_MEMCACHED_ENDPOINT", "SCCACHE_BUCKET",
        "SCCACHE_WEBDAV_ENDPOINT"}) {
    if (enables_section(name, section) && lookup(env, name)) return true;
  }
  return false;
}

// The environment over the file: a variable set in the environment wins; a remote the
// environment names (SCCACHE_REDIS_ENDPOINT, SCCACHE_BUCKET...) is wholly the environment's, as
// in Mozilla's sccache (a file's password never goes to another server). Records where each
// value came from.
class Layers {
 public:
  Layers(const EnvLookup& env, const FileSettings& file) : m_env(env), m_file(file) {}

  std::optional<std::string> operator()(const std::string& name) {
    if (auto v = lookup(m_env, name)) {
      m_origins[name] = "env";
      return v;
    }
    const FileValue* value = from_file(name);
    if (!value) return std::nullopt;
    m_origins[name] = m_file.path + ":" + std::to_string(value->line);
    return value->text;
  }

  const FileValue* from_file(const std::string& name) const {
    auto it = m_file.values.find(name);
    if (it == m_file.values.end() || m_rejected.contains(name) ||
        m_rejected_sections.contains(it->second.section) ||
        section_enabled_by_env(m_env, it->second.section))
      return nullptr;
    // SCCACHE_REDIS_EXPIRATION and SCCACHE_REDIS_TTL are one setting.
    if ((name == "SCCACHE_REDIS_EXPIRATION" && lookup(m_env, "SCCACHE_REDIS_TTL")) ||
        (name == "SCCACHE_REDIS_TTL" && lookup(m_env, "SCCACHE_REDIS_EXPIRATION")))
      return nullptr;
    return &it->second;
  }

  bool came_from_file(const std::string& name) const {
    auto it = m_origins.find(name);
    return it != m_origins.end() && it->second != "env";
  }

  // Leaves out a file value the loader found invalid; says what is used instead.
  std::string reject(const std::string& name, const std::string& problem) {
    const FileValue& value = *from_file(name);
    bool secret = name.ends_with("_PASSWORD") || name.ends_with("_TOKEN");
    std::string where = m_file.path + ":" + std::to_string(value.line) + ": " + value.key +
                        " = \"" + (secret ? "(hidden)" : value.text) + "\" is invalid: " + problem;
    if (value.section == Section::top || value.section == Section::disk) {
      m_rejected.insert(name);
      return where + "; the default is used";
    }
    m_rejected_sections.insert(value.section);
    return where + "; [" + std::string(section_table(value.section)) + "] is not used";
  }

  std::map<std::string, std::string> take_origins() { return std::move(m_origins); }
  void clear_origins() { m_origins.clear(); }

 private:
  const EnvLookup& m_env;
  const FileSettings& m_file;
  std::set<std::string> m_rejected;
  std::set<Section> m_rejected_sections;
  std::map<std::string, std::string> m_origins;
};

}  // namespace

// The home directory as Rust's `dirs` finds it: a non-empty $HOME, else the passwd entry.
std::filesystem::path home_dir(const EnvLookup& env) {
  if (auto home = lookup(env, "HOME")) return *home;
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
      found->pw_dir && *found->pw_dir) {
    return found->pw_dir;
  }
  return "/tmp";
}

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
}

std::string default_socket_path(const EnvLookup& env) {
  // The session's runtime directory is the user's own (0700, made by the login manager); /tmp is
  // everybody's, so the server makes its directory there and checks it (see the listener).
  auto runtime = lookup(env, "XDG_RUNTIME_DIR");
  if (runtime && runtime->front() == '/') return *runtime + "/sccache/server.sock";
  return "/tmp/sccache-" + std::to_string(::geteuid()) + "/server.sock";
}

// A few lookups and no file access: this runs on every compile.
util::Result<ClientConfig> load_client_config(const EnvLookup& env) {
  ClientConfig c;
  if (auto r = read_uint(env, "SCCACHE_SERVER_PORT", c.port, 1, 65535); !r)
    return tl::make_unexpected(r.error());
  if (auto uds = lookup(env, "SCCACHE_SERVER_UDS")) {
    c.unix_socket = *uds;
  } else if (!lookup(env, "SCCACHE_SERVER_PORT")) {
    c.unix_socket = default_socket_path(env);
    c.private_socket_dir = true;
  }
  if (auto r = read_seconds_ms(env, "SCCACHE_STARTUP_TIMEOUT", c.startup_timeout); !r)
    return tl::make_unexpected(r.error());
  if (auto r = read_seconds_ms(env, "SCCACHE_CLIENT_TIMEOUT", c.answer_timeout); !r)
    return tl::make_unexpected(r.error());
  return c;
}

util::Result<LoadedConfig> load_config(const EnvLookup& env, const FileSettings& file) {
  Layers layers(env, file);
  EnvLookup merged = [&layers](const std::string& name) { return layers(name); };
  std::vector<std::string> rejections;
  // Each pass that fails on a file value leaves that value (or its remote) out and tries again;
  // a failure on an environment variable is the caller's error. Bounded by the file's values.
  for (std::size_t pass = 0; pass <= file.values.size(); ++pass) {
    layers.clear_origins();
    auto loaded = load_from(merged);
    if (loaded) {
      LoadedConfig out{std::move(*loaded), layers.take_origins()};
      auto& warnings = out.config.warnings;
      warnings.insert(warnings.begin(), rejections.begin(), rejections.end());
      warnings.insert(warnings.begin(), file.warnings.begin(), file.warnings.end());
      warn_unsupported(env, out.config);
      warn_unused_remotes(out.config);
      out.config.config_file = file.path;
      out.config.config_file_read = !file.path.empty();
      return out;
    }
    // Every invalid() message starts with the variable's name: NAME="value" is invalid: ...
    const std::string& message = loaded.error().message;
    std::string name = message.substr(0, message.find('='));
    if (!layers.came_from_file(name)) return tl::make_unexpected(loaded.error());
    auto problem = message.find("is invalid: ");
    rejections.push_back(
        layers.reject(name, problem == std::string::npos ? message : message.substr(problem + 12)));
  }
  return util::fail(util::ErrorCode::invalid, "the config file could not be read");
}

util::Result<LoadedConfig> load_config(const EnvLookup& env) {
  auto path = config_file_path(env);
  auto loaded = load_config(env, read_config_file(path, lookup(env, "SCCACHE_CONF").has_value()));
  if (loaded && !loaded->config.config_file_read) loaded->config.config_file = path.string();
  return loaded;
}

util::Result<ServerConfig> load_server_config(const EnvLookup& env) {
  auto loaded = load_config(env);
  if (!loaded) return tl::make_unexpected(loaded.error());
  return std::move(loaded->config);
}

std::chrono::milliseconds startup_timeout(const EnvLookup& env, std::chrono::milliseconds current) {
  if (lookup(env, "SCCACHE_STARTUP_TIMEOUT")) return current;
  auto file = read_config_file(config_file_path(env), false);
  auto it = file.values.find("SCCACHE_STARTUP_TIMEOUT");
  if (it == file.values.end()) return current;
  auto millis = parse_millis(it->second.text);
  if (!millis || *millis < 1 || *millis > 86'400'000) return current;
  return std::chrono::milliseconds(*millis);
}

}  // namespace sccache::config
