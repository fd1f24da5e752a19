#include "stats/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

namespace sccache::stats {

namespace {

struct Row {
  std::string name;
  std::string value;
  std::size_t suffix = 0;  // duration rows align 2 columns further right, as sccache does
};

std::uint64_t total(const protocol::PerLanguageCount& c) {
  std::uint64_t sum = 0;
  for (const auto& [lang, n] : c.counts) sum += n;
  return sum;
}

// "{secs}.{millis:03} s" of `d / count`. sccache divides a Rust Duration by `count as u32`, which
// splits seconds and nanoseconds (and can land 1 ns below the exact quotient); we do the same so
// the milliseconds agree even at a boundary. A count that truncates to 0 shows 0.000 s.
std::string average(const protocol::Duration& d, std::uint64_t count) {
  const auto divisor = static_cast<std::uint32_t>(count);
  std::uint64_t secs = 0;
  std::uint64_t nanos = 0;
  if (divisor > 0) {
    secs = d.secs / divisor;
    const std::uint64_t carry = d.secs - secs * divisor;
    nanos = d.nanos / divisor + carry * 1'000'000'000u / divisor;
  }
  return fmt::format("{}.{:03} s", secs, nanos / 1'000'000u);
}

void add_per_language(std::vector<Row>& rows, const std::string& name,
                      const protocol::PerLanguageCount& c) {
  rows.push_back({name, std::to_string(total(c))});
  for (const auto& [lang, n] : c.counts)
    rows.push_back({name + " (" + lang + ")", std::to_string(n)});
}

// With a remote behind the local disk: what each level did, level 1 being the local disk.
void add_level_rows(std::vector<Row>& rows, const std::vector<protocol::CacheLevel>& levels) {
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const auto& l = levels[i];
    std::string name = fmt::format("Level {} ", i + 1);
    rows.push_back({name + "hits", std::to_string(l.hits)});
    rows.push_back({name + "misses", std::to_string(l.misses)});
    rows.push_back({name + "read errors", std::to_string(l.read_errors)});
    rows.push_back({name + "timeouts", std::to_string(l.timeouts)});
    if (i > 0) rows.push_back({name + "skipped (remote down)", std::to_string(l.skipped)});
    rows.push_back({name + "writes", std::to_string(l.writes)});
    rows.push_back({name + "write errors", std::to_string(l.write_errors)});
    if (l.too_large > 0)
      rows.push_back({name + "skipped (too large)", std::to_string(l.too_large)});
  }
}

std::vector<Row> stat_rows(const protocol::ServerStats& s,
                           const std::optional<protocol::ServerInfoExtras>& x) {
  std::vector<Row> rows;
  rows.push_back({"Compile requests", std::to_string(s.compile_requests)});
  rows.push_back({"Compile requests executed", std::to_string(s.requests_executed)});
  add_per_language(rows, "Cache hits", s.cache_hits);
  if (x) {
    rows.push_back({"Cache hits (direct mode)", std::to_string(x->direct_hits)});
    rows.push_back({"Cache hits (preprocessor mode)", std::to_string(x->preprocessor_hits)});
  }
  add_per_language(rows, "Cache misses", s.cache_misses);
  rows.push_back({"Cache timeouts", std::to_string(s.cache_timeouts)});
  rows.push_back({"Cache read errors", std::to_string(s.cache_read_errors)});
  rows.push_back({"Forced recaches", std::to_string(s.forced_recaches)});
  rows.push_back({"Cache write errors", std::to_string(s.cache_write_errors)});
  rows.push_back({"Compilation failures", std::to_string(s.compile_fails)});
  add_per_language(rows, "Cache errors", s.cache_errors);
  rows.push_back({"Non-cacheable compilations", std::to_string(s.non_cacheable_compilations)});
  rows.push_back({"Non-cacheable calls", std::to_string(s.requests_not_cacheable)});
  rows.push_back({"Non-compilation calls", std::to_string(s.requests_not_compile)});
  rows.push_back({"Unsupported compiler calls", std::to_string(s.requests_unsupported_compiler)});
  rows.push_back({"Average cache write", average(s.cache_write_duration, s.cache_writes), 2});
  rows.push_back(
      {"Average compiler", average(s.compiler_write_duration, total(s.cache_misses)), 2});
  rows.push_back(
      {"Average cache read hit", average(s.cache_read_hit_duration, total(s.cache_hits)), 2});
  rows.push_back({"Failed distributed compilations", std::to_string(s.dist_errors)});
  if (x) add_level_rows(rows, x->levels);
  if (x && x->connections_refused > 0)
    rows.push_back({"Connections refused (not this user)", std::to_string(x->connections_refused)});
  if (x && x->jobserver_compiles > 0)
    rows.push_back(
        {"Compiles under the client's jobserver", std::to_string(x->jobserver_compiles)});
  if (x && x->slot_waits > 0) {
    rows.push_back(
        {"Compiles that waited for a job slot",
         std::to_string(x->slot_waits) + " (" + std::to_string(x->compile_slots) + " slots)"});
  }
  return rows;
}

// Count descending. sccache's sort is stable over HashMap order, so its ties come out in no
// particular order; ours fall back to the name, which keeps the output deterministic.
std::vector<std::pair<std::string, std::uint64_t>> by_count(
    const std::map<std::string, std::uint64_t>& counts) {
  std::vector<std::pair<std::string, std::uint64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return sorted;
}

// "Cache size    963 bytes": the number right-aligned in the value column, the unit after it.
std::string size_row(const char* name, std::uint64_t bytes, std::size_t name_width,
                     std::size_t value_width) {
  std::string text = format_binary_size(bytes);
  auto space = text.find(' ');
  return fmt::format("{:<{}} {:>{}} {}\n", name, name_width, text.substr(0, space), value_width,
                     text.substr(space + 1));
}

// "Level 2 location   Redis: redis://…, read-only" and the level's sizes when it knows them.
std::string level_locations(const std::vector<protocol::CacheLevel>& levels, std::size_t name_width,
                            std::size_t value_width) {
  std::string out;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const auto& l = levels[i];
    std::string name = fmt::format("Level {} ", i + 1);
    std::string notes = l.writable ? "" : ", read-only";
    if (!l.available) notes += ", down: skipped for now";
    out += fmt::format("{:<{}} {}{}\n", name + "location", name_width, l.location, notes);
    if (l.size) out += size_row((name + "cache size").c_str(), *l.size, name_width, value_width);
    if (l.max_size)
      out += size_row((name + "max cache size").c_str(), *l.max_size, name_width, value_width);
  }
  return out;
}

