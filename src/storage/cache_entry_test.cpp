#include "storage/cache_entry.hpp"

#include <gtest/gtest.h>
#include <zstd.h>

namespace sccache::storage {
namespace {

constexpr std::uint64_t k_cap = 1 << 20;
const std::string k_key = std::string(63, 'a') + "1";

CacheEntry sample() {
  CacheEntry e;
  e.files.push_back({"obj", std::string("\x7f"
                                        "ELF\0\1\2binary",
                                        12)});
  e.files.push_back({"d", "a.o: a.c a.h\n"});
  e.stdout_bytes = "";
  e.stderr_bytes = "a.c:1: warning: x\n";
  return e;
}

std::string encode(const CacheEntry& e, std::string_view key = k_key, int level = 3) {
  auto blob = encode_entry(e, key, level);
  EXPECT_TRUE(blob) << blob.error().message;
  return blob ? *blob : std::string();
}

std::string le(std::uint64_t v, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
  return out;
}

std::string zstd_frame(std::string_view content, int checksum = 1) {
  ZSTD_CCtx* ctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, checksum);
  ZSTD_CCtx_setPledgedSrcSize(ctx, content.size());
  std::string frame(ZSTD_compressBound(content.size()), '\0');
  std::size_t n = ZSTD_compress2(ctx, frame.data(), frame.size(), content.data(), content.size());
  ZSTD_freeCCtx(ctx);
  frame.resize(ZSTD_isError(n) ? 0 : n);
  return frame;
}

// A header as the format writes it: key, (role, size) per file, stdout and stderr sizes.
std::string header(std::string_view key, std::vector<std::pair<std::string, std::uint64_t>> files,
                   std::uint64_t out = 0, std::uint64_t err = 0) {
  std::string h = le(key.size(), 2) + std::string(key) + le(files.size(), 4);
  for (const auto& [name, size] : files) h += le(name.size(), 2) + name + le(size, 8);
  return h + le(out, 8) + le(err, 8);
}

// A blob in the entry format around an arbitrary plain header and frame content.
std::string wrap_raw(std::string_view plain, std::string_view content, int checksum = 1) {
  return "SCCPPE02" + le(plain.size(), 4) + std::string(plain) + zstd_frame(content, checksum);
}
// The same, the frame holding the header's copy as it should, then `data`.
std::string wrap(std::string_view h, std::string_view data) {
  return wrap_raw(h, std::string(h) + std::string(data));
}

void expect_corrupt(std::string_view blob, std::uint64_t cap = k_cap, std::string_view why = "") {
  auto back = decode_entry(blob, k_key, cap);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, util::ErrorCode::corrupt) << back.error().message;
  EXPECT_NE(back.error().message.find(why), std::string::npos) << back.error().message;
}

TEST(CacheEntry, RoundTrips) {
  auto back = decode_entry(encode(sample()), k_key, k_cap);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, sample());
  ASSERT_NE(back->find("d"), nullptr);
  EXPECT_EQ(back->find("d")->data, "a.o: a.c a.h\n");
  EXPECT_EQ(back->find("dwo"), nullptr);
}

TEST(CacheEntry, ViewsOutliveTheBlob) {
  auto blob = encode(sample());
  auto view = decode_entry_view(blob, k_key, k_cap);
  ASSERT_TRUE(view) << view.error().message;
  blob.assign(blob.size(), 'x');  // the roles and data must not point into it
  ASSERT_NE(view->find("obj"), nullptr);
  EXPECT_EQ(view->find("obj")->data, sample().files[0].data);
  EXPECT_EQ(view->stderr_bytes(), sample().stderr_bytes);
}

TEST(CacheEntry, SeveralFilesAndEveryByteValueRoundTrip) {
  CacheEntry e;
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  e.files.push_back({"obj", all_bytes + all_bytes});
  e.files.push_back({"d", ""});
  e.files.push_back({"dwo", std::string(70000, '\0')});
  e.stdout_bytes = all_bytes;
  e.stderr_bytes = "";
  auto back = decode_entry(encode(e, k_key, 19), k_key, k_cap);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, e);
}

TEST(CacheEntry, EmptyEntryRoundTrips) {
  auto back = decode_entry(encode(CacheEntry{}, k_key, 1), k_key, k_cap);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, CacheEntry{});
}

TEST(CacheEntry, CompressesRepetitiveData) {
  CacheEntry e;
  e.files.push_back({"obj", std::string(100000, 'a')});
  EXPECT_LT(encode(e).size(), 1000u);
}

