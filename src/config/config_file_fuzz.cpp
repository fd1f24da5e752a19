// Fuzzes the config file: the input is the file's text. Whatever it holds, loading never fails
// (a bad file is warnings, never an error), a remote is either whole or absent, and rendering the
// result for --show-config works.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "config/config_file.hpp"
#include "config/show_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sccache::config;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto file = parse_config_text(text, "fuzz.toml");
  EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOME") return std::string("/nonexistent-fuzz-home");
    return std::nullopt;
  };
  auto loaded = load_config(env, file);
  if (!loaded) {
    std::fprintf(stderr, "config file: the load failed: %s\n", loaded.error().message.c_str());
    std::abort();
  }
  if (loaded->config.redis && loaded->config.redis->url.empty()) {
    std::fprintf(stderr, "config file: a Redis level without its endpoint\n");
    std::abort();
  }
  (void)render_config(*loaded);
  return 0;
}
