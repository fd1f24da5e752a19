#pragma once
// Where a Redis cache lives, from Mozilla sccache's settings: SCCACHE_REDIS=redis://[[user]:pass@]
// host[:port][/db][?db=N], or SCCACHE_REDIS_ENDPOINT plus _USERNAME/_PASSWORD/_DB.
#include <chrono>
#include <cstdint>
#include <string>

#include "util/error.hpp"

namespace sccache::storage::redis {

struct RedisTarget {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string username;
  std::string password;
  std::uint32_t db = 0;
  std::uint64_t ttl_seconds = 0;  // 0 = entries never expire
  std::string key_prefix;
  std::chrono::milliseconds timeout{3000};  // per connect and per command

  // "redis://host:port/db" — never the password.
  std::string describe() const;
};

// Parses a redis:// (or tcp://) URL. rediss:// is refused: Debian's hiredis 0.14 has no TLS.
util::Result<RedisTarget> parse_redis_url(const std::string& url);

}  // namespace sccache::storage::redis
