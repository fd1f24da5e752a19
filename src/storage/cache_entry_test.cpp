#include "storage/cache_entry.hpp"

#include <gtest/gtest.h>

namespace sccache::storage {
namespace {

constexpr std::uint64_t k_cap = 1 << 20;

CacheEntry sample() {
  CacheEntry e;
  e.files.push_back({"obj", 0644,
                     std::string("\x7f"
                                 "ELF\0\1\2binary",
                                 12)});
  e.files.push_back({"d", 0600, "a.o: a.c a.h\n"});
  e.stdout_bytes = "";
  e.stderr_bytes = "a.c:1: warning: x\n";
  return e;
}

TEST(CacheEntry, RoundTrips) {
  auto blob = encode_entry(sample(), 3);
  auto back = decode_entry(blob, k_cap);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, sample());
  ASSERT_NE(back->find("d"), nullptr);
  EXPECT_EQ(back->find("d")->mode, 0600u);
  EXPECT_EQ(back->find("dwo"), nullptr);
}

TEST(CacheEntry, EmptyEntryRoundTrips) {
  auto back = decode_entry(encode_entry(CacheEntry{}, 1), k_cap);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, CacheEntry{});
}

TEST(CacheEntry, CompressesRepetitiveData) {
  CacheEntry e;
  e.files.push_back({"obj", 0644, std::string(100000, 'a')});
  EXPECT_LT(encode_entry(e, 3).size(), 1000u);
}

TEST(CacheEntry, EveryByteFlipIsRejectedOrHarmless) {
  // The zstd checksum covers the content: no flip may decode to different data.
  auto blob = encode_entry(sample(), 3);
  for (std::size_t i = 0; i < blob.size(); ++i) {
    std::string bad = blob;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    auto back = decode_entry(bad, k_cap);
    if (back) {
      EXPECT_EQ(*back, sample()) << "flip at " << i;
    }
  }
}

TEST(CacheEntry, TruncationsAreRejected) {
  auto blob = encode_entry(sample(), 3);
  for (std::size_t n = 0; n < blob.size(); ++n) {
    auto back = decode_entry(blob.substr(0, n), k_cap);
    ASSERT_FALSE(back) << "length " << n;
    EXPECT_EQ(back.error().code, util::ErrorCode::corrupt);
  }
  EXPECT_FALSE(decode_entry(blob + "x", k_cap));
}

TEST(CacheEntry, BadMagicAndSizeCapAreRejected) {
  auto blob = encode_entry(sample(), 3);
  std::string bad = blob;
  bad[0] = 'X';
  EXPECT_FALSE(decode_entry(bad, k_cap));
  auto capped = decode_entry(blob, 10);
  ASSERT_FALSE(capped);
  EXPECT_NE(capped.error().message.find("exceeds"), std::string::npos);
}

}  // namespace
}  // namespace sccache::storage
