#include "protocol/codec.hpp"

#include <gtest/gtest.h>

namespace sccache::protocol {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

std::string le64(std::uint64_t v) {
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}

std::string le32(std::uint32_t v) {
  return le64(v).substr(0, 4);
}

Compile sample_compile() {
  return Compile{"/usr/bin/gcc", "/src", {"-c", "a.c"}, {{"PATH", "/bin"}, {"X", ""}}};
}

ServerInfo sample_info() {
  ServerInfo info;
  info.stats.compile_requests = 5;
  info.stats.requests_executed = 3;
  info.stats.cache_hits.counts["C/C++"] = 1;
  info.stats.cache_misses.counts["C/C++"] = 2;
  info.stats.cache_write_duration = {1, 500};
  info.stats.not_cached["-E"] = 1;
  info.cache_location = "Local disk: \"/c\"";
  info.cache_size = 963;
  info.max_cache_size = std::nullopt;
  info.version = "0.1.0";
  return info;
}

TEST(Codec, GoldenGetStatsAndShutdown) {
  EXPECT_EQ(encode(Request{GetStats{}}), bytes({1, 0, 0, 0}));
  EXPECT_EQ(encode(Request{Shutdown{}}), bytes({3, 0, 0, 0}));
}

TEST(Codec, GoldenCompile) {
  Compile c{"cc", "/", {"-c"}, {{"A", "b"}}};
  auto os = [](std::string s) { return bytes({0, 0, 0, 0}) + le64(s.size()) + s; };
  std::string expected =
      bytes({4, 0, 0, 0}) + os("cc") + os("/") + le64(1) + os("-c") + le64(1) + os("A") + os("b");
  EXPECT_EQ(encode(Request{c}), expected);
}

TEST(Codec, GoldenCompileResponses) {
  EXPECT_EQ(encode(Response{CompileResponse{CompileStarted{}}}), bytes({0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(encode(Response{CompileResponse{UnhandledCompile{}}}), bytes({0, 0, 0, 0, 1, 0, 0, 0}));
}

TEST(Codec, GoldenCompileFinished) {
  CompileFinished f{0, std::nullopt, "o", "", ColorMode::automatic};
  std::string expected = bytes({4, 0, 0, 0}) + bytes({1, 0, 0, 0, 0}) + bytes({0}) + le64(1) + "o" +
                         le64(0) + bytes({2, 0, 0, 0});
  EXPECT_EQ(encode(Response{f}), expected);
}

TEST(Codec, GoldenServerInfoLayout) {
  // Every field gets its own value, so swapping any two fields changes the bytes.
  ServerInfo info;
  auto& s = info.stats;
  s.compile_requests = 1;
  s.requests_unsupported_compiler = 2;
  s.requests_not_compile = 3;
  s.requests_not_cacheable = 4;
  s.requests_executed = 5;
  s.cache_errors.counts["a"] = 6;
  s.cache_hits.counts["b"] = 7;
  s.cache_misses.counts["c"] = 8;
  s.cache_timeouts = 9;
  s.cache_read_errors = 10;
  s.non_cacheable_compilations = 11;
  s.forced_recaches = 12;
  s.cache_write_errors = 13;
  s.cache_writes = 14;
  s.cache_write_duration = {15, 16};
  s.cache_read_hit_duration = {17, 18};
  s.compiler_write_duration = {19, 20};
  s.compile_fails = 21;
  s.not_cached["d"] = 22;
  s.dist_compiles["e"] = 23;
  s.dist_errors = 24;
  info.cache_location = "L";
  info.cache_size = 25;
  info.version = "v";
  auto map1 = [](const char* key, std::uint64_t v) { return le64(1) + le64(1) + key + le64(v); };
  std::string stats = le64(1) + le64(2) + le64(3) + le64(4) + le64(5)  // request counters
                      + map1("a", 6) + map1("b", 7) + map1("c", 8)     // per-language counts
                      + le64(9) + le64(10) + le64(11) + le64(12) + le64(13) + le64(14)   //
                      + le64(15) + le32(16) + le64(17) + le32(18) + le64(19) + le32(20)  //
                      + le64(21) + map1("d", 22) + map1("e", 23) + le64(24);
  std::string expected = bytes({1, 0, 0, 0}) + stats + le64(1) + "L" + bytes({1}) + le64(25) +
                         bytes({0}) + le64(1) + "v";
  EXPECT_EQ(encode(Response{Stats{info}}), expected);
  std::string shutting_down = expected;
  shutting_down[0] = 3;
  EXPECT_EQ(encode(Response{ShuttingDown{info}}), shutting_down);
}

TEST(Codec, GoldenUnsupportedCompilerAndDistStatus) {
  EXPECT_EQ(encode(Response{CompileResponse{UnsupportedCompiler{"ls"}}}),
            bytes({0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 'l', 's'}));
  EXPECT_EQ(encode(Response{DistInfo{"no"}}),
            bytes({2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 'n', 'o'}));
  EXPECT_EQ(encode(Request{ZeroStats{}}), bytes({0, 0, 0, 0}));
  EXPECT_EQ(encode(Request{DistStatus{}}), bytes({2, 0, 0, 0}));
}

TEST(Codec, RequestsRoundTrip) {
  for (const Request& r : {Request{ZeroStats{}}, Request{GetStats{}}, Request{DistStatus{}},
                           Request{Shutdown{}}, Request{sample_compile()}}) {
    auto decoded = decode_request(encode(r));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->index(), r.index());
    if (auto* c = std::get_if<Compile>(&r)) {
      EXPECT_EQ(std::get<Compile>(*decoded), *c);
    }
  }
}

TEST(Codec, ResponsesRoundTrip) {
  std::vector<Response> responses = {
      CompileResponse{CompileStarted{}},
      CompileResponse{UnhandledCompile{}},
      CompileResponse{UnsupportedCompiler{"/bin/ls"}},
      Stats{sample_info()},
      DistInfo{"disabled"},
      ShuttingDown{sample_info()},
      CompileFinished{std::nullopt, 9, std::string("\0\1bin", 5), "err", ColorMode::on},
  };
  for (const auto& r : responses) {
    auto decoded = decode_response(encode(r));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, r);
  }
}

TEST(Codec, RejectsEveryTruncationOfACompile) {
  std::string full = encode(Request{sample_compile()});
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto decoded = decode_request(full.substr(0, n));
    ASSERT_FALSE(decoded) << "prefix " << n;
    EXPECT_EQ(decoded.error().code, util::ErrorCode::corrupt);
    EXPECT_NE(decoded.error().message.find("at offset"), std::string::npos)
        << decoded.error().message;
  }
}

TEST(Codec, RejectsTrailingBytesBadTagsAndHugeLengths) {
  EXPECT_FALSE(decode_request(encode(Request{GetStats{}}) + "x"));
  EXPECT_FALSE(decode_request(bytes({5, 0, 0, 0})));
  EXPECT_FALSE(decode_response(bytes({9, 0, 0, 0})));
  std::string huge = bytes({4, 0, 0, 0}) + bytes({0, 0, 0, 0}) + le64(1ull << 63);
  auto decoded = decode_request(huge);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("past the end"), std::string::npos);
}

