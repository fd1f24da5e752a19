#include "storage/redis/redis_reply.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace sccache::storage::redis {
namespace {

// A reply as hiredis parses it from the bytes a server sent.
std::unique_ptr<redisReply, decltype(&freeReplyObject)> parse(const std::string& wire) {
  redisReader* reader = redisReaderCreate();
  bound_replies(reader);
  redisReaderFeed(reader, wire.data(), wire.size());
  void* reply = nullptr;
  EXPECT_EQ(redisReaderGetReply(reader, &reply), REDIS_OK);
  redisReaderFree(reader);
  EXPECT_NE(reply, nullptr) << wire;
  return {static_cast<redisReply*>(reply), freeReplyObject};
}

// An array header is not an allocation: past the bound it is a protocol error, at once.
TEST(RedisReply, AHugeArrayHeaderIsAnErrorNotAnAllocation) {
  redisReader* reader = redisReaderCreate();
  bound_replies(reader);
  std::string wire = "*666666666\r\n";
  redisReaderFeed(reader, wire.data(), wire.size());
  void* reply = nullptr;
  EXPECT_EQ(redisReaderGetReply(reader, &reply), REDIS_ERR);
  EXPECT_EQ(reply, nullptr);
  redisReaderFree(reader);
  // Within the bound, arrays are read as before.
  auto small = parse("*2\r\n$1\r\na\r\n:1\r\n");
  EXPECT_EQ(small->type, REDIS_REPLY_ARRAY);
  EXPECT_EQ(small->elements, 2u);
}

TEST(RedisReply, GetGivesTheValueOrAMiss) {
  auto value = get_value(*parse(std::string("$3\r\na\0b\r\n", 9)));
  ASSERT_TRUE(value);
  EXPECT_EQ(**value, std::string("a\0b", 3));
  auto empty = get_value(*parse("$0\r\n\r\n"));
  ASSERT_TRUE(empty && *empty);
  EXPECT_EQ(**empty, "");
  auto miss = get_value(*parse("$-1\r\n"));
  ASSERT_TRUE(miss);
  EXPECT_FALSE(*miss);
}

TEST(RedisReply, AGetAnsweredWithAnythingElseIsCorrupt) {
  // (A null array, "*-1", is hiredis's nil: a miss like a null bulk string.)
  for (const char* wire : {":5\r\n", "*1\r\n$1\r\nx\r\n", "+OK\r\n", "-ERR no\r\n"}) {
    auto value = get_value(*parse(wire));
    ASSERT_FALSE(value) << wire;
    EXPECT_EQ(value.error().code, util::ErrorCode::corrupt);
  }
}

TEST(RedisReply, ConfigNumberTakesOnlyAWholeNumberInTheSecondElement) {
  EXPECT_EQ(config_number(*parse("*2\r\n$9\r\nmaxmemory\r\n$7\r\n1048576\r\n")), 1048576u);
  EXPECT_EQ(config_number(*parse("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n")), 0u);
  // A nil, an integer or a nested array where the value should be; text that is not a number.
  for (const char* wire : {"*2\r\n$9\r\nmaxmemory\r\n$-1\r\n", "*2\r\n$9\r\nmaxmemory\r\n:5\r\n",
                           "*2\r\n$1\r\na\r\n*1\r\n$1\r\n5\r\n", "*1\r\n$9\r\nmaxmemory\r\n",
                           "*2\r\n$1\r\na\r\n$3\r\n12x\r\n", "*0\r\n", "$5\r\n12345\r\n",
                           "*2\r\n$1\r\na\r\n$21\r\n999999999999999999999\r\n"}) {
    EXPECT_EQ(config_number(*parse(wire)), std::nullopt) << wire;
  }
}

TEST(RedisReply, InfoNumberReadsTheFieldAtTheStartOfALine) {
  std::string info = "# Memory\r\nused_memory_peak:900\r\nused_memory:12345\r\nx_used_memory:1\r\n";
  auto reply = parse("$" + std::to_string(info.size()) + "\r\n" + info + "\r\n");
  EXPECT_EQ(info_number(*reply, "used_memory"), 12345u);
  EXPECT_EQ(info_number(*reply, "used_memory_peak"), 900u);
  EXPECT_EQ(info_number(*reply, "maxmemory"), std::nullopt);
  EXPECT_EQ(info_number(*parse(":5\r\n"), "used_memory"), std::nullopt);
  EXPECT_EQ(info_number(*parse("$13\r\nused_memory:x\r\n"), "used_memory"), std::nullopt);
}

}  // namespace
}  // namespace sccache::storage::redis