nlohmann::ordered_json counts_json(const std::map<std::string, std::uint64_t>& counts) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : counts) j[k] = v;
  return j;
}

nlohmann::ordered_json duration_json(const protocol::Duration& d) {
  return {{"secs", d.secs}, {"nanos", d.nanos}};
}

nlohmann::ordered_json optional_json(const std::optional<std::uint64_t>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json levels_json(const std::vector<protocol::CacheLevel>& levels) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& l : levels) {
    out.push_back({{"location", l.location},
                   {"writable", l.writable},
                   {"available", l.available},
                   {"hits", l.hits},
                   {"misses", l.misses},
                   {"read_errors", l.read_errors},
                   {"timeouts", l.timeouts},
                   {"skipped", l.skipped},
                   {"writes", l.writes},
                   {"write_errors", l.write_errors},
                   {"size", optional_json(l.size)},
                   {"max_size", optional_json(l.max_size)},
                   {"too_large", l.too_large}});
  }
  return out;
}

}  // namespace

std::string format_binary_size(std::uint64_t bytes) {
  static constexpr const char* k_units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1024.0 && unit < 5) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.0f} {}", value, k_units[unit]);
}

std::string render_text(const protocol::ServerInfo& info) {
  const auto& s = info.stats;
  auto rows = stat_rows(s, info.extras);
  std::size_t name_width = 0, value_width = 0;
  for (const auto& r : rows) {
    name_width = std::max(name_width, r.name.size());
    value_width = std::max(value_width, r.value.size());
  }
  std::string out;
  for (const auto& r : rows)
    out += fmt::format("{:<{}} {:>{}}\n", r.name, name_width, r.value, value_width + r.suffix);
  if (!s.dist_compiles.empty()) {
    out += "\nSuccessful distributed compiles\n";
    for (const auto& [server, n] : by_count(s.dist_compiles))
      out += fmt::format("  {:<{}} {:>{}}\n", server, name_width - 2, n, value_width);
  }
  if (!s.not_cached.empty()) {
    out += "\nNon-cacheable reasons:\n";
    for (const auto& [reason, n] : by_count(s.not_cached))
      out += fmt::format("{:<{}} {:>{}}\n", reason, name_width, n, value_width);
    out += "\n";
  }
  if (info.extras && !info.extras->manifest_not_recorded.empty()) {
    // (after the reasons' block, which ends with a blank line of its own)
    out += s.not_cached.empty() ? "\n" : "";
    out += "Direct mode: manifest not recorded, because:\n";
    std::size_t width = name_width;
    for (const auto& [reason, n] : info.extras->manifest_not_recorded)
      width = std::max(width, reason.size());
    for (const auto& [reason, n] : by_count(info.extras->manifest_not_recorded))
      out += fmt::format("{:<{}} {:>{}}\n", reason, width, n, value_width);
    out += "\n";
  }
  out += fmt::format("{:<{}} {}\n", "Cache location", name_width, info.cache_location);
  if (info.extras) out += level_locations(info.extras->levels, name_width, value_width);
  if (const auto& x = info.extras) {
    out += fmt::format("{:<{}} {}\n", "Use direct/preprocessor mode?", name_width,
                       x->direct_mode ? "yes" : "no");
    out += fmt::format("{:<{}} {} files, {}\n", "File hash memo", name_width, x->file_memo_entries,
                       format_binary_size(x->file_memo_bytes));
  }
  if (info.cache_size) out += size_row("Cache size", *info.cache_size, name_width, value_width);
  if (info.max_cache_size)
    out += size_row("Max cache size", *info.max_cache_size, name_width, value_width);
  return out;
}

