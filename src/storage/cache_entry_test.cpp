#include "storage/cache_entry.hpp"

#include <gtest/gtest.h>
#include <zstd.h>

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

// A blob in the entry format around an arbitrary payload, to reach the payload checks.
std::string wrap(std::string_view payload, int checksum = 1) {
  ZSTD_CCtx* ctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, checksum);
  ZSTD_CCtx_setPledgedSrcSize(ctx, payload.size());
  std::string frame(ZSTD_compressBound(payload.size()), '\0');
  std::size_t n = ZSTD_compress2(ctx, frame.data(), frame.size(), payload.data(), payload.size());
  ZSTD_freeCCtx(ctx);
  frame.resize(ZSTD_isError(n) ? 0 : n);
  return "SCCPPE01" + frame;
}

std::string le(std::uint64_t v, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
  return out;
}

void expect_corrupt(std::string_view blob, std::uint64_t cap = k_cap) {
  auto back = decode_entry(blob, cap);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, util::ErrorCode::corrupt) << back.error().message;
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

TEST(CacheEntry, SeveralFilesAndEveryByteValueRoundTrip) {
  CacheEntry e;
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  e.files.push_back({"obj", 0755, all_bytes + all_bytes});
  e.files.push_back({"d", 0644, ""});
  e.files.push_back({"dwo", 0600, std::string(70000, '\0')});
  e.stdout_bytes = all_bytes;
  e.stderr_bytes = "";
  auto back = decode_entry(encode_entry(e, 19), k_cap);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, e);
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

TEST(CacheEntry, FlipInTheMiddleAndBadChecksumAreRejected) {
  auto blob = encode_entry(sample(), 3);
  std::string middle = blob;
  middle[middle.size() / 2] = static_cast<char>(middle[middle.size() / 2] ^ 0x01);
  expect_corrupt(middle);
  std::string checksum = blob;  // the last 4 bytes are the content checksum
  checksum.back() = static_cast<char>(checksum.back() ^ 0x01);
  expect_corrupt(checksum);
}

TEST(CacheEntry, FrameWithoutChecksumIsRejected) {
  std::string payload = le(0, 4) + le(0, 8) + le(0, 8);
  ASSERT_TRUE(decode_entry(wrap(payload), k_cap));
  expect_corrupt(wrap(payload, 0));
}

TEST(CacheEntry, MalformedPayloadsAreRejected) {
  const std::string tail = le(0, 8) + le(0, 8);  // empty stdout and stderr
  const std::string file = le(3, 2) + "obj" + le(0644, 4) + le(2, 8) + "ab";
  ASSERT_TRUE(decode_entry(wrap(le(1, 4) + file + tail), k_cap));
  expect_corrupt(wrap(""));
  expect_corrupt(wrap(le(2, 4) + file + tail));                            // count past the end
  expect_corrupt(wrap(le(1, 4) + le(9, 2) + "obj" + le(0644, 4) + tail));  // name past the end
  expect_corrupt(wrap(le(1, 4) + le(3, 2) + "obj" + le(0644, 4) + le(99, 8) + "ab" + tail));
  expect_corrupt(wrap(le(1, 4) + file + le(0, 8) + le(5, 8) + "err"));  // stderr past the end
  expect_corrupt(wrap(le(1, 4) + file + tail + "x"));                   // trailing byte
}

TEST(CacheEntry, TruncationsAreRejected) {
  auto blob = encode_entry(sample(), 3);
  for (std::size_t n = 0; n < blob.size(); ++n) {
    auto back = decode_entry(blob.substr(0, n), k_cap);
    ASSERT_FALSE(back) << "length " << n;
    EXPECT_EQ(back.error().code, util::ErrorCode::corrupt);
  }
  expect_corrupt(blob + "x");
  expect_corrupt(blob + blob.substr(8));  // a second frame
}

TEST(CacheEntry, BadMagicAndSizeCapAreRejected) {
  auto blob = encode_entry(sample(), 3);
  std::string bad = blob;
  bad[0] = 'X';
  expect_corrupt(bad);
  expect_corrupt("SCCPPE0");
  expect_corrupt(blob.substr(8));  // a bare zstd frame
  expect_corrupt(blob, 10);
  EXPECT_NE(decode_entry(blob, 10).error().message.find("exceeds"), std::string::npos);
  CacheEntry big;
  big.files.push_back({"obj", 0644, std::string(2000, 'z')});
  ASSERT_TRUE(decode_entry(encode_entry(big, 3), 3000));
  expect_corrupt(encode_entry(big, 3), 1999);  // the cap is checked before decompressing
}

}  // namespace
}  // namespace sccache::storage
