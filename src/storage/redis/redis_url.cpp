#include "storage/redis/redis_url.hpp"

#include <charconv>

namespace sccache::storage::redis {

namespace {

tl::unexpected<util::Error> bad(const std::string& url, const std::string& why) {
  return util::fail(util::ErrorCode::invalid, "invalid Redis URL \"" + url + "\": " + why);
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size() && !text.empty();
}

}  // namespace

std::string RedisTarget::describe() const {
  return "redis://" + host + ":" + std::to_string(port) + "/" + std::to_string(db);
}

util::Result<RedisTarget> parse_redis_url(const std::string& url) {
  RedisTarget t;
  std::string_view rest(url);
  if (rest.starts_with("rediss://"))
    return bad(url, "TLS (rediss://) is not supported by this build");
  if (rest.starts_with("redis://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("tcp://")) {
    rest.remove_prefix(6);
  } else {
    return bad(url, "expected redis://");
  }
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    std::string_view query = rest.substr(q + 1);
    rest = rest.substr(0, q);
    if (!query.starts_with("db=") || !parse_number(query.substr(3), t.db))
      return bad(url, "expected ?db=N");
  }
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    std::string_view db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db.empty() && !parse_number(db, t.db)) return bad(url, "database must be a number");
  }
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view creds = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = creds.find(':');
    t.username = std::string(creds.substr(0, colon));
    if (colon != std::string_view::npos) t.password = std::string(creds.substr(colon + 1));
  }
  if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    if (!parse_number(rest.substr(colon + 1), t.port) || t.port == 0) return bad(url, "bad port");
    rest = rest.substr(0, colon);
  }
  if (!rest.empty()) t.host = std::string(rest);
  return t;
}

}  // namespace sccache::storage::redis
