#include "storage/redis/redis_storage.hpp"

#include <hiredis/hiredis.h>

#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "storage/redis/redis_reply.hpp"
#include "util/log.hpp"

namespace sccache::storage::redis {

namespace {

using Reply = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;
using Context = std::unique_ptr<redisContext, decltype(&redisFree)>;

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000),
                 static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

util::Error context_error(const redisContext* c, const std::string& what) {
  bool timed_out = c && c->err == REDIS_ERR_IO && (errno == EAGAIN || errno == ETIMEDOUT);
  std::string detail = c ? c->errstr : "out of memory";
  return util::Error{timed_out ? util::ErrorCode::timeout : util::ErrorCode::io,
                     "Redis " + what + ": " + detail};
}

class RedisStorage final : public Storage {
 public:
  explicit RedisStorage(RedisTarget target) : m_target(std::move(target)) {}

  util::Result<std::optional<std::string>> get(const std::string& key) override {
    auto reply = command({"GET", m_target.key_prefix + key});
    if (!reply) return tl::make_unexpected(reply.error());
    return get_value(**reply);
  }

  util::Result<void> put(const std::string& key, std::string_view blob) override {
    std::vector<std::string> args{"SET", m_target.key_prefix + key, std::string(blob)};
    if (m_target.ttl_seconds > 0) {
      args.push_back("EX");
      args.push_back(std::to_string(m_target.ttl_seconds));
    }
    auto reply = command(args);
    if (!reply) return tl::make_unexpected(reply.error());
    return {};
  }

  void remove(const std::string& key) override {
    (void)command({"DEL", m_target.key_prefix + key});
  }

  std::string location() const override { return "Redis: " + m_target.describe(); }
  std::optional<std::uint64_t> current_size() const override {
    auto reply = command({"INFO", "memory"});
    return reply ? info_number(**reply, "used_memory") : std::nullopt;
  }
  std::optional<std::uint64_t> max_size() const override {
    auto reply = command({"CONFIG", "GET", "maxmemory"});
    auto v = reply ? config_number(**reply) : std::nullopt;
    return v == 0 ? std::nullopt : v;  // (0: no limit)
  }

 private:
  util::Result<Context> connect() const {
    Context c(
        redisConnectWithTimeout(m_target.host.c_str(), m_target.port, to_timeval(m_target.timeout)),
        redisFree);
    if (!c || c->err)
      return tl::make_unexpected(context_error(c.get(), "connect to " + m_target.describe()));
    redisSetTimeout(c.get(), to_timeval(m_target.timeout));
    bound_replies(c->reader);
    std::vector<std::vector<std::string>> setup;
    if (!m_target.password.empty()) {
      if (m_target.username.empty())
        setup.push_back({"AUTH", m_target.password});
      else
        setup.push_back({"AUTH", m_target.username, m_target.password});
    }
    if (m_target.db != 0) setup.push_back({"SELECT", std::to_string(m_target.db)});
    for (const auto& args : setup) {
      auto reply = run(c.get(), args);
      if (!reply) return tl::make_unexpected(reply.error());
    }
    return c;
  }

  static util::Result<Reply> run(redisContext* c, const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    Reply reply(static_cast<redisReply*>(
                    redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data())),
                freeReplyObject);
    if (!reply) return tl::make_unexpected(context_error(c, args[0]));
    if (reply->type == REDIS_REPLY_ERROR) {
      return util::fail(util::ErrorCode::io,
                        "Redis " + args[0] + ": " + std::string(reply->str, reply->len));
    }
    return reply;
  }

  // Runs one command on a pooled connection; a connection that failed is not returned to the pool.
  util::Result<Reply> command(const std::vector<std::string>& args) const {
    Context c(nullptr, redisFree);
    {
      std::lock_guard lock(m_mutex);
      if (!m_idle.empty()) {
        c = std::move(m_idle.back());
        m_idle.pop_back();
      }
    }
    if (!c) {
      auto fresh = connect();
      if (!fresh) return tl::make_unexpected(fresh.error());
      c = std::move(*fresh);
    }
    auto reply = run(c.get(), args);
    if (reply || c->err == 0) {
      std::lock_guard lock(m_mutex);
      m_idle.push_back(std::move(c));
    }
    return reply;
  }

  RedisTarget m_target;
  mutable std::mutex m_mutex;
  mutable std::vector<Context> m_idle;
};

}  // namespace

std::unique_ptr<Storage> make_redis_storage(RedisTarget target) {
  return std::make_unique<RedisStorage>(std::move(target));
}

}  // namespace sccache::storage::redis
