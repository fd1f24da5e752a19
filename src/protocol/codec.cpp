#include "protocol/codec.hpp"

#include "protocol/bincode.hpp"

namespace sccache::protocol {

namespace {

using bincode::Reader;
using bincode::Writer;

// ---- encoding ----

void put(Writer& w, const std::map<std::string, std::uint64_t>& map) {
  w.u64(map.size());
  for (const auto& [k, v] : map) {
    w.bytes(k);
    w.u64(v);
  }
}

void put(Writer& w, const Duration& d) {
  w.u64(d.secs);
  w.u32(d.nanos);
}

void put(Writer& w, const std::optional<std::uint64_t>& v) {
  w.u8(v ? 1 : 0);
  if (v) w.u64(*v);
}

void put(Writer& w, const std::optional<std::int32_t>& v) {
  w.u8(v ? 1 : 0);
  if (v) w.i32(*v);
}

void put(Writer& w, const ServerStats& s) {
  for (auto v : {s.compile_requests, s.requests_unsupported_compiler, s.requests_not_compile,
                 s.requests_not_cacheable, s.requests_executed}) {
    w.u64(v);
  }
  put(w, s.cache_errors.counts);
  put(w, s.cache_hits.counts);
  put(w, s.cache_misses.counts);
  for (auto v : {s.cache_timeouts, s.cache_read_errors, s.non_cacheable_compilations,
                 s.forced_recaches, s.cache_write_errors, s.cache_writes}) {
    w.u64(v);
  }
  put(w, s.cache_write_duration);
  put(w, s.cache_read_hit_duration);
  put(w, s.compiler_write_duration);
  w.u64(s.compile_fails);
  put(w, s.not_cached);
  put(w, s.dist_compiles);
  w.u64(s.dist_errors);
}

void put(Writer& w, const CacheLevel& l) {
  w.bytes(l.location);
  w.u8(l.writable ? 1 : 0);
  w.u8(l.available ? 1 : 0);
  for (auto n : {l.hits, l.misses, l.read_errors, l.timeouts, l.skipped, l.writes, l.write_errors})
    w.u64(n);
  put(w, l.size);
  put(w, l.max_size);
  w.u64(l.too_large);
}

void put(Writer& w, const ServerInfo& info) {
  put(w, info.stats);
  w.bytes(info.cache_location);
  put(w, info.cache_size);
  put(w, info.max_cache_size);
  w.bytes(info.version);
  if (const auto& x = info.extras) {
    w.u64(x->direct_hits);
    w.u64(x->preprocessor_hits);
    w.u8(x->direct_mode ? 1 : 0);
    w.u64(x->file_memo_entries);
    w.u64(x->file_memo_bytes);
    w.u64(x->levels.size());
    for (const auto& l : x->levels) put(w, l);
    w.u64(x->manifest_updates);
    put(w, x->manifest_not_recorded);
    w.u64(x->connections_refused);
    w.u64(x->jobserver_compiles);
    w.u64(x->slot_waits);
    w.u64(x->compile_slots);
  }
}

void put(Writer& w, const Compile& c) {
  w.os_string(c.exe);
  w.os_string(c.cwd);
  w.u64(c.args.size());
  for (const auto& a : c.args) w.os_string(a);
  w.u64(c.env_vars.size());
  for (const auto& [k, v] : c.env_vars) {
    w.os_string(k);
    w.os_string(v);
  }
}

void put(Writer& w, const CompileResponse& r) {
  w.u32(static_cast<std::uint32_t>(r.index()));
  if (auto* u = std::get_if<UnsupportedCompiler>(&r)) w.os_string(u->name);
}

void put(Writer& w, const CompileFinished& f) {
  put(w, f.retcode);
  put(w, f.signal);
  w.bytes(f.stdout_bytes);
  w.bytes(f.stderr_bytes);
  w.u32(static_cast<std::uint32_t>(f.color_mode));
}

// ---- decoding ----

bool get(Reader& r, std::map<std::string, std::uint64_t>& map) {
  std::uint64_t n = 0;
  if (!r.length(n, 16)) return false;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::string k;
    std::uint64_t v = 0;
    if (!r.bytes(k) || !r.u64(v)) return false;
    map[std::move(k)] = v;
  }
  return true;
}

bool get(Reader& r, Duration& d) {
  if (!r.u64(d.secs) || !r.u32(d.nanos)) return false;
  return d.nanos < 1'000'000'000 || r.reject("Duration nanos " + std::to_string(d.nanos));
}

bool get(Reader& r, std::optional<std::uint64_t>& v) {
  bool present = false;
  if (!r.option_flag(present)) return false;
  if (!present) return true;
  v.emplace();
  return r.u64(*v);
}

bool get(Reader& r, std::optional<std::int32_t>& v) {
  bool present = false;
  if (!r.option_flag(present)) return false;
  if (!present) return true;
  v.emplace();
  return r.i32(*v);
}

bool get(Reader& r, ServerStats& s) {
  return r.u64(s.compile_requests) && r.u64(s.requests_unsupported_compiler) &&
         r.u64(s.requests_not_compile) && r.u64(s.requests_not_cacheable) &&
         r.u64(s.requests_executed) && get(r, s.cache_errors.counts) &&
         get(r, s.cache_hits.counts) && get(r, s.cache_misses.counts) && r.u64(s.cache_timeouts) &&
         r.u64(s.cache_read_errors) && r.u64(s.non_cacheable_compilations) &&
         r.u64(s.forced_recaches) && r.u64(s.cache_write_errors) && r.u64(s.cache_writes) &&
         get(r, s.cache_write_duration) && get(r, s.cache_read_hit_duration) &&
         get(r, s.compiler_write_duration) && r.u64(s.compile_fails) && get(r, s.not_cached) &&
         get(r, s.dist_compiles) && r.u64(s.dist_errors);
}

// location length + 2 bools + 7 counters + 2 option flags + 1 counter
constexpr std::size_t k_cache_level_min_bytes = 8 + 2 + 7 * 8 + 2 + 8;

bool get(Reader& r, CacheLevel& l) {
  return r.bytes(l.location) && r.boolean(l.writable) && r.boolean(l.available) && r.u64(l.hits) &&
         r.u64(l.misses) && r.u64(l.read_errors) && r.u64(l.timeouts) && r.u64(l.skipped) &&
         r.u64(l.writes) && r.u64(l.write_errors) && get(r, l.size) && get(r, l.max_size) &&
         r.u64(l.too_large);
}

bool get(Reader& r, ServerInfo& info) {
  if (!(get(r, info.stats) && r.bytes(info.cache_location) && get(r, info.cache_size) &&
        get(r, info.max_cache_size))) {
    return false;
  }
  if (r.at_end()) return true;  // Debian's 0.4.0-pre.6 ends here: no version field yet
  if (!r.bytes(info.version)) return false;
  if (r.at_end()) return true;  // a v0.4.0 server: no extras
  auto& x = info.extras.emplace();
  if (!(r.u64(x.direct_hits) && r.u64(x.preprocessor_hits) && r.boolean(x.direct_mode) &&
        r.u64(x.file_memo_entries) && r.u64(x.file_memo_bytes))) {
    return false;
  }
  if (r.at_end()) return true;  // an earlier sccache-cpp: no cache levels
  std::uint64_t n = 0;
  if (!r.length(n, k_cache_level_min_bytes)) return false;
  x.levels.resize(n);
  for (auto& l : x.levels) {
    if (!get(r, l)) return false;
  }
  if (r.at_end()) return true;  // an earlier sccache-cpp: no manifest counters
  if (!(r.u64(x.manifest_updates) && get(r, x.manifest_not_recorded))) return false;
  if (r.at_end()) return true;  // nor refused connections
  if (!r.u64(x.connections_refused)) return false;
  if (r.at_end()) return true;  // nor job slots
  return r.u64(x.jobserver_compiles) && r.u64(x.slot_waits) && r.u64(x.compile_slots);
}

bool get(Reader& r, Compile& c) {
  std::uint64_t n = 0;
  if (!r.os_string(c.exe) || !r.os_string(c.cwd) || !r.length(n, 12)) return false;
  // Each string costs far more in memory than its 12 bytes on the wire: counts are capped too.
  if (n > k_max_compile_args) return r.reject("Compile with " + std::to_string(n) + " arguments");
  c.args.resize(n);
  for (auto& a : c.args) {
    if (!r.os_string(a)) return false;
  }
  if (!r.length(n, 24)) return false;
  if (n > k_max_compile_env) return r.reject("Compile with " + std::to_string(n) + " variables");
  c.env_vars.resize(n);
  for (auto& [k, v] : c.env_vars) {
    if (!r.os_string(k) || !r.os_string(v)) return false;
  }
  return true;
}

bool get(Reader& r, CompileResponse& out) {
  std::uint32_t tag = 0;
  if (!r.u32(tag)) return false;
  switch (tag) {
    case 0:
      out = CompileStarted{};
      return true;
    case 1:
      out = UnhandledCompile{};
      return true;
    case 2: {
      UnsupportedCompiler u;
      if (!r.os_string(u.name)) return false;
      out = std::move(u);
      return true;
    }
  }
  return r.reject("CompileResponse variant " + std::to_string(tag));
}

bool get(Reader& r, CompileFinished& f) {
  std::uint32_t color = 0;
  if (!get(r, f.retcode) || !get(r, f.signal) || !r.bytes(f.stdout_bytes) ||
      !r.bytes(f.stderr_bytes) || !r.u32(color)) {
    return false;
  }
  if (color > 2) return r.reject("ColorMode variant " + std::to_string(color));
  f.color_mode = static_cast<ColorMode>(color);
  return true;
}

bool get(Reader& r, DistInfo& d) {
  std::uint32_t tag = 0;
  if (!r.u32(tag)) return false;
  if (tag != 0) return r.reject("DistInfo variant " + std::to_string(tag) + " is not supported");
  return r.bytes(d.disabled_reason);
}

template <typename T>
util::Result<T> finish(Reader& r, T value, bool ok) {
  if (ok && !r.at_end()) ok = r.fail("trailing bytes");
  if (!ok) return util::fail(util::ErrorCode::corrupt, "malformed message: " + r.error());
  return value;
}

}  // namespace