std::string render_json(const protocol::ServerInfo& info) {
  const auto& s = info.stats;
  nlohmann::ordered_json stats = {
      {"compile_requests", s.compile_requests},
      {"requests_unsupported_compiler", s.requests_unsupported_compiler},
      {"requests_not_compile", s.requests_not_compile},
      {"requests_not_cacheable", s.requests_not_cacheable},
      {"requests_executed", s.requests_executed},
      {"cache_errors", {{"counts", counts_json(s.cache_errors.counts)}}},
      {"cache_hits", {{"counts", counts_json(s.cache_hits.counts)}}},
      {"cache_misses", {{"counts", counts_json(s.cache_misses.counts)}}},
      {"cache_timeouts", s.cache_timeouts},
      {"cache_read_errors", s.cache_read_errors},
      {"non_cacheable_compilations", s.non_cacheable_compilations},
      {"forced_recaches", s.forced_recaches},
      {"cache_write_errors", s.cache_write_errors},
      {"cache_writes", s.cache_writes},
      {"cache_write_duration", duration_json(s.cache_write_duration)},
      {"cache_read_hit_duration", duration_json(s.cache_read_hit_duration)},
      {"compiler_write_duration", duration_json(s.compiler_write_duration)},
      {"compile_fails", s.compile_fails},
      {"not_cached", counts_json(s.not_cached)},
      {"dist_compiles", counts_json(s.dist_compiles)},
      {"dist_errors", s.dist_errors},
  };
  if (const auto& x = info.extras) {
    stats["direct_hits"] = x->direct_hits;
    stats["preprocessor_hits"] = x->preprocessor_hits;
    stats["manifest_updates"] = x->manifest_updates;
    stats["manifest_not_recorded"] = counts_json(x->manifest_not_recorded);
    stats["connections_refused"] = x->connections_refused;
    stats["jobserver_compiles"] = x->jobserver_compiles;
    stats["slot_waits"] = x->slot_waits;
    stats["compile_slots"] = x->compile_slots;
  }
  nlohmann::ordered_json j = {
      {"stats", stats},
      {"cache_location", info.cache_location},
      {"cache_size", optional_json(info.cache_size)},
      {"max_cache_size", optional_json(info.max_cache_size)},
      {"version", info.version},
  };
  if (const auto& x = info.extras) {
    j["use_preprocessor_cache_mode"] = x->direct_mode;
    j["file_hash_memo"] = {{"entries", x->file_memo_entries}, {"bytes", x->file_memo_bytes}};
    if (!x->levels.empty()) j["cache_levels"] = levels_json(x->levels);
  }
  // Paths are raw bytes; serde_json only ever sees valid UTF-8, so replace what isn't (as Rust's
  // lossy conversion does) rather than throw.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace sccache::stats
