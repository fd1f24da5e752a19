#pragma once
// A Redis server as cache storage (hiredis, blocking, with timeouts; called from the thread pool).
// Connections are pooled and dropped on any error; an unreachable server makes every call fail
// quickly with an error value, never an exception.
#include <memory>

#include "storage/redis/redis_url.hpp"
#include "storage/storage.hpp"

namespace sccache::storage::redis {

std::unique_ptr<Storage> make_redis_storage(RedisTarget target);

}  // namespace sccache::storage::redis
