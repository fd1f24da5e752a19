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

TEST(Render, BinarySizes) {
  EXPECT_EQ(format_binary_size(0), "0 bytes");
  EXPECT_EQ(format_binary_size(963), "963 bytes");
  EXPECT_EQ(format_binary_size(1024), "1 KiB");
  EXPECT_EQ(format_binary_size(10ull << 30), "10 GiB");
  EXPECT_EQ(format_binary_size(3ull << 20), "3 MiB");
}

}  // namespace
}  // namespace sccache::stats
