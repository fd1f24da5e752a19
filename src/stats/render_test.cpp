#include "stats/render.hpp"

#include <gtest/gtest.h>

namespace sccache::stats {
namespace {

// The numbers of the sample Debian's sccache 0.4.0-pre.6 printed (gcc -c twice, link, -E, clang
// -c).
protocol::ServerInfo sample() {
  protocol::ServerInfo info;
  auto& s = info.stats;
  s.compile_requests = 5;
  s.requests_executed = 3;
  s.requests_not_compile = 1;
  s.requests_not_cacheable = 1;
  s.cache_hits.counts["C/C++"] = 1;
  s.cache_misses.counts["C/C++"] = 2;
  s.cache_writes = 2;
  s.cache_write_duration = {0, 5'503'573};
  s.cache_read_hit_duration = {0, 1'091};
  s.compiler_write_duration = {0, 92'399'434};
  s.not_cached["-E"] = 1;
  info.cache_location = "Local disk: \"/home/user/.cache/sccache\"";
  info.cache_size = 963;
  info.max_cache_size = 10737418240ull;
  info.version = "0.1.0";
  return info;
}

TEST(Render, TextMatchesSccacheByteForByte) {
  const char* expected =
      "Compile requests                      5\n"
      "Compile requests executed             3\n"
      "Cache hits                            1\n"
      "Cache hits (C/C++)                    1\n"
      "Cache misses                          2\n"
      "Cache misses (C/C++)                  2\n"
      "Cache timeouts                        0\n"
      "Cache read errors                     0\n"
      "Forced recaches                       0\n"
      "Cache write errors                    0\n"
      "Compilation failures                  0\n"
      "Cache errors                          0\n"
      "Non-cacheable compilations            0\n"
      "Non-cacheable calls                   1\n"
      "Non-compilation calls                 1\n"
      "Unsupported compiler calls            0\n"
      "Average cache write               0.002 s\n"
      "Average compiler                  0.046 s\n"
      "Average cache read hit            0.000 s\n"
      "Failed distributed compilations       0\n"
      "\n"
      "Non-cacheable reasons:\n"
      "-E                                    1\n"
      "\n"
      "Cache location                  Local disk: \"/home/user/.cache/sccache\"\n"
      "Cache size                          963 bytes\n"
      "Max cache size                       10 GiB\n";
  EXPECT_EQ(render_text(sample()), expected);
}

// A second run of the same sccache (two gcc -c of one file, two others, -E twice, -M, two inputs,
// a link, a missing source), in a 3M cache: per-language errors, tied reasons, KiB and MiB.
TEST(Render, TextMatchesSccacheWithErrorsAndReasons) {
  protocol::ServerInfo info;
  auto& s = info.stats;
  s.compile_requests = 10;
  s.requests_executed = 5;
  s.requests_not_compile = 1;
  s.requests_not_cacheable = 4;
  s.cache_errors.counts["C/C++"] = 1;
  s.cache_hits.counts["C/C++"] = 1;
  s.cache_misses.counts["C/C++"] = 3;
  s.cache_writes = 3;
  s.cache_write_duration = {0, 688'335};
  s.cache_read_hit_duration = {0, 1'091};
  s.compiler_write_duration = {0, 69'722'899};
  s.not_cached = {{"-M", 1}, {"-E", 2}, {"multiple input files", 1}};
  info.cache_location = "Local disk: \"/tmp/sc/cache\"";
  info.cache_size = 1439;
  info.max_cache_size = 3ull << 20;
  const char* expected =
      "Compile requests                     10\n"
      "Compile requests executed             5\n"
      "Cache hits                            1\n"
      "Cache hits (C/C++)                    1\n"
      "Cache misses                          3\n"
      "Cache misses (C/C++)                  3\n"
      "Cache timeouts                        0\n"
      "Cache read errors                     0\n"
      "Forced recaches                       0\n"
      "Cache write errors                    0\n"
      "Compilation failures                  0\n"
      "Cache errors                          1\n"
      "Cache errors (C/C++)                  1\n"
      "Non-cacheable compilations            0\n"
      "Non-cacheable calls                   4\n"
      "Non-compilation calls                 1\n"
      "Unsupported compiler calls            0\n"
      "Average cache write               0.000 s\n"
      "Average compiler                  0.023 s\n"
      "Average cache read hit            0.000 s\n"
      "Failed distributed compilations       0\n"
      "\n"
      "Non-cacheable reasons:\n"
      "-E                                    2\n"
      "-M                                    1\n"
      "multiple input files                  1\n"
      "\n"
      "Cache location                  Local disk: \"/tmp/sc/cache\"\n"
      "Cache size                            1 KiB\n"
      "Max cache size                        3 MiB\n";
  EXPECT_EQ(render_text(info), expected);
}

TEST(Render, JsonHasSccacheFieldsInOrder) {
  const char* expected =
      R"({"stats":{"compile_requests":5,"requests_unsupported_compiler":0,"requests_not_compile":1,)"
      R"("requests_not_cacheable":1,"requests_executed":3,"cache_errors":{"counts":{}},"cache_hits":{"counts":{"C/C++":1}},)"
      R"("cache_misses":{"counts":{"C/C++":2}},"cache_timeouts":0,"cache_read_errors":0,"non_cacheable_compilations":0,)"
      R"("forced_recaches":0,"cache_write_errors":0,"cache_writes":2,"cache_write_duration":{"secs":0,"nanos":5503573},)"
      R"("cache_read_hit_duration":{"secs":0,"nanos":1091},"compiler_write_duration":{"secs":0,"nanos":92399434},)"
      R"("compile_fails":0,"not_cached":{"-E":1},"dist_compiles":{},"dist_errors":0},)"
      R"("cache_location":"Local disk: \"/home/user/.cache/sccache\"","cache_size":963,"max_cache_size":10737418240,"version":"0.1.0"})";
  EXPECT_EQ(render_json(sample()), expected);
}

TEST(Render, ReasonsSortedByCountThenName) {
  auto info = sample();
  info.stats.not_cached = {{"-E", 1}, {"multiple input files", 3}, {"-M", 3}};
  auto text = render_text(info);
  auto m = text.find("\n-M ");
  auto multiple = text.find("\nmultiple input files ");
  auto e = text.find("\n-E ");
  ASSERT_NE(m, std::string::npos);
  EXPECT_LT(m, multiple);
  EXPECT_LT(multiple, e);
}

TEST(Render, NoReasonsBlockWhenEmptyAndNoSizesWhenUnknown) {
  auto info = sample();
  info.stats.not_cached.clear();
  info.cache_size.reset();
  info.max_cache_size.reset();
  auto text = render_text(info);
  EXPECT_EQ(text.find("Non-cacheable reasons"), std::string::npos);
  EXPECT_EQ(text.find("Cache size"), std::string::npos);
  EXPECT_NE(text.find("Failed distributed compilations       0\nCache location"),
            std::string::npos);
}

// The value column is as wide as the widest value, durations included; duration rows then reach
// two columns further (the width of " s"), exactly as sccache pads them.
TEST(Render, ColumnsWidenWithTheLongestValue) {
  protocol::ServerInfo info;
  info.stats.compile_requests = 123456789;
  info.stats.cache_hits.counts["C/C++"] = 12;
  info.cache_location = "Local disk: \"/c\"";
  info.cache_size = 963;
  const char* expected =
      "Compile requests                123456789\n"
      "Compile requests executed               0\n"
      "Cache hits                             12\n"
      "Cache hits (C/C++)                     12\n"
      "Cache misses                            0\n"
      "Cache timeouts                          0\n"
      "Cache read errors                       0\n"
      "Forced recaches                         0\n"
      "Cache write errors                      0\n"
      "Compilation failures                    0\n"
      "Cache errors                            0\n"
      "Non-cacheable compilations              0\n"
      "Non-cacheable calls                     0\n"
      "Non-compilation calls                   0\n"
      "Unsupported compiler calls              0\n"
      "Average cache write                 0.000 s\n"
      "Average compiler                    0.000 s\n"
      "Average cache read hit              0.000 s\n"
      "Failed distributed compilations         0\n"
      "Cache location                  Local disk: \"/c\"\n"
      "Cache size                            963 bytes\n";
  EXPECT_EQ(render_text(info), expected);
}

TEST(Render, LanguagesSortedByName) {
  protocol::ServerInfo info;
  info.stats.cache_misses.counts = {{"Rust", 1}, {"C/C++", 2}, {"CUDA", 3}};
  auto text = render_text(info);
  auto cpp = text.find("Cache misses (C/C++)");
  auto cuda = text.find("Cache misses (CUDA)");
  auto rust = text.find("Cache misses (Rust)");
  ASSERT_NE(rust, std::string::npos);
  EXPECT_LT(cpp, cuda);
  EXPECT_LT(cuda, rust);
  EXPECT_NE(text.find("Cache misses                          6\n"), std::string::npos);
}

// Each average has its own divisor: writes, misses (compiler) and hits.
TEST(Render, AveragesDivideByTheirOwnCount) {
  protocol::ServerInfo info;
  auto& s = info.stats;
  s.cache_writes = 4;
  s.cache_write_duration = {2, 0};
  s.cache_misses.counts["C/C++"] = 2;
  s.compiler_write_duration = {3, 0};
  s.cache_hits.counts["C/C++"] = 10;
  s.cache_read_hit_duration = {0, 250'000'000};
  auto text = render_text(info);
  EXPECT_NE(text.find("Average cache write               0.500 s\n"), std::string::npos);
  EXPECT_NE(text.find("Average compiler                  1.500 s\n"), std::string::npos);
  EXPECT_NE(text.find("Average cache read hit            0.025 s\n"), std::string::npos);
}

// Rust's Duration / u32 divides seconds and nanoseconds apart: 2.001 s / 3 = 0.666999999 s, not
// the exact 0.667 s.
TEST(Render, AverageDividesLikeRustDuration) {
  protocol::ServerInfo info;
  info.stats.cache_writes = 3;
  info.stats.cache_write_duration = {2, 1'000'000};
  EXPECT_NE(render_text(info).find("Average cache write               0.666 s\n"),
            std::string::npos);
}

TEST(Render, DistributedCompilesBlockBeforeReasons) {
  auto info = sample();
  info.stats.dist_compiles = {{"10.0.0.1:10501", 2}, {"10.0.0.2:10501", 5}};
  auto text = render_text(info);
  const char* block =
      "Failed distributed compilations       0\n"
      "\n"
      "Successful distributed compiles\n"
      "  10.0.0.2:10501                      5\n"
      "  10.0.0.1:10501                      2\n"
      "\n"
      "Non-cacheable reasons:\n";
  EXPECT_NE(text.find(block), std::string::npos) << text;
}

TEST(Render, ExtrasAddRowsAndFields) {
  auto info = sample();
  info.extras = protocol::ServerInfoExtras{7, 2, true, 40, 2048, {}, 0, {}};
  auto text = render_text(info);
  EXPECT_NE(text.find("Cache hits (C/C++)                    1\n"
                      "Cache hits (direct mode)              7\n"
                      "Cache hits (preprocessor mode)        2\n"
                      "Cache misses "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Use direct/preprocessor mode?   yes\n"
                      "File hash memo                  40 files, 2 KiB\n"
                      "Cache size "),
            std::string::npos)
      << text;
  auto json = render_json(info);
  EXPECT_NE(json.find(R"("dist_errors":0,"direct_hits":7,"preprocessor_hits":2,)"
                      R"("manifest_updates":0,"manifest_not_recorded":{},"connections_refused":0,)"
                      R"("jobserver_compiles":0,"slot_waits":0,"compile_slots":0})"),
            std::string::npos);
  EXPECT_NE(json.find(R"("version":"0.1.0","use_preprocessor_cache_mode":true,)"
                      R"("file_hash_memo":{"entries":40,"bytes":2048}})"),
            std::string::npos)
      << json;
}

TEST(Render, ManifestsNotRecordedAreListedByReason) {
  auto info = sample();
  info.extras = protocol::ServerInfoExtras{7, 2, true, 40, 2048, {}, 0, {}};
  info.extras->manifest_updates = 9;
  info.extras->manifest_not_recorded = {{"a file changed during the compile", 3},
                                        {"a file uses __DATE__ or __TIME__", 5}};
  auto text = render_text(info);
  EXPECT_NE(text.find("-E                                    1\n\n"
                      "Direct mode: manifest not recorded, because:\n"
                      "a file uses __DATE__ or __TIME__        5\n"
                      "a file changed during the compile       3\n"
                      "\nCache location"),
            std::string::npos)
      << text;
  auto json = render_json(info);
  EXPECT_NE(json.find(R"("manifest_updates":9,"manifest_not_recorded":{"a file changed during )"
                      R"(the compile":3,"a file uses __DATE__ or __TIME__":5},)"),
            std::string::npos)
      << json;
}

TEST(Render, CacheLevelsGetTheirOwnRowsAndLocations) {
  auto info = sample();
  info.extras = protocol::ServerInfoExtras{7, 2, true, 40, 2048, {}, 0, {}};
  info.extras->levels = {
      {"Local disk: \"/c\"", true, true, 3, 2, 0, 0, 0, 2, 0, 963, 10737418240ull},
      {"Redis: redis://127.0.0.1:7000/0", false, false, 1, 1, 4, 5, 6, 0, 0, {}, {}}};
  auto text = render_text(info);
  EXPECT_NE(text.find("Failed distributed compilations       0\n"
                      "Level 1 hits                          3\n"
                      "Level 1 misses                        2\n"
                      "Level 1 read errors                   0\n"
                      "Level 1 timeouts                      0\n"
                      "Level 1 writes                        2\n"
                      "Level 1 write errors                  0\n"
                      "Level 2 hits                          1\n"
                      "Level 2 misses                        1\n"
                      "Level 2 read errors                   4\n"
                      "Level 2 timeouts                      5\n"
                      "Level 2 skipped (remote down)         6\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Level 1 location                Local disk: \"/c\"\n"
                      "Level 1 cache size                  963 bytes\n"
                      "Level 1 max cache size               10 GiB\n"
                      "Level 2 location                Redis: redis://127.0.0.1:7000/0, read-only, "
                      "down: skipped for now\n"
                      "Use direct/preprocessor mode?"),
            std::string::npos)
      << text;
  auto json = render_json(info);
  EXPECT_NE(json.find(R"("cache_levels":[{"location":"Local disk: \"/c\"","writable":true,)"),
            std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"("skipped":6,"writes":0,"write_errors":0,"size":null,"max_size":null,"too_large":0}])"),
      std::string::npos)
      << json;
}

