#include "util/log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <utility>

namespace sccache::log {

namespace {

std::atomic<int> g_level{static_cast<int>(Level::off)};
std::shared_ptr<spdlog::logger> g_logger;

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::trace:
      return spdlog::level::trace;
    case Level::debug:
      return spdlog::level::debug;
    case Level::info:
      return spdlog::level::info;
    case Level::warn:
      return spdlog::level::warn;
    case Level::error:
      return spdlog::level::err;
    case Level::off:
      return spdlog::level::off;
  }
  return spdlog::level::off;
}

}  // namespace

Level parse_level(std::string_view spec) {
  // env_logger style: "sccache=debug" or "debug"; take the last level named.
  if (auto eq = spec.rfind('='); eq != std::string_view::npos) spec = spec.substr(eq + 1);
  if (spec == "trace") return Level::trace;
  if (spec == "debug") return Level::debug;
  if (spec == "info") return Level::info;
  if (spec == "warn" || spec == "warning") return Level::warn;
  if (spec == "error") return Level::error;
  return Level::off;
}

std::string init(std::string_view level_spec, const std::string& file) {
  Level level = parse_level(level_spec);
  // With an error log but no level, warnings and errors still go to the file.
  if (level == Level::off && !file.empty()) level = Level::warn;
  std::shared_ptr<spdlog::logger> logger;
  std::string problem;
  try {
    if (!file.empty()) {
      logger = spdlog::basic_logger_mt("sccache-file", file, false);
    } else {
      logger = spdlog::stderr_logger_mt("sccache-stderr");
    }
  } catch (const spdlog::spdlog_ex& e) {
    logger = spdlog::get(file.empty() ? "sccache-stderr" : "sccache-file");
    if (!logger) {
      if (!file.empty()) problem = "cannot open the log file " + file + ": " + e.what();
      logger = spdlog::get("sccache-fallback");
      if (!logger) logger = spdlog::stderr_logger_mt("sccache-fallback");
    }
  }
  logger->set_pattern("[%Y-%m-%dT%H:%M:%S.%e %^%l%$ %P] %v");
  logger->set_level(to_spdlog(level));
  logger->flush_on(spdlog::level::trace);
  g_logger = logger;
  g_level.store(static_cast<int>(level));
  return problem;
}

bool enabled(Level level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed) && level != Level::off;
}

std::optional<std::uint64_t> RateLimit::admit() {
  std::lock_guard lock(m_mutex);
  auto now = std::chrono::steady_clock::now();
  if (now - m_window_start >= m_window) {
    m_window_start = now;
    m_in_window = 0;
  }
  if (m_in_window >= m_per_minute) {
    ++m_held_back;
    return std::nullopt;
  }
  ++m_in_window;
  return std::exchange(m_held_back, 0);
}

void write(Level level, std::string_view message) {
  if (auto logger = g_logger) logger->log(to_spdlog(level), "{}", message);
}

}  // namespace sccache::log
