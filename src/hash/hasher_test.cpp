#include "hash/hasher.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace sccache::hash {
namespace {

TEST(Hasher, KnownSha256Vectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hasher, FieldsAreFramedSoBoundariesMatter) {
  Hasher a, b;
  a.field("ab", "c");
  b.field("a", "bc");
  EXPECT_NE(a.finish_hex(), b.finish_hex());
  Hasher c, d;
  c.field("t", "xy");
  d.field("t", "x");
  d.raw("y");
  EXPECT_NE(c.finish_hex(), d.finish_hex());
}

TEST(Hasher, FileHashEqualsContentHash) {
  char path[] = "/tmp/sccache-hash-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string content(200000, 'x');  // spans several read chunks
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::close(fd);
  auto h = sha256_file_hex(path);
  ::unlink(path);
  ASSERT_TRUE(h);
  EXPECT_EQ(*h, sha256_hex(content));
  EXPECT_FALSE(sha256_file_hex("/nonexistent/file"));
}

}  // namespace
}  // namespace sccache::hash
