#pragma once
// A rustc command line, read for caching: a crate compile we can cache (RustArgs), not a compile
// at all (--print, --version, an emit of dep-info only), or one we do not cache and why (the
// reason is the stats key under "Non-cacheable reasons", named as Mozilla's sccache names them).
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sccache::compiler::rust {

struct Extern {
  std::string name;
  std::optional<std::string> path;  // --extern name (no path): found in the sysroot
  bool operator==(const Extern&) const = default;
};

struct StaticLib {
  std::string name;  // -l static=NAME (libNAME.a in a -L native=/all= directory)
  bool operator==(const StaticLib&) const = default;
};

struct RustArgs {
  std::string input;       // the crate root, as written (cwd-relative ok)
  std::string crate_name;  // --crate-name
  // lib, rlib, staticlib; proc-macro or (for a build script, build_script_*) bin: those two are
  // linked (see `linked`).
  std::vector<std::string> crate_types;
  bool linked = false;                // a program or shared library the linker writes
  std::optional<std::string> linker;  // -C linker=PATH (else rustc's default, cc)
  bool emit_link = false, emit_metadata = false, emit_dep_info = false;
  std::string out_dir;         // --out-dir, as written
  std::string extra_filename;  // -C extra-filename
  std::vector<Extern> externs;
  std::vector<std::string>
      library_dirs;  // -L paths of kind native/all (static libs are found there)
  std::vector<StaticLib> static_libs;
  std::vector<std::string> dependency_dirs;  // -L paths of kind dependency/all (crates are there)
  std::optional<std::string> target_spec;    // --target FILE.json: its content is hashed
  // --remap-path-prefix FROM=TO, in order. Not in hashed_args: which paths each one changes is
  // known only with the crate's files (the key recipe decides).
  std::vector<std::pair<std::string, std::string>> remaps;
  // Arguments that reach the output, in order, with --cfg values sorted after them; not: the input
  // (hashed apart), --out-dir, -L, --extern (their files are hashed), --diagnostic-width, the
  // target spec's path, -C incremental, --remap-path-prefix.
  std::vector<std::string> hashed_args;
  // The arguments without --emit, for the run that writes only the dep-info (the caller adds
  // --emit=dep-info=PATH).
  std::vector<std::string> dep_info_args;
};

struct NotCompilation {};
struct CannotCache {
  std::string reason;  // e.g. "crate-type", "incremental", "-", "multiple input files"
};
using ParseResult = std::variant<RustArgs, NotCompilation, CannotCache>;

// `args` excludes argv[0]. `file_exists` tells whether a cwd-relative path names a file (for the
// --target name-or-path rule); @files must have been expanded before.
ParseResult parse_rustc_arguments(const std::vector<std::string>& args, const std::string& cwd);

// The files a cacheable compile writes into its --out-dir, by role: "rlib", "rmeta", "a", "d",
// "bin", "so", each with its file name (lib<crate><extra>.rlib, <crate><extra>.d, ...).
std::vector<std::pair<std::string, std::string>> output_files(const RustArgs& args);

}  // namespace sccache::compiler::rust
