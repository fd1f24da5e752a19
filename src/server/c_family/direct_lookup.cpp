#include "server/c_family/direct_lookup.hpp"

#include <filesystem>

#include "hash/cache_key.hpp"
#include "server/cache_lookup.hpp"
#include "storage/cache_entry.hpp"
#include "util/log.hpp"

namespace sccache::server::c_family {

namespace {

std::string absolute_in(const std::string& cwd, const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  return (std::filesystem::path(cwd) / path).string();
}

// The manifest under `key`; nullopt when storage has none, has one of an older format, or cannot
// be asked (direct mode then falls back quietly: each level counts its own failures). An entry that
// does not decode, is not the one stored under this key, or holds no valid manifest is an error,
// and is removed so that the next update replaces it.
util::Result<std::optional<compiler::c_family::Manifest>> read_manifest(storage::Storage& storage,
                                                                        const std::string& key) {
  auto blob = storage.get(key);
  if (!blob || !*blob) return std::optional<compiler::c_family::Manifest>();
  auto entry = storage::decode_entry_view(**blob, key, k_max_entry_size);
  const auto* file = entry ? entry->find("manifest") : nullptr;
  auto manifest = file ? compiler::c_family::decode_manifest(file->data)
                       : util::fail(util::ErrorCode::corrupt, "no manifest in the entry");
  if (!manifest) {
    storage.remove(key);
    if (!entry && entry.error().code == util::ErrorCode::unsupported)  // an older format: a miss
      return std::optional<compiler::c_family::Manifest>();
    const auto& why = entry ? manifest.error().message : entry.error().message;
    return util::fail(util::ErrorCode::corrupt, "direct-mode manifest " + key + ": " + why);
  }
  return std::optional<compiler::c_family::Manifest>(std::move(*manifest));
}

}  // namespace

tl::expected<DirectKey, compiler::c_family::NotRecorded> direct_key(const DirectRequest& request,
                                                                    hash::FileMemo& memo) {
  using compiler::c_family::NotRecordedReason;
  auto refuse = [](NotRecordedReason reason, std::string file) {
    return tl::make_unexpected(compiler::c_family::NotRecorded{reason, std::move(file)});
  };
  const auto& args = *request.args;
  std::string input_path = absolute_in(request.cwd, args.input);
  auto input = memo.digest(input_path);
  if (!input) return refuse(NotRecordedReason::unreadable, input_path);
  if (input->has_time_macros) return refuse(NotRecordedReason::time_macros, input_path);
  hash::DirectKeyInputs k;
  for (const auto& extra : args.extra_hashed_files) {
    std::string path = absolute_in(request.cwd, extra);
    auto d = memo.digest(path);
    if (!d) return refuse(NotRecordedReason::unreadable, path);
    k.extra_file_hashes.push_back(d->sha256);
  }
  k.compiler_identity = request.compiler->identity;
  k.language = compiler::c_family::key_name(args.language);
  k.hashed_args = &args.hashed_args;
  k.preprocessor_args = &args.preprocessor_args;
  k.working_dir = request.cwd;
  k.output_path = args.output_path_in_result ? std::string_view(args.output) : std::string_view();
  k.diagnostics = request.diagnostics;
  k.input_path = args.input;
  k.input_sha256 = input->sha256;
  k.env = request.env;
  return DirectKey{hash::compute_direct_key(k), std::move(*input)};
}

util::Result<std::optional<std::string>> find_in_manifest(storage::Storage& storage,
                                                          ManifestMemo& manifests,
                                                          const std::string& manifest_key,
                                                          hash::FileMemo& memo) {
  auto [manifest, stale] = manifests.find(manifest_key);
  if (!manifest || stale) {
    auto read = read_manifest(storage, manifest_key);
    if (!read) return tl::make_unexpected(read.error());
    if (*read) {
      manifest = std::make_shared<const compiler::c_family::Manifest>(std::move(**read));
      manifests.remember(manifest_key, manifest);
    }
    if (!manifest) return std::nullopt;  // (a stale one still serves when storage has none)
  }
  for (const auto& result : manifest->results) {
    if (compiler::c_family::still_matches(result, memo)) return result.key;
  }
  return std::nullopt;
}

util::Result<void> update_manifest(storage::Storage& storage, ManifestMemo& manifests,
                                   const std::string& manifest_key,
                                   compiler::c_family::ManifestResult result, int zstd_level,
                                   std::mutex& lock) {
  std::lock_guard guard(lock);
  auto read = read_manifest(storage, manifest_key);  // a damaged one is replaced
  auto manifest = read && *read ? std::move(**read) : compiler::c_family::Manifest{};
  compiler::c_family::add_result(manifest, std::move(result));
  storage::CacheEntry entry;
  entry.files.push_back({"manifest", compiler::c_family::encode_manifest(manifest)});
  auto blob = storage::encode_entry(entry, manifest_key, zstd_level);
  auto written = blob ? storage.put(manifest_key, *blob) : tl::make_unexpected(blob.error());
  manifests.remember(manifest_key,
                     std::make_shared<const compiler::c_family::Manifest>(std::move(manifest)));
  return written;
}

}  // namespace sccache::server::c_family