TEST(Codec, RejectsBadOptionFlagAndColorMode) {
  std::string f = encode(Response{CompileFinished{0, std::nullopt, "", "", ColorMode::off}});
  std::string bad_option = f;
  bad_option[4] = 2;  // retcode's Option flag
  auto option = decode_response(bad_option);
  ASSERT_FALSE(option);
  EXPECT_NE(option.error().message.find("Option flag 2 at offset 4"), std::string::npos)
      << option.error().message;
  std::string bad_color = f;
  bad_color[bad_color.size() - 4] = 3;
  EXPECT_FALSE(decode_response(bad_color));
}

TEST(Codec, ServerInfoExtrasRoundTripAfterV04Fields) {
  ServerInfo info = sample_info();
  std::string v04 = encode(Response{Stats{info}});
  info.extras = ServerInfoExtras{4, 6, true, 10, 2048, {}, 0, {}};
  std::string with_extras = encode(Response{Stats{info}});
  ASSERT_EQ(with_extras.size(), v04.size() + 8 + 8 + 1 + 8 + 8 + 8 + 8 + 8 + 8 + 3 * 8);
  EXPECT_EQ(with_extras.substr(0, v04.size()), v04);  // a v0.4 reader sees only trailing bytes
  auto decoded = decode_response(with_extras);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, Response{Stats{info}});
  auto truncated = decode_response(with_extras.substr(0, with_extras.size() - 1));
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, util::ErrorCode::corrupt);
}

