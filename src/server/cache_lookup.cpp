#include "server/cache_lookup.hpp"

#include "compiler/dep_file.hpp"
#include "util/file_clock.hpp"
#include "util/fs.hpp"
#include "util/log.hpp"

namespace sccache::server {

namespace {

std::filesystem::path absolute_in(const std::string& cwd, const std::string& path) {
  std::filesystem::path p(path);
  return p.is_absolute() ? p : std::filesystem::path(cwd) / p;
}

}  // namespace

OutputPaths output_paths(const compiler::ParsedArgs& args, const std::string& cwd,
                         compiler::Family family) {
  OutputPaths paths;
  paths.family = family;
  paths.object = absolute_in(cwd, args.output);
  if (args.dep_file) {
    paths.dep_file = absolute_in(cwd, *args.dep_file);
    paths.dep_targets = compiler::dep_targets_for(args.dep_targets, args.output);
  }
  for (const auto& side : args.side_outputs) {
    paths.side_outputs.emplace_back(side.role, absolute_in(cwd, side.path));
  }
  return paths;
}

LookupResult fetch_and_replay(storage::Storage& storage, const std::string& key,
                              const OutputPaths& paths) {
  LookupResult result;
  auto blob = storage.get(key);
  if (!blob) {
    bool timed_out = blob.error().code == util::ErrorCode::timeout;
    result.status = timed_out ? LookupStatus::timeout : LookupStatus::read_error;
    result.error = blob.error().message;
    return result;
  }
  if (!*blob) return result;  // miss
  auto entry = storage::decode_entry_view(**blob, k_max_entry_size);
  const auto* object = entry ? entry->find("obj") : nullptr;
  const auto* deps = entry ? entry->find("d") : nullptr;
  if (!entry || !object || (paths.dep_file && !deps)) {
    result.status = LookupStatus::read_error;
    result.error = entry ? "entry lacks an output this compile needs" : entry.error().message;
    storage.remove(key);
    return result;
  }
  // The compiler does not create missing output directories, so a hit must not either: such a
  // compile goes to the compiler and fails the way it would without the cache.
  std::error_code ec;
  bool dirs_exist =
      std::filesystem::is_directory(paths.object.parent_path(), ec) &&
      (!paths.dep_file || std::filesystem::is_directory(paths.dep_file->parent_path(), ec));
  if (!dirs_exist) {
    result.status = LookupStatus::miss;
    return result;
  }
  auto written = util::write_file_atomic(paths.object, object->data, object->mode);
  for (const auto& [role, path] : paths.side_outputs) {
    const auto* side = entry->find(role);
    if (written && side) written = util::write_file_atomic(path, side->data, side->mode);
  }
  if (written && paths.dep_file) {
    written = util::write_file_atomic(
        *paths.dep_file, compiler::rewrite_dep_target(deps->data, paths.dep_targets, paths.family),
        deps->mode);
  }
  if (!written) {
    result.status = LookupStatus::read_error;
    result.error = written.error().message;
    return result;
  }
  result.status = LookupStatus::hit;
  result.stdout_bytes = entry->stdout_bytes();
  result.stderr_bytes = entry->stderr_bytes();
  return result;
}

std::optional<storage::CacheEntry> collect_outputs(const OutputPaths& paths,
                                                   std::int64_t written_since_ns,
                                                   std::string stdout_bytes,
                                                   std::string stderr_bytes) {
  storage::CacheEntry entry;
  auto add = [&entry](const std::string& name, const std::filesystem::path& path) {
    auto data = util::read_file(path);
    auto st = util::stat_file(path);
    if (!data || !st) {
      log::warn("compile succeeded but {} is missing: not cached", path.string());
      return false;
    }
    entry.files.push_back({name, st->mode & 07777, std::move(*data)});
    return true;
  };
  if (!add("obj", paths.object)) return std::nullopt;
  if (paths.dep_file && !add("d", *paths.dep_file)) return std::nullopt;
  for (const auto& [role, path] : paths.side_outputs) {
    auto st = util::stat_file(path);
    if (st && !util::written_before(*st, written_since_ns) && !add(role, path)) return std::nullopt;
  }
  entry.stdout_bytes = std::move(stdout_bytes);
  entry.stderr_bytes = std::move(stderr_bytes);
  return entry;
}

}  // namespace sccache::server
