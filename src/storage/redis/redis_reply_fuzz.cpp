// Fuzzes what a Redis server can answer: the bytes go through hiredis's own reply parser (with our
// bounds), then
// every reply it yields through what we read from replies. Nothing may crash or read out of
// bounds, and a GET's value is exactly the bulk string's bytes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "storage/redis/redis_reply.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sccache::storage::redis;
  redisReader* reader = redisReaderCreate();
  bound_replies(reader);
  redisReaderFeed(reader, reinterpret_cast<const char*>(data), size);
  for (int n = 0; n < 64; ++n) {
    void* parsed = nullptr;
    if (redisReaderGetReply(reader, &parsed) != REDIS_OK || !parsed) break;
    auto* reply = static_cast<redisReply*>(parsed);
    auto value = get_value(*reply);
    if (value && *value && (reply->type != REDIS_REPLY_STRING || (*value)->size() != reply->len)) {
      std::fprintf(stderr, "redis reply: a GET value that is not the bulk string\n");
      std::abort();
    }
    (void)config_number(*reply);
    (void)info_number(*reply, "used_memory");
    freeReplyObject(reply);
  }
  redisReaderFree(reader);
  return 0;
}