TEST(Codec, CacheLevelsRoundTripAndAnEarlierServersStatsStillDecode) {
  ServerInfo info = sample_info();
  info.extras = ServerInfoExtras{4, 6, true, 10, 2048, {}, 0, {}};
  std::string without_levels = encode(Response{Stats{info}});
  CacheLevel disk{"Local disk: \"/c\"", true, true, 5, 2, 0, 0, 0, 2, 0, 4096, 1 << 30};
  CacheLevel redis{"Redis: redis://127.0.0.1:1/0", false, false, 1, 1, 3, 2, 7, 0, 0, {}, {}, 9};
  info.extras->levels = {disk, redis};
  std::string with_levels = encode(Response{Stats{info}});
  auto decoded = decode_response(with_levels);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, Response{Stats{info}});
  // What a server from before cache levels sent: no count at all (nor manifest counters).
  auto earlier = decode_response(without_levels.substr(0, without_levels.size() - 32));
  ASSERT_TRUE(earlier) << earlier.error().message;
  EXPECT_TRUE(std::get<Stats>(*earlier).info.extras->levels.empty());
  EXPECT_FALSE(decode_response(with_levels.substr(0, with_levels.size() - 1)));
}

TEST(Codec, ManifestCountersRoundTripAndAServerWithoutThemStillDecodes) {
  ServerInfo info = sample_info();
  info.extras = ServerInfoExtras{4, 6, true, 10, 2048, {}, 0, {}};
  info.extras->manifest_updates = 12;
  info.extras->manifest_not_recorded = {{"a file changed during the compile", 3}};
  std::string bytes = encode(Response{Stats{info}});
  auto decoded = decode_response(bytes);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, Response{Stats{info}});
  info.extras->connections_refused = 2;
  bytes = encode(Response{Stats{info}});
  decoded = decode_response(bytes);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, Response{Stats{info}});
  info.extras->jobserver_compiles = 5;
  info.extras->slot_waits = 1;
  info.extras->compile_slots = 2;
  bytes = encode(Response{Stats{info}});
  decoded = decode_response(bytes);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, Response{Stats{info}});
  auto without_slots = decode_response(bytes.substr(0, bytes.size() - 24));
  ASSERT_TRUE(without_slots) << without_slots.error().message;
  EXPECT_EQ(std::get<Stats>(*without_slots).info.extras->connections_refused, 2u);
  EXPECT_EQ(std::get<Stats>(*without_slots).info.extras->compile_slots, 0u);
  EXPECT_FALSE(decode_response(bytes.substr(0, bytes.size() - 8)));  // half of them: malformed
  auto without_refusals = decode_response(bytes.substr(0, bytes.size() - 32));
  ASSERT_TRUE(without_refusals) << without_refusals.error().message;
  EXPECT_EQ(std::get<Stats>(*without_refusals).info.extras->connections_refused, 0u);
  // updates, map count, key length, key, value, refusals, job slots
  std::size_t counters = 8 + 8 + 8 + 33 + 8 + 8 + 24;
  auto earlier = decode_response(bytes.substr(0, bytes.size() - counters));
  ASSERT_TRUE(earlier) << earlier.error().message;
  EXPECT_EQ(std::get<Stats>(*earlier).info.extras->manifest_updates, 0u);
  for (std::size_t cut = 1; cut < counters; ++cut) {
    if (cut == 24 || cut == 32) continue;  // without the slots, or refusals: earlier forms (above)
    EXPECT_FALSE(decode_response(bytes.substr(0, bytes.size() - cut))) << cut;
  }
}

TEST(Codec, ErrorsNameWhatAndOffset) {
  auto decoded = decode_request(encode(Request{GetStats{}}) + "x");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, util::ErrorCode::corrupt);
  EXPECT_NE(decoded.error().message.find("trailing bytes at offset 4"), std::string::npos)
      << decoded.error().message;
  ServerInfo info = sample_info();
  info.stats.cache_write_duration = Duration{0, 1'000'000'000};  // encodable, not decodable
  auto nanos = decode_response(encode(Response{Stats{info}}));
  ASSERT_FALSE(nanos);
  EXPECT_NE(nanos.error().message.find("nanos"), std::string::npos) << nanos.error().message;
}

