#include "compiler/rust/manifest.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <set>

#include "protocol/bincode.hpp"

namespace sccache::compiler::rust {

namespace {

constexpr std::string_view k_magic = "SCCRSM01";
using protocol::bincode::Reader;
using protocol::bincode::Writer;

std::string in_dir(const std::string& cwd, const std::string& name) {
  return !name.empty() && name.front() == '/' ? name : cwd + "/" + name;
}

bool exists(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) return true;
  return errno != ENOENT && errno != ENOTDIR;  // unknown states count as present
}

void put_pairs(Writer& w, const std::vector<std::pair<std::string, std::string>>& pairs) {
  w.u64(pairs.size());
  for (const auto& [a, b] : pairs) {
    w.bytes(a);
    w.bytes(b);
  }
}

bool get_pairs(Reader& r, std::vector<std::pair<std::string, std::string>>& pairs) {
  std::uint64_t n = 0;
  if (!r.length(n, 16)) return false;
  pairs.resize(n);
  for (auto& [a, b] : pairs) {
    if (!r.bytes(a) || !r.bytes(b)) return false;
  }
  return true;
}

bool get_result(Reader& r, ManifestResult& result) {
  std::uint64_t n = 0;
  if (!get_pairs(r, result.sources) || !r.length(n, 9)) return false;
  result.env.resize(n);
  for (auto& [name, value] : result.env) {
    bool present = false;
    if (!r.bytes(name) || !r.option_flag(present)) return false;
    if (present && !r.bytes(value.emplace())) return false;
  }
  if (!get_pairs(r, result.link_inputs) || !r.length(n, 8)) return false;
  result.absent.resize(n);
  for (auto& name : result.absent) {
    if (!r.bytes(name)) return false;
  }
  return true;
}

}  // namespace

std::string encode_manifest(const Manifest& manifest) {
  Writer w;
  for (char c : k_magic) w.u8(static_cast<std::uint8_t>(c));
  w.u64(manifest.results.size());
  for (const auto& result : manifest.results) {
    put_pairs(w, result.sources);
    w.u64(result.env.size());
    for (const auto& [name, value] : result.env) {
      w.bytes(name);
      w.u8(value ? 1 : 0);
      if (value) w.bytes(*value);
    }
    put_pairs(w, result.link_inputs);
    w.u64(result.absent.size());
    for (const auto& name : result.absent) w.bytes(name);
  }
  return w.take();
}

util::Result<Manifest> decode_manifest(std::string_view bytes) {
  auto bad = [](const std::string& why) {
    return util::fail(util::ErrorCode::corrupt, "malformed Rust manifest: " + why);
  };
  if (!bytes.starts_with(k_magic)) return bad("not one");
  Reader r(bytes.substr(k_magic.size()));
  Manifest m;
  std::uint64_t n = 0;
  if (!r.length(n, 32)) return bad(r.error());
  if (n > k_max_manifest_results) return bad("too many results");
  m.results.resize(n);
  for (auto& result : m.results) {
    if (!get_result(r, result)) return bad(r.error());
  }
  if (!r.at_end()) return bad("trailing bytes");
  return m;
}

void add_result(Manifest& manifest, ManifestResult result, std::size_t limit) {
  auto& rs = manifest.results;
  rs.erase(std::remove(rs.begin(), rs.end(), result), rs.end());
  rs.insert(rs.begin(), std::move(result));
  if (rs.size() > limit) rs.resize(limit);
}

std::vector<std::string> module_twins(const std::vector<std::string>& sources) {
  std::set<std::string> twins;
  for (const auto& s : sources) {
    if (!s.ends_with(".rs")) continue;
    if (s == "mod.rs" || s.ends_with("/mod.rs")) {
      auto dir = s.substr(0, s.size() - 7);  // "a/m/mod.rs" → "a/m" → "a/m.rs"
      if (!dir.empty() && dir.back() != '/') twins.insert(dir + ".rs");
    } else {
      twins.insert(s.substr(0, s.size() - 3) + "/mod.rs");  // "a/m.rs" → "a/m/mod.rs"
    }
  }
  for (const auto& s : sources) twins.erase(s);
  return {twins.begin(), twins.end()};
}

std::string locate(const std::string& name, const std::string& cwd,
                   const std::vector<std::string>& dependency_dirs) {
  if (!name.starts_with(k_dependency_dir)) return name;
  auto file = name.substr(k_dependency_dir.size());
  for (const auto& dir : dependency_dirs) {
    auto path = in_dir(cwd, dir) + "/" + file;
    if (exists(path)) return path;
  }
  return {};
}

bool still_matches(const ManifestResult& result, const std::string& cwd,
                   const std::vector<std::string>& dependency_dirs,
                   const std::function<std::optional<std::string>(const std::string&)>& env_value,
                   hash::FileMemo& memo, std::string* differs) {
  auto no = [&](const std::string& name) {
    if (differs) *differs = name;
    return false;
  };
  for (const auto& [name, value] : result.env) {
    if (env_value(name) != value) return no("$" + name);
  }
  for (const auto& [name, sha] : result.sources) {
    if (!memo.has_hash(in_dir(cwd, name), sha)) return no(name);
  }
  for (const auto& [name, sha] : result.link_inputs) {
    auto path = locate(name, cwd, dependency_dirs);
    if (path.empty() || !memo.has_hash(path, sha)) return no(name);
  }
  for (const auto& name : result.absent) {
    if (exists(in_dir(cwd, name))) return no(name);
  }
  return true;
}

}  // namespace sccache::compiler::rust
