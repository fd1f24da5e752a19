#include "storage/factory.hpp"

#include <charconv>

#include "storage/disk_storage.hpp"
#include "storage/memcached/memcached_storage.hpp"
#include "storage/multilevel_storage.hpp"
#include "storage/redis/redis_storage.hpp"
#include "storage/s3/s3_storage.hpp"
#include "storage/webdav/webdav_storage.hpp"

namespace sccache::storage {

namespace {

util::Result<redis::RedisTarget> redis_target(const config::RedisSettings& s) {
  auto target = redis::parse_redis_url(s.url);
  if (!target) return target;
  if (!s.username.empty()) target->username = s.username;
  if (!s.password.empty()) target->password = s.password;
  if (!s.db.empty()) {
    auto [ptr, ec] = std::from_chars(s.db.data(), s.db.data() + s.db.size(), target->db);
    if (ec != std::errc{} || ptr != s.db.data() + s.db.size()) {
      return util::fail(util::ErrorCode::invalid,
                        "SCCACHE_REDIS_DB=\"" + s.db + "\" is not a number");
    }
  }
  target->ttl_seconds = s.expiration_seconds;
  target->key_prefix = s.key_prefix;
  return target;
}

// The remote level, if any: S3, then Redis, then memcached, then WebDAV (Mozilla's order of
// precedence).
util::Result<std::optional<Level>> remote_level(const config::ServerConfig& config) {
  if (config.s3) {
    auto target = s3::make_target(*config.s3);
    if (!target) return tl::make_unexpected(target.error());
    target->timeout = config.remote_timeout;
    auto storage = s3::make_s3_storage(std::move(*target));
    if (!storage) return tl::make_unexpected(storage.error());
    return Level{std::move(*storage), !config.s3->read_only};
  }
  if (config.redis) {
    auto target = redis_target(*config.redis);
    if (!target) return tl::make_unexpected(target.error());
    target->timeout = config.remote_timeout;
    return Level{redis::make_redis_storage(std::move(*target)), !config.redis->read_only};
  }
  if (config.memcached) {
    auto target = memcached::parse_memcached_url(config.memcached->url);
    if (!target) return tl::make_unexpected(target.error());
    target->expiration_seconds = config.memcached->expiration_seconds;
    target->key_prefix = config.memcached->key_prefix;
    target->username = config.memcached->username;
    target->password = config.memcached->password;
    target->timeout = config.remote_timeout;
    auto storage = memcached::make_memcached_storage(std::move(*target));
    if (!storage) return tl::make_unexpected(storage.error());
    return Level{std::move(*storage), !config.memcached->read_only};
  }
  if (config.webdav) {
    const auto& w = *config.webdav;
    webdav::WebdavTarget target{w.endpoint, w.key_prefix, w.username,
                                w.password, w.token,      config.remote_timeout};
    auto storage = webdav::make_webdav_storage(std::move(target));
    if (!storage) return tl::make_unexpected(storage.error());
    return Level{std::move(*storage), !w.read_only};
  }
  return std::optional<Level>{};
}

}  // namespace

util::Result<std::unique_ptr<Storage>> make_storage(const config::ServerConfig& config) {
  auto disk = make_disk_storage(config.cache_dir, config.cache_size, config.cache_umask);
  auto remote = remote_level(config);
  if (!remote) return tl::make_unexpected(remote.error());
  if (!*remote && !config.local_read_only) return disk;
  std::vector<Level> levels;
  levels.push_back({std::move(disk), !config.local_read_only});
  if (*remote) levels.push_back(std::move(**remote));
  return make_multilevel_storage(std::move(levels));
}

}  // namespace sccache::storage
