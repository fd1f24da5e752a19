#include "server/cache_lookup.hpp"

#include <algorithm>

#include "compiler/c_family/base_dir.hpp"
#include "compiler/c_family/dep_file.hpp"
#include "util/file_clock.hpp"
#include "util/fs.hpp"
#include "util/log.hpp"

namespace sccache::server {

namespace {

using util::absolute_in;

// How each compiler puts each output in place, which a hit copies (strace of gcc 12.2 with
// binutils 2.40, and of clang 14, over an existing output of another owner with mode 0640):
// - the object: gcc's `as` unlinks a non-empty file and creates a new one; clang refuses a file
//   that access(W_OK) says it may not write, else writes a temporary file and renames it over.
//   Either way a new file: the compiling user's, mode 0666 less the umask. A temporary file
//   renamed over leaves the same, and atomically, so a hit does that.
// - -S: gcc's cc1 truncates the .s in place (its owner and mode stay); clang as for an object.
// - the .d and the .gcno: both compilers truncate them in place.
// - the .dwo: gcc's `as` as for the object; clang truncates it in place.
// In place cannot be atomic (the compiler's own write is not either). A new file's mode is 0666
// less the server's umask, which the compiler it runs on a miss gets too: the server inherits the
// umask of the client that started it (a client's own umask is not in the protocol). The mode an
// entry was stored with is not used: a remote's entry may come from a user with another umask.
util::OutputWrite how_written(const OutputPaths& paths, std::string_view role) {
  using util::OutputWrite;
  const bool clang = paths.family == compiler::c_family::Family::clang;
  if (role == "obj") {
    if (clang) return OutputWrite::replace_writable;
    return paths.assembly ? OutputWrite::in_place : OutputWrite::replace;
  }
  if (role == "dwo") return clang ? OutputWrite::in_place : OutputWrite::replace;
  return OutputWrite::in_place;  // "d", "gcno"
}

}  // namespace

OutputPaths output_paths(const compiler::c_family::ParsedArgs& args, const std::string& cwd,
                         compiler::c_family::Family family) {
  OutputPaths paths;
  paths.family = family;
  paths.assembly = args.assembly;
  paths.object = absolute_in(cwd, args.output);
  if (args.dep_file) {
    paths.dep_file = absolute_in(cwd, *args.dep_file);
    paths.dep_targets = compiler::c_family::dep_targets_for(args.dep_targets, args.output);
  }
  for (const auto& side : args.side_outputs) {
    paths.side_outputs.emplace_back(side.role, absolute_in(cwd, side.path));
  }
  return paths;
}

// Opens every output first: one the compiler could not open either (a missing directory, a file
// clang may not write) sends the compile to the compiler, which fails the way it would without the
// cache, before any file is replaced (one written in place is truncated by its open, as by the
// compiler's). A failure after that is a read error.
LookupResult write_outputs(const std::vector<OutputToWrite>& outputs) {
  LookupResult result;
  std::vector<util::OutputFile> files;
  files.reserve(outputs.size());
  for (const auto& out : outputs) {
    auto file = util::OutputFile::open(out.path, out.how);
    if (!file) {
      log::debug("not replaying a hit, the compiler will say why: {}", file.error().message);
      return result;  // miss
    }
    files.push_back(std::move(*file));
  }
  util::Result<void> written;
  for (std::size_t i = 0; i < files.size() && written; ++i)
    written = files[i].write(outputs[i].data);
  for (std::size_t i = 0; i < files.size() && written; ++i) written = files[i].commit();
  if (!written) {
    result.status = LookupStatus::read_error;
    result.error = written.error().message;
    return result;
  }
  result.status = LookupStatus::hit;
  return result;
}

std::variant<storage::EntryView, LookupResult> fetch_entry(
    storage::Storage& storage, const std::string& key,
    const std::vector<std::string_view>& required) {
  LookupResult result;
  auto blob = storage.get(key);
  if (!blob) {
    bool timed_out = blob.error().code == util::ErrorCode::timeout;
    result.status = timed_out ? LookupStatus::timeout : LookupStatus::read_error;
    result.error = blob.error().message;
    return result;
  }
  if (!*blob) return result;  // miss
  auto entry = storage::decode_entry_view(**blob, key, k_max_entry_size);
  bool complete = entry && std::all_of(required.begin(), required.end(),
                                       [&](std::string_view role) { return entry->find(role); });
  if (!complete) {
    // An entry of an older format is a plain miss (every entry is one after an upgrade); it goes,
    // like a damaged one, so that the compile replaces it.
    bool old_format = !entry && entry.error().code == util::ErrorCode::unsupported;
    result.status = old_format ? LookupStatus::miss : LookupStatus::read_error;
    result.error = entry ? "entry lacks an output this compile needs" : entry.error().message;
    storage.remove(key);
    return result;
  }
  return std::move(*entry);
}

LookupResult fetch_and_replay(storage::Storage& storage, const std::string& key,
                              const OutputPaths& paths) {
  std::vector<std::string_view> required{"obj"};
  if (paths.dep_file) required.push_back("d");
  auto fetched = fetch_entry(storage, key, required);
  if (auto* failed = std::get_if<LookupResult>(&fetched)) return std::move(*failed);
  auto* entry = &std::get<storage::EntryView>(fetched);
  const auto* object = entry->find("obj");
  const auto* deps = entry->find("d");
  LookupResult result;
  // An entry made in another base dir (SCCACHE_BASEDIRS) names that one: this compile's instead,
  // in the dep file (before its rule is re-wrapped) and the stderr.
  const auto* stored_base = entry->find("basedir");
  bool rebase = stored_base && !paths.base_dir.empty() && stored_base->data != paths.base_dir;
  auto rebased = [&](std::string_view text) {
    return rebase ? compiler::c_family::replace_all(text, stored_base->data, paths.base_dir)
                  : std::string(text);
  };
  // In the compiler's order: gcc's cc1 writes the .d before the assembler writes the object.
  std::string dep_text;
  std::vector<OutputToWrite> outputs;
  if (paths.dep_file) {
    dep_text = compiler::c_family::rewrite_dep_target(rebased(deps->data), paths.dep_targets,
                                                      paths.family);
    outputs.push_back({*paths.dep_file, how_written(paths, "d"), dep_text});
  }
  for (const auto& [role, path] : paths.side_outputs) {
    if (const auto* side = entry->find(role))
      outputs.push_back({path, how_written(paths, role), side->data});
  }
  outputs.push_back({paths.object, how_written(paths, "obj"), object->data});
  result = write_outputs(outputs);
  if (result.status == LookupStatus::hit) {
    result.stdout_bytes = entry->stdout_bytes();
    result.stderr_bytes = rebased(entry->stderr_bytes());
  }
  return result;
}

std::optional<storage::CacheEntry> collect_outputs(const OutputPaths& paths,
                                                   std::int64_t written_since_ns,
                                                   std::string stdout_bytes,
                                                   std::string stderr_bytes) {
  storage::CacheEntry entry;
  auto add = [&entry](const std::string& name, const std::filesystem::path& path) {
    auto data = util::read_file(path);
    if (!data) {
      log::warn("compile succeeded but {} is missing: not cached", path.string());
      return false;
    }
    entry.files.push_back({name, std::move(*data)});
    return true;
  };
  if (!add("obj", paths.object)) return std::nullopt;
  if (paths.dep_file && !add("d", *paths.dep_file)) return std::nullopt;
  for (const auto& [role, path] : paths.side_outputs) {
    auto st = util::stat_file(path);
    if (st && !util::written_before(*st, written_since_ns) && !add(role, path)) return std::nullopt;
  }
  if (!paths.base_dir.empty()) entry.files.push_back({"basedir", paths.base_dir});
  entry.stdout_bytes = std::move(stdout_bytes);
  entry.stderr_bytes = std::move(stderr_bytes);
  return entry;
}

}  // namespace sccache::server
