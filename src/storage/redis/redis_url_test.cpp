#include "storage/redis/redis_url.hpp"

#include <gtest/gtest.h>

namespace sccache::storage::redis {
namespace {

TEST(RedisUrl, ParsesEveryForm) {
  auto t = parse_redis_url("redis://127.0.0.1:6380/2");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 6380);
  EXPECT_EQ(t->db, 2u);
  t = parse_redis_url("redis://user:secret@cache.local:7000?db=5");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->username, "user");
  EXPECT_EQ(t->password, "secret");
  EXPECT_EQ(t->host, "cache.local");
  EXPECT_EQ(t->db, 5u);
  t = parse_redis_url("redis://:onlypass@h");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->username, "");
  EXPECT_EQ(t->password, "onlypass");
  EXPECT_EQ(t->port, 6379);
  t = parse_redis_url("tcp://h:1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->port, 1);
}

TEST(RedisUrl, DescriptionNeverShowsThePassword) {
  auto t = parse_redis_url("redis://u:secret@h:1/3");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->describe(), "redis://h:1/3");
}

TEST(RedisUrl, RejectsWhatItCannotServe) {
  EXPECT_FALSE(parse_redis_url("http://h"));
  EXPECT_FALSE(parse_redis_url("rediss://h"));
  EXPECT_FALSE(parse_redis_url("redis://h:notaport"));
  EXPECT_FALSE(parse_redis_url("redis://h/x"));
  EXPECT_FALSE(parse_redis_url("redis://h?db=x"));
}

}  // namespace
}  // namespace sccache::storage::redis
