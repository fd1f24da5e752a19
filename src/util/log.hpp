#pragma once
// Server logging. Off unless SCCACHE_LOG names a level; SCCACHE_ERROR_LOG sends it to a file.
// Only log.cpp sees spdlog, so the rest of the code pays for fmt alone.
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace sccache::log {

enum class Level { trace = 0, debug, info, warn, error, off };

// Sets the level (from e.g. "debug", "sccache=debug", "warn") and the sink: `file` when not empty,
// else stderr. Safe to call more than once. Returns why `file` could not be opened (the log then
// goes to stderr), empty when it could.
std::string init(std::string_view level_spec, const std::string& file);
Level parse_level(std::string_view spec);
bool enabled(Level level);
void write(Level level, std::string_view message);

// For messages an outsider can trigger at will (refused peers, broken frames, accept errors): at
// most `per_minute` of them a minute get through; the next one that does learns how many did not.
// Thread-safe.
class RateLimit {
 public:
  explicit RateLimit(int per_minute, std::chrono::milliseconds window = std::chrono::minutes(1))
      : m_per_minute(per_minute), m_window(window) {}
  // nullopt: hold this message back; else the number held back since the last one let through.
  std::optional<std::uint64_t> admit();

 private:
  int m_per_minute;
  std::chrono::milliseconds m_window;
  std::mutex m_mutex;
  std::chrono::steady_clock::time_point m_window_start{};
  int m_in_window = 0;
  std::uint64_t m_held_back = 0;
};

template <typename... A>
void at(Level level, fmt::format_string<A...> f, A&&... args) {
  if (enabled(level)) write(level, fmt::format(f, std::forward<A>(args)...));
}
template <typename... A>
void debug(fmt::format_string<A...> f, A&&... args) {
  at(Level::debug, f, std::forward<A>(args)...);
}
template <typename... A>
void info(fmt::format_string<A...> f, A&&... args) {
  at(Level::info, f, std::forward<A>(args)...);
}
template <typename... A>
void warn(fmt::format_string<A...> f, A&&... args) {
  at(Level::warn, f, std::forward<A>(args)...);
}
template <typename... A>
void error(fmt::format_string<A...> f, A&&... args) {
  at(Level::error, f, std::forward<A>(args)...);
}

}  // namespace sccache::log