TEST(CacheEntry, AnEntryReadUnderAnotherKeyIsRejected) {
  // A file copied over another in the cache directory, or a remote answering for the wrong key.
  auto blob = encode(sample(), std::string(64, 'b'));
  expect_corrupt(blob, k_cap, "another key");
  EXPECT_TRUE(decode_entry(blob, std::string(64, 'b'), k_cap));
  expect_corrupt(encode(sample(), ""), k_cap, "another key");
}

TEST(CacheEntry, ThePlainHeaderMustBeItsChecksummedCopy) {
  std::string data = "abc";
  std::string mine = header(k_key, {{"obj", 3}});
  std::string other = header(std::string(64, 'c'), {{"obj", 3}});
  ASSERT_TRUE(decode_entry(wrap_raw(mine, mine + data), k_key, k_cap));
  expect_corrupt(wrap_raw(mine, other + data), k_cap, "checksummed copy");  // key edited in front
  std::string role = header(k_key, {{"dwo", 3}});
  expect_corrupt(wrap_raw(role, mine + data), k_cap, "checksummed copy");
}

TEST(CacheEntry, EveryByteFlipIsRejectedOrHarmless) {
  // The zstd checksum covers the content: no flip may decode to different data.
  auto blob = encode(sample());
  for (std::size_t i = 0; i < blob.size(); ++i) {
    std::string bad = blob;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    auto back = decode_entry(bad, k_key, k_cap);
    if (back) {
      EXPECT_EQ(*back, sample()) << "flip at " << i;
    }
  }
}

TEST(CacheEntry, FlipInTheMiddleAndBadChecksumAreRejected) {
  auto blob = encode(sample());
  std::string middle = blob;
  middle[middle.size() / 2] = static_cast<char>(middle[middle.size() / 2] ^ 0x01);
  expect_corrupt(middle);
  std::string checksum = blob;  // the last 4 bytes are the content checksum
  checksum.back() = static_cast<char>(checksum.back() ^ 0x01);
  expect_corrupt(checksum);
}

TEST(CacheEntry, FrameWithoutChecksumIsRejected) {
  std::string h = header(k_key, {});
  ASSERT_TRUE(decode_entry(wrap_raw(h, h, 1), k_key, k_cap));
  expect_corrupt(wrap_raw(h, h, 0), k_cap, "checksum");
}

TEST(CacheEntry, MalformedHeadersAreRejected) {
  const std::string file = le(3, 2) + "obj" + le(2, 8);
  const std::string tail = le(0, 8) + le(0, 8);  // empty stdout and stderr
  const std::string key = le(k_key.size(), 2) + k_key;
  auto blob = [](const std::string& h) { return wrap(h, "ab"); };
  ASSERT_TRUE(decode_entry(blob(key + le(1, 4) + file + tail), k_key, k_cap));
  expect_corrupt(blob(""), k_cap, "header");
  expect_corrupt(blob(key + le(2, 4) + file + tail), k_cap, "header");        // count past the end
  expect_corrupt(blob(key + le(65, 4) + file + tail), k_cap, "header");       // too many files
  expect_corrupt(blob(key + le(1, 4) + le(9, 2) + "obj"), k_cap, "header");   // role past the end
  expect_corrupt(blob(key + le(1, 4) + file + le(0, 8)), k_cap, "header");    // no stderr size
  expect_corrupt(blob(key + le(1, 4) + file + tail + "x"), k_cap, "header");  // trailing byte
  expect_corrupt(blob(le(200, 2) + k_key + le(0, 4) + tail), k_cap, "header");  // key past the end
  // Sizes that would wrap around when added up.
  std::string huge = le(3, 2) + "obj" + le(~std::uint64_t{0}, 8);
  expect_corrupt(blob(key + le(2, 4) + huge + huge + tail), k_cap, "header");
  // A plain header longer than the blob, or than any header may be.
  expect_corrupt("SCCPPE02" + le(1000, 4) + "abc", k_cap, "header");
  expect_corrupt("SCCPPE02" + le(1 << 20, 4) + std::string(1 << 20, '\0'), 1ull << 30, "header");
}

TEST(CacheEntry, DataThatDisagreesWithTheHeaderIsRejected) {
  std::string h = header(k_key, {{"obj", 3}}, 1, 1);
  ASSERT_TRUE(decode_entry(wrap(h, "abcde"), k_key, k_cap));
  expect_corrupt(wrap(h, "abcd"), k_cap, "declared size");    // short
  expect_corrupt(wrap(h, "abcdef"), k_cap, "declared size");  // long
  expect_corrupt(wrap(h, ""), k_cap, "declared size");
}

