#include "compiler/rust/rustc_args.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <string_view>

namespace sccache::compiler::rust {

namespace {

// Options that take a value (`--name=value` or `--name value`; short ones also `-Xvalue`).
constexpr std::array k_long_with_value = {"allow",
                                          "cap-lints",
                                          "cfg",
                                          "check-cfg",
                                          "codegen",
                                          "color",
                                          "crate-name",
                                          "crate-type",
                                          "deny",
                                          "diagnostic-width",
                                          "edition",
                                          "emit",
                                          "error-format",
                                          "explain",
                                          "extern",
                                          "forbid",
                                          "force-warn",
                                          "json",
                                          "out-dir",
                                          "print",
                                          "remap-path-prefix",
                                          "sysroot",
                                          "target",
                                          "warn",
                                          "crate-attr",
                                          "env-set",
                                          "pretty",
                                          "unpretty",
                                          "remap-path-scope"};
constexpr std::string_view k_short_with_value = "ACDFLWZlo";

struct Option {
  std::string name;   // without dashes: "crate-type", "C"
  std::string value;  // empty for flags
};

// Splits argv into options and positionals. nullopt: an option lacks its value.
struct Split {
  std::vector<Option> options;
  std::vector<std::string> positionals;
  std::vector<std::string> original_forms;  // per option, its words joined (for hashing)
};

bool long_takes_value(std::string_view name) {
  return std::find(k_long_with_value.begin(), k_long_with_value.end(), name) !=
         k_long_with_value.end();
}

std::optional<Split> split(const std::vector<std::string>& args) {
  Split out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-" || a.size() < 2 || a[0] != '-') {
      out.positionals.push_back(a);
      continue;
    }
    Option o;
    if (a.starts_with("--")) {
      auto eq = a.find('=');
      o.name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (eq != std::string::npos) {
        o.value = a.substr(eq + 1);
      } else if (long_takes_value(o.name)) {
        if (++i == args.size()) return std::nullopt;
        o.value = args[i];
      }
    } else if (k_short_with_value.find(a[1]) != std::string_view::npos) {
      o.name = a.substr(1, 1);
      if (a.size() > 2) {
        o.value = a.substr(2);
      } else {
        if (++i == args.size()) return std::nullopt;
        o.value = args[i];
      }
    } else {
      o.name = a.substr(1);  // -g, -O, -v, -V, -h, -vV
    }
    out.options.push_back(std::move(o));
  }
  return out;
}

std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> items;
  while (!list.empty()) {
    auto comma = list.find(',');
    items.emplace_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return items;
}

// The value of a `-C key=value` codegen option, if `c` is `key` or `key=...`.
std::optional<std::string> codegen_value(std::string_view c, std::string_view key) {
  if (c == key) return std::string();
  if (c.starts_with(key) && c.size() > key.size() && c[key.size()] == '=')
    return std::string(c.substr(key.size() + 1));
  return std::nullopt;
}

std::optional<CannotCache> read_emit(RustArgs& out, std::string_view list, bool& seen) {
  if (seen) return CannotCache{"more than one --emit"};
  seen = true;
  for (const auto& kind : split_list(list)) {
    if (kind.find('=') != std::string::npos) return CannotCache{"--emit with a path"};
    if (kind == "link") {
      out.emit_link = true;
    } else if (kind == "metadata") {
      out.emit_metadata = true;
    } else if (kind == "dep-info") {
      out.emit_dep_info = true;
    } else {
      return CannotCache{"unsupported --emit"};
    }
  }
  return std::nullopt;
}

// -L [KIND=]PATH: native and all directories are where static libraries are searched.
void read_library_dir(RustArgs& out, std::string_view value) {
  auto eq = value.find('=');
  std::string_view kind = eq == std::string_view::npos ? "all" : value.substr(0, eq);
  std::string_view path = eq == std::string_view::npos ? value : value.substr(eq + 1);
  if (kind == "native" || kind == "all") out.library_dirs.emplace_back(path);
  if (kind == "dependency" || kind == "all") out.dependency_dirs.emplace_back(path);
}

