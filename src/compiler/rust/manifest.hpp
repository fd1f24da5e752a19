#pragma once
// Rust's direct mode: for one manifest key (rustc, the arguments, the externs' content: everything
// but what rustc itself discovers), earlier results, each with what the compile found: its source
// files as rustc named them (checked against the current working directory, so that a checkout at
// another path can match), the environment variables it read, the files the linker read, and
// module paths that must stay absent. If all still hold, the result's key follows from them (see
// server/rust/rust_key) without running rustc. Read from storage: checked and bounded.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hash/file_memo.hpp"
#include "util/error.hpp"

namespace sccache::compiler::rust {

struct ManifestResult {
  std::vector<std::pair<std::string, std::string>> sources;  // name as in dep-info, SHA-256
  std::vector<std::pair<std::string, std::optional<std::string>>> env;  // env-dep lines
  // Absolute path, SHA-256; or, for a crate found in a `-L dependency=` directory, its file name
  // after k_dependency_dir (checked in the current compile's dependency directories).
  std::vector<std::pair<std::string, std::string>> link_inputs;
  // Names (like sources) whose appearance would change the compile: `mod m;` found as m.rs makes
  // rustc refuse the crate once m/mod.rs exists too, and the other way round.
  std::vector<std::string> absent;
  bool operator==(const ManifestResult&) const = default;
};

struct Manifest {
  std::vector<ManifestResult> results;  // newest first
  bool operator==(const Manifest&) const = default;
};

inline constexpr std::size_t k_max_manifest_results = 16;
inline constexpr std::string_view k_dependency_dir = "-L dependency/";

std::string encode_manifest(const Manifest& manifest);
util::Result<Manifest> decode_manifest(std::string_view bytes);

// Puts `result` first, drops an equal older one and the oldest past the limit.
void add_result(Manifest& manifest, ManifestResult result,
                std::size_t limit = k_max_manifest_results);

// The module files whose appearance would make rustc see `sources` differently (see absent).
std::vector<std::string> module_twins(const std::vector<std::string>& sources);

// Where a link input's name is now: itself, or the first dependency directory's file ("" if none).
std::string locate(const std::string& name, const std::string& cwd,
                   const std::vector<std::string>& dependency_dirs);

// Whether every file still has its hash, every variable its value (`env_value` gives the current
// one) and every absent name is still absent; relative names are taken in `cwd`, dependency
// crates in the first of `dependency_dirs` that holds them. `differs`, if given, gets the first
// name that no longer holds (for the log).
bool still_matches(const ManifestResult& result, const std::string& cwd,
                   const std::vector<std::string>& dependency_dirs,
                   const std::function<std::optional<std::string>(const std::string&)>& env_value,
                   hash::FileMemo& memo, std::string* differs = nullptr);

}  // namespace sccache::compiler::rust
