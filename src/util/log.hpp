#pragma once
// Server logging. Off unless SCCACHE_LOG names a level; SCCACHE_ERROR_LOG sends it to a file.
// Only log.cpp sees spdlog, so the rest of the code pays for fmt alone.
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace sccache::log {

enum class Level { trace = 0, debug, info, warn, error, off };

// Sets the level (from e.g. "debug", "sccache=debug", "warn") and the sink: `file` when not empty,
// else stderr. Safe to call more than once.
void init(std::string_view level_spec, const std::string& file);
Level parse_level(std::string_view spec);
bool enabled(Level level);
void write(Level level, std::string_view message);

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
