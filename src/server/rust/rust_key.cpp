#include "server/rust/rust_key.hpp"

#include <algorithm>

#include "hash/hasher.hpp"

namespace sccache::server::rust {

namespace {

namespace fs = std::filesystem;
namespace rs = compiler::rust;

using util::absolute_in;

// The part of `path` below `prefix` ("" when equal), if `prefix` is a path prefix of it.
std::optional<std::string> below(const std::string& path, std::string prefix) {
  prefix = fs::path(prefix).lexically_normal().string();
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  if (prefix.empty() || !path.starts_with(prefix)) return std::nullopt;
  if (path.size() == prefix.size()) return std::string();
  if (path[prefix.size()] != '/' && prefix != "/") return std::nullopt;
  return path.substr(prefix.size());
}

// Variables rustc's output can depend on that no dep-info line names: the package's metadata
// cargo hands every compile (stable across checkouts, unlike CARGO_MANIFEST_DIR, which reaches the
// key only where the crate reads it and dep-info says so) and rustc's own switches.
bool env_in_key(std::string_view name) {
  return name.starts_with("CARGO_PKG_") || name == "CARGO_CRATE_NAME" || name == "CARGO_BIN_NAME" ||
         name == "CARGO_PRIMARY_PACKAGE" || name == "RUSTC_BOOTSTRAP";
}

// The remap covering the cwd, as what it makes of the cwd ("TO" and what lies below FROM): the
// last one that matches, as rustc applies.
std::optional<std::string> cwd_remapped(const KeyContext& c) {
  for (auto it = c.args.remaps.rbegin(); it != c.args.remaps.rend(); ++it) {
    if (auto rest = below(c.request.cwd, it->first)) return it->second + *rest;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> manifest_key(const KeyContext& c, hash::FileMemo& memo,
                                        HashedFiles& hashed) {
  const auto& args = c.args;
  const auto& cwd = c.request.cwd;
  hash::Hasher h;
  h.field("recipe", "rust direct 1");  // the layout of this key and of result_key's
  h.field("rustc", c.rustc.identity);  // the compiler and its sysroot
  if (c.linker) {
    h.field("linker", *c.linker);
    // Where the linker looks for -l libraries, in order: a library found earlier in another
    // directory would be another input than the one the manifest vouches for.
    for (const auto& dir : args.library_dirs) h.field("native library dir", dir);
  }
  // Debug info and metadata name the cwd: it is in the key, as what it becomes under the
  // --remap-path-prefix that covers it (the same in every checkout), if one does.
  if (auto remapped = cwd_remapped(c)) {
    h.field("remap of the cwd", *remapped);
  } else {
    h.field("cwd", cwd);
  }
  h.field("input", args.input);  // as written: file!() and panics name it
  for (const auto& a : args.hashed_args) h.field("arg", a);
  auto digest_of = [&](const fs::path& path) -> std::optional<std::string> {
    auto d = memo.digest(path);
    if (!d) return std::nullopt;
    hashed.emplace_back(path, d->stat);
    return d->sha256;
  };
  auto externs = args.externs;  // their content (metadata, code), not where they are
  std::sort(externs.begin(), externs.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.path) < std::tie(b.name, b.path);
  });
  for (const auto& e : externs) {
    std::string d = "sysroot";
    if (e.path) {
      auto found = digest_of(absolute_in(cwd, *e.path));
      if (!found) return std::nullopt;
      d = *found;
    }
    h.field("extern " + e.name, d);
  }
  for (const auto& lib : args.static_libs) {  // linked into the output
    std::optional<std::string> d;
    for (const auto& dir : args.library_dirs) {
      auto path = absolute_in(cwd, dir) / ("lib" + lib.name + ".a");
      std::error_code ec;
      if (fs::exists(path, ec)) {
        d = digest_of(path);
        break;
      }
    }
    if (!d) return std::nullopt;  // not found where we look: not cached
    h.field("static library " + lib.name, *d);
  }
  if (args.target_spec) {
    auto d = digest_of(absolute_in(cwd, *args.target_spec));
    if (!d) return std::nullopt;
    h.field("target spec", *d);
  }
  std::vector<std::pair<std::string, std::string>> env;
  for (const auto& [name, value] : c.request.env_vars)
    if (env_in_key(name)) env.emplace_back(name, value);
  std::sort(env.begin(), env.end());
  for (const auto& [name, value] : env) h.field("env " + name, value);
  return h.finish_hex();
}

std::string result_key(const std::string& manifest_key, const rs::ManifestResult& result,
                       const KeyContext& c) {
  hash::Hasher h;
  h.field("manifest", manifest_key);
  for (const auto& [name, sha] : result.sources) h.field("source " + name, sha);
  for (const auto& [name, value] : result.env)  // what env! and option_env! read
    h.field("env-dep " + name, value ? "=" + *value : "unset");
  for (const auto& [name, sha] : result.link_inputs) h.field("link input " + name, sha);
  // A remap that does not cover the cwd but the input or a source as written changes what the
  // output names; one covering none of them changes nothing and is left out (a checkout's own
  // remap then does not split the keys of registry crates).
  const auto& cwd = c.request.cwd;
  for (const auto& [from, to] : c.args.remaps) {
    if (below(cwd, from)) continue;  // (in the manifest key)
    bool covers = below(absolute_in(cwd, c.args.input).string(), from).has_value();
    for (std::size_t i = 0; !covers && i < result.sources.size(); ++i)
      covers = below(absolute_in(cwd, result.sources[i].first).string(), from).has_value();
    if (covers) h.field("remap", from + "=" + to);
  }
  return h.finish_hex();
}

}  // namespace sccache::server::rust
