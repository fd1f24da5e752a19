#include "storage/factory.hpp"

#include <charconv>

#include "storage/disk_storage.hpp"
#include "storage/multilevel_storage.hpp"
#include "storage/redis/redis_storage.hpp"

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

}  // namespace

util::Result<std::unique_ptr<Storage>> make_storage(const config::ServerConfig& config) {
  auto disk = make_disk_storage(config.cache_dir, config.cache_size);
  if (!config.redis && !config.local_read_only) return disk;
  std::vector<Level> levels;
  levels.push_back({std::move(disk), !config.local_read_only});
  if (config.redis) {
    auto target = redis_target(*config.redis);
    if (!target) return tl::make_unexpected(target.error());
    levels.push_back({redis::make_redis_storage(std::move(*target)), !config.redis->read_only});
  }
  return make_multilevel_storage(std::move(levels));
}

}  // namespace sccache::storage