TEST(Render, JsonNullSizesAndInvalidUtf8) {
  protocol::ServerInfo info;
  info.cache_location = "Local disk: \"/tmp/\xff\"";
  auto json = render_json(info);
  // U+FFFD in place of the stray byte.
  EXPECT_NE(json.find("\"cache_location\":\"Local disk: \\\"/tmp/\xEF\xBF\xBD\\\"\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("cache_size":null,"max_cache_size":null,"version":"")"),
            std::string::npos);
}

TEST(Render, BinarySizes) {
  EXPECT_EQ(format_binary_size(0), "0 bytes");
  EXPECT_EQ(format_binary_size(963), "963 bytes");
  EXPECT_EQ(format_binary_size(1024), "1 KiB");
  EXPECT_EQ(format_binary_size(10ull << 30), "10 GiB");
  EXPECT_EQ(format_binary_size(3ull << 20), "3 MiB");
  EXPECT_EQ(format_binary_size(1023), "1023 bytes");
  EXPECT_EQ(format_binary_size(1439), "1 KiB");
  // {:.0} rounds half to even, in Rust as in fmt: 1.5 KiB → 2, 2.5 KiB → 2.
  EXPECT_EQ(format_binary_size(1536), "2 KiB");
  EXPECT_EQ(format_binary_size(2560), "2 KiB");
  EXPECT_EQ(format_binary_size((1ull << 20) - 1), "1024 KiB");
  EXPECT_EQ(format_binary_size(UINT64_MAX), "16 EiB");
}

}  // namespace
}  // namespace sccache::stats