TEST(CacheEntry, TruncationsAreRejected) {
  auto blob = encode(sample());
  for (std::size_t n = 0; n < blob.size(); ++n) {
    auto back = decode_entry(blob.substr(0, n), k_key, k_cap);
    ASSERT_FALSE(back) << "length " << n;
    EXPECT_EQ(back.error().code, util::ErrorCode::corrupt);
  }
  expect_corrupt(blob + "x");
  std::size_t frame_at = blob.find("\x28\xb5\x2f\xfd");
  expect_corrupt(blob + blob.substr(frame_at));  // a second frame
}

TEST(CacheEntry, OldFormatsAndBadMagicAreRejected) {
  auto blob = encode(sample());
  std::string old = blob;
  old[7] = '1';  // "SCCPPE01": written before entries named their key
  auto back = decode_entry(old, k_key, k_cap);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, util::ErrorCode::unsupported);
  expect_corrupt("SCCPPE0", k_cap, "bad magic");
  expect_corrupt(blob.substr(8), k_cap, "bad magic");
}

TEST(CacheEntry, TheSizeCapIsCheckedBeforeDecompressing) {
  auto blob = encode(sample());
  expect_corrupt(blob, 10, "exceeds");
  CacheEntry big;
  big.files.push_back({"obj", std::string(2000, 'z')});
  std::string big_blob = encode(big);
  std::uint64_t size = 2000 + header(k_key, {{"obj", 2000}}).size();
  ASSERT_TRUE(decode_entry(big_blob, k_key, size));
  expect_corrupt(big_blob, size - 1, "exceeds");
}

TEST(CacheEntry, ABombIsRejectedBeforeAnythingIsAllocated) {
  // A 1 GiB object declared by a few dozen bytes: the header's sizes are checked against what the
  // blob could honestly expand to before any buffer is made (no frame needed to tell).
  std::string h = header(k_key, {{"obj", 1ull << 30}});
  std::string bomb = "SCCPPE02" + le(h.size(), 4) + h;
  expect_corrupt(bomb, 1ull << 31, "exceeds");
  // The frame's own content size must agree with the header: it cannot size anything either.
  std::string small = header(k_key, {{"obj", 4}});
  std::string lying =
      "SCCPPE02" + le(small.size(), 4) + small + zstd_frame(std::string(1 << 20, 0));
  expect_corrupt(lying, 1ull << 31, "declared size");
}

TEST(CacheEntry, DecodedSizeIsBoundedByWhatTheBlobBrings) {
  EXPECT_EQ(decoded_size_allowed(0), k_free_decoded_size);
  EXPECT_EQ(decoded_size_allowed(1000), k_free_decoded_size);
  EXPECT_EQ(decoded_size_allowed(1 << 20), (std::uint64_t{1} << 20) * k_max_ratio);
  // An object that is nearly all zeros is not stored: decoded, it could not be told from a bomb.
  CacheEntry zeros;
  zeros.files.push_back({"obj", std::string(k_free_decoded_size + 1, '\0')});
  auto blob = encode_entry(zeros, k_key, 1);
  ASSERT_FALSE(blob);
  EXPECT_EQ(blob.error().code, util::ErrorCode::too_large);
  // One that compresses as objects do is.
  CacheEntry mixed;
  std::string data(k_free_decoded_size + 1, '\0');
  std::uint64_t x = 88172645463325252ull;
  for (std::size_t i = 0; i < data.size(); i += 64) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    data[i] = static_cast<char>(x);
  }
  mixed.files.push_back({"obj", data});
  auto ok = encode_entry(mixed, k_key, 1);
  ASSERT_TRUE(ok) << ok.error().message;
  auto back = decode_entry_view(*ok, k_key, 1ull << 30);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->find("obj")->data, data);
}

TEST(CacheEntry, TooManyFilesOrTooLongANameIsNotEncoded) {
  CacheEntry many;
  for (int i = 0; i < 65; ++i) many.files.push_back({"f" + std::to_string(i), "x"});
  EXPECT_FALSE(encode_entry(many, k_key, 1));
  CacheEntry named;
  named.files.push_back({std::string(70000, 'n'), "x"});
  EXPECT_FALSE(encode_entry(named, k_key, 1));
  EXPECT_FALSE(encode_entry(sample(), std::string(70000, 'k'), 1));
}

}  // namespace
}  // namespace sccache::storage