// -l [KIND[:MODIFIERS]=]NAME[:RENAME]: a static library is linked into the output, so its content
// is part of the key.
void read_library(RustArgs& out, std::string_view value) {
  auto eq = value.find('=');
  if (eq == std::string_view::npos) return;
  std::string_view kind = value.substr(0, eq);
  if (!kind.starts_with("static")) return;
  std::string_view name = value.substr(eq + 1);
  name = name.substr(0, name.find(':'));
  out.static_libs.push_back({std::string(name)});
}

// What one option does; a reason when it makes the compile uncacheable.
std::optional<CannotCache> apply(RustArgs& out, const Option& o, const std::string& cwd,
                                 std::vector<std::string>& cfgs, bool& emit_seen) {
  const std::string& v = o.value;
  if (o.name == "o") return CannotCache{"-o"};
  if (o.name == "sysroot") return CannotCache{"--sysroot"};
  if (o.name == "crate-name") {
    out.crate_name = v;
  } else if (o.name == "crate-type") {
    for (auto& t : split_list(v)) {
      bool linked = t == "bin" || t == "proc-macro";
      if (!linked && t != "lib" && t != "rlib" && t != "staticlib")
        return CannotCache{"crate-type"};
      if (linked && out.linked) return CannotCache{"crate-type"};  // two linker outputs
      out.linked = out.linked || linked;
      out.crate_types.push_back(std::move(t));
    }
  } else if (o.name == "emit") {
    if (auto why = read_emit(out, v, emit_seen)) return why;
    return std::nullopt;  // (hashed: the set of outputs)
  } else if (o.name == "C" || o.name == "codegen") {
    if (codegen_value(v, "incremental")) return CannotCache{"incremental"};
    // Files beside the outputs that no output list names; or a linker we cannot follow.
    if (codegen_value(v, "save-temps")) return CannotCache{"-C save-temps"};
    if (auto split = codegen_value(v, "split-debuginfo"); split && *split != "off")
      return CannotCache{"split-debuginfo"};
    if (codegen_value(v, "linker-flavor") || codegen_value(v, "link-self-contained"))
      return CannotCache{"linker"};
    if (auto linker = codegen_value(v, "linker")) out.linker = *linker;
    if (auto extra = codegen_value(v, "extra-filename")) {
      if (extra->empty()) return CannotCache{"extra-filename"};
      out.extra_filename = *extra;
    }
  } else if (o.name == "cfg") {
    cfgs.push_back(v);
    return std::nullopt;
  } else if (o.name == "extern") {
    auto eq = v.find('=');
    out.externs.push_back({v.substr(0, eq), eq == std::string::npos
                                                ? std::nullopt
                                                : std::optional<std::string>(v.substr(eq + 1))});
  } else if (o.name == "L") {
    read_library_dir(out, v);
  } else if (o.name == "l") {
    read_library(out, v);
  } else if (o.name == "target") {
    bool json = v.ends_with(".json");
    if (!json && std::filesystem::exists(std::filesystem::path(cwd) / (v + ".json")))
      return CannotCache{"target unsure"};
    if (json) out.target_spec = v;
  } else if (o.name == "remap-path-prefix") {
    auto eq = v.find('=');
    if (eq == std::string::npos) return CannotCache{"--remap-path-prefix without ="};
    out.remaps.emplace_back(v.substr(0, eq), v.substr(eq + 1));
  } else if (o.name == "out-dir") {
    out.out_dir = v;
  }
  return std::nullopt;
}

// Whether `o` reaches the output as written (else its effect is hashed otherwise, or none).
bool hashed(const Option& o, const RustArgs& out) {
  if (o.name == "out-dir" || o.name == "L" || o.name == "extern" || o.name == "cfg" ||
      o.name == "diagnostic-width" || o.name == "emit" || o.name == "remap-path-prefix")
    return false;
  if (o.name == "target" && out.target_spec) return false;
  return true;
}

