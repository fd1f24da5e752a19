// Fuzzes the Redis URL parser. Round trip: a target whose names hold none of the URL's separators
// is written back as redis://user:password@host:port/db and parses to the same target.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "storage/redis/redis_url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using sccache::storage::redis::parse_redis_url;
  auto target = parse_redis_url(std::string(reinterpret_cast<const char*>(data), size));
  if (!target) return 0;
  target->describe();
  auto plain = [](const std::string& s) { return s.find_first_of(":/?@") == std::string::npos; };
  if (!plain(target->host) || !plain(target->username) ||
      target->password.find_first_of("/?@") != std::string::npos) {
    return 0;
  }
  std::string url = "redis://" + target->username + ":" + target->password + "@" + target->host +
                    ":" + std::to_string(target->port) + "/" + std::to_string(target->db);
  auto again = parse_redis_url(url);
  if (!again || again->host != target->host || again->port != target->port ||
      again->username != target->username || again->password != target->password ||
      again->db != target->db) {
    std::fprintf(stderr, "redis url: %s does not parse back to the same target\n", url.c_str());
    std::abort();
  }
  return 0;
}