std::string encode(const Request& request) {
  Writer w;
  w.u32(static_cast<std::uint32_t>(request.index()));
  if (auto* c = std::get_if<Compile>(&request)) put(w, *c);
  return w.take();
}

std::string encode(const Response& response) {
  Writer w;
  w.u32(static_cast<std::uint32_t>(response.index()));
  std::visit(
      [&w](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, CompileResponse> || std::is_same_v<T, CompileFinished>) {
          put(w, v);
        } else if constexpr (std::is_same_v<T, DistInfo>) {
          w.u32(0);
          w.bytes(v.disabled_reason);
        } else {
          put(w, v.info);
        }
      },
      response);
  return w.take();
}

util::Result<Request> decode_request(std::string_view body) {
  Reader r(body);
  std::uint32_t tag = 0;
  bool ok = r.u32(tag);
  Request request;
  if (ok) {
    switch (tag) {
      case 0:
        request = ZeroStats{};
        break;
      case 1:
        request = GetStats{};
        break;
      case 2:
        request = DistStatus{};
        break;
      case 3:
        request = Shutdown{};
        break;
      case 4: {
        Compile c;
        ok = get(r, c);
        request = std::move(c);
        break;
      }
      default:
        ok = r.reject("Request variant " + std::to_string(tag));
    }
  }
  return finish(r, std::move(request), ok);
}

util::Result<Response> decode_response(std::string_view body) {
  Reader r(body);
  std::uint32_t tag = 0;
  bool ok = r.u32(tag);
  Response response;
  if (ok) {
    switch (tag) {
      case 0: {
        CompileResponse c;
        ok = get(r, c);
        response = std::move(c);
        break;
      }
      case 1: {
        Stats s;
        ok = get(r, s.info);
        response = std::move(s);
        break;
      }
      case 2: {
        DistInfo d;
        ok = get(r, d);
        response = std::move(d);
        break;
      }
      case 3: {
        ShuttingDown s;
        ok = get(r, s.info);
        response = std::move(s);
        break;
      }
      case 4: {
        CompileFinished f;
        ok = get(r, f);
        response = std::move(f);
        break;
      }
      default:
        ok = r.reject("Response variant " + std::to_string(tag));
    }
  }
  return finish(r, std::move(response), ok);
}

}  // namespace sccache::protocol