TEST(Codec, RejectsEveryTruncationOfACompileFinished) {
  std::string full =
      encode(Response{CompileFinished{1, std::nullopt, "out", "err", ColorMode::on}});
  for (std::size_t n = 0; n < full.size(); ++n) {
    EXPECT_FALSE(decode_response(full.substr(0, n))) << "prefix " << n;
  }
}

TEST(Codec, RejectsNonUnixOsString) {
  std::string c = encode(Request{sample_compile()});
  c[4] = 1;  // exe's OsString variant: Windows
  EXPECT_FALSE(decode_request(c));
}

TEST(Codec, RejectsHugeCountsBeforeAllocating) {
  std::string compile = bytes({4, 0, 0, 0});
  compile += bytes({0, 0, 0, 0}) + le64(2) + "cc" + bytes({0, 0, 0, 0}) + le64(1) + "/";
  auto huge_args = decode_request(compile + le64(1ull << 63));
  ASSERT_FALSE(huge_args);
  EXPECT_NE(huge_args.error().message.find("length 9223372036854775808 past the end at offset 31"),
            std::string::npos)
      << huge_args.error().message;
  EXPECT_FALSE(decode_request(compile + le64(0) + le64(1ull << 63)));  // env_vars count
  EXPECT_FALSE(decode_request(compile + le64(~0ull)));
  // ServerStats: five counters, then cache_errors' map count.
  std::string stats = bytes({1, 0, 0, 0}) + le64(0) + le64(0) + le64(0) + le64(0) + le64(0);
  EXPECT_FALSE(decode_response(stats + le64(1ull << 63)));
  // CompileFinished: two None, then stdout's length.
  EXPECT_FALSE(decode_response(bytes({4, 0, 0, 0, 0, 0}) + le64(1ull << 63)));
}

TEST(Codec, RejectsUnknownNestedTagsAndTrailingResponseBytes) {
  auto bad_compile_response = decode_response(bytes({0, 0, 0, 0, 3, 0, 0, 0}));
  ASSERT_FALSE(bad_compile_response);
  EXPECT_NE(bad_compile_response.error().message.find("CompileResponse variant 3 at offset 4"),
            std::string::npos)
      << bad_compile_response.error().message;
  EXPECT_FALSE(decode_response(bytes({2, 0, 0, 0, 1, 0, 0, 0}) + le64(0)));  // DistInfo 1
  auto started = encode(Response{CompileResponse{CompileStarted{}}});
  EXPECT_TRUE(decode_response(started));
  EXPECT_FALSE(decode_response(started + std::string(1, '\0')));
  auto finished = encode(Response{CompileFinished{}});
  EXPECT_FALSE(decode_response(finished + "z"));
}

TEST(Codec, RejectsBadBoolInServerInfoExtras) {
  ServerInfo info = sample_info();
  std::size_t v04_size = encode(Response{Stats{info}}).size();
  info.extras = ServerInfoExtras{1, 2, false, 3, 4, {}, 0, {}};
  std::string body = encode(Response{Stats{info}});
  ASSERT_EQ(body[v04_size + 16], 0);  // direct_mode
  body[v04_size + 16] = 2;
  auto decoded = decode_response(body);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("bool byte 2"), std::string::npos)
      << decoded.error().message;
}

TEST(Codec, AcceptsServerInfoWithoutVersionFromDebiansPreRelease) {
  // sccache 0.4.0-pre.6 (Debian 12) ends ServerInfo after max_cache_size.
  ServerInfo info;
  info.cache_location = "Local disk: \"/c\"";
  info.cache_size = 1;
  std::string full = encode(Response{Stats{info}});
  std::string pre6 = full.substr(0, full.size() - 8);  // drop the empty version string's length
  auto decoded = decode_response(pre6);
  ASSERT_TRUE(decoded) << decoded.error().message;
  const auto& got = std::get<Stats>(*decoded).info;
  EXPECT_EQ(got.cache_location, info.cache_location);
  EXPECT_EQ(got.version, "");
  EXPECT_FALSE(got.extras);
}

}  // namespace
}  // namespace sccache::protocol