std::string form(const Option& o) {
  bool is_short = o.name.size() == 1 && k_short_with_value.find(o.name[0]) != std::string::npos;
  if (is_short) return "-" + o.name + o.value;
  return (o.name.size() == 1 ? "-" : "--") + o.name + (o.value.empty() ? "" : "=" + o.value);
}

bool not_a_compile(const Split& s) {
  for (const auto& o : s.options) {
    if (o.name == "print" || o.name == "version" || o.name == "V" || o.name == "vV" ||
        o.name == "help" || o.name == "h" || o.name == "explain" || o.name == "pretty" ||
        o.name == "unpretty")
      return true;
  }
  return false;
}

}  // namespace

ParseResult parse_rustc_arguments(const std::vector<std::string>& args, const std::string& cwd) {
  auto s = split(args);
  if (!s) return CannotCache{"missing argument value"};
  if (not_a_compile(*s)) return NotCompilation{};
  RustArgs out;
  std::vector<std::string> cfgs;
  bool emit_seen = false;
  for (const auto& p : s->positionals) {
    if (p == "-") return CannotCache{"-"};
    if (!out.input.empty()) return CannotCache{"multiple input files"};
    out.input = p;
  }
  for (const auto& o : s->options) {
    if (auto why = apply(out, o, cwd, cfgs, emit_seen)) return *why;
    if (hashed(o, out)) out.hashed_args.push_back(form(o));
    if (o.name != "emit") out.dep_info_args.push_back(form(o));
  }
  if (out.input.empty()) return CannotCache{"missing input"};
  if (out.crate_types.empty()) return CannotCache{"crate-type"};  // rustc's default is bin
  // Of the programs, build scripts: the warm build's floor. A package's own programs pass through
  // as Mozilla's sccache passes them, whose users' tests count on that.
  bool program =
      std::find(out.crate_types.begin(), out.crate_types.end(), "bin") != out.crate_types.end();
  if (program && !out.crate_name.starts_with("build_script_")) return CannotCache{"crate-type"};
  if (out.out_dir.empty()) return CannotCache{"missing output_dir"};
  if (out.crate_name.empty()) return CannotCache{"missing crate_name"};
  if (!emit_seen) out.emit_link = true;  // rustc's default
  if (!out.emit_link && !out.emit_metadata) return NotCompilation{};
  std::sort(cfgs.begin(), cfgs.end());
  for (const auto& c : cfgs) out.hashed_args.push_back("--cfg=" + c);
  std::string emits = std::string(out.emit_link ? "link," : "") +
                      (out.emit_metadata ? "metadata," : "") +
                      (out.emit_dep_info ? "dep-info," : "");
  out.hashed_args.push_back("--emit=" + emits);
  out.dep_info_args.push_back(out.input);
  return out;
}

std::vector<std::pair<std::string, std::string>> output_files(const RustArgs& args) {
  std::vector<std::pair<std::string, std::string>> files;
  std::string stem = args.crate_name + args.extra_filename;
  bool library = std::any_of(args.crate_types.begin(), args.crate_types.end(),
                             [](const std::string& t) { return t == "lib" || t == "rlib"; });
  bool staticlib = std::find(args.crate_types.begin(), args.crate_types.end(), "staticlib") !=
                   args.crate_types.end();
  if (args.emit_link && library) files.emplace_back("rlib", "lib" + stem + ".rlib");
  if (args.emit_link && staticlib) files.emplace_back("a", "lib" + stem + ".a");
  for (const auto& t : args.crate_types) {
    if (!args.emit_link) break;
    if (t == "bin") files.emplace_back("bin", stem);
    if (t == "proc-macro") files.emplace_back("so", "lib" + stem + ".so");
  }
  if (args.emit_metadata) files.emplace_back("rmeta", "lib" + stem + ".rmeta");
  if (args.emit_dep_info) files.emplace_back("d", stem + ".d");
  return files;
}

}  // namespace sccache::compiler::rust
