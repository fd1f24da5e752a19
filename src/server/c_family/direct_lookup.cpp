#include "server/c_family/direct_lookup.hpp"

#include <filesystem>

#include "hash/cache_key.hpp"
#include "server/cache_lookup.hpp"
#include "server/manifest_store.hpp"
#include "storage/cache_entry.hpp"
#include "util/log.hpp"

namespace sccache::server::c_family {

namespace {

std::string absolute_in(const std::string& cwd, const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  return (std::filesystem::path(cwd) / path).string();
}

// The manifest under `key`, decoded (see server::read_manifest).
util::Result<std::optional<compiler::c_family::Manifest>> read_c_manifest(storage::Storage& storage,
                                                                          const std::string& key) {
  std::optional<compiler::c_family::Manifest> manifest;
  auto read = read_manifest(storage, key, [&](std::string_view bytes) -> util::Result<void> {
    auto decoded = compiler::c_family::decode_manifest(bytes);
    if (!decoded) return tl::make_unexpected(decoded.error());
    manifest = std::move(*decoded);
    return {};
  });
  if (!read) return tl::make_unexpected(read.error());
  return manifest;
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
    auto read = read_c_manifest(storage, manifest_key);
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
  auto read = read_c_manifest(storage, manifest_key);  // a damaged one is replaced
  auto manifest = read && *read ? std::move(**read) : compiler::c_family::Manifest{};
  compiler::c_family::add_result(manifest, std::move(result));
  auto written = write_manifest(storage, manifest_key,
                                compiler::c_family::encode_manifest(manifest), zstd_level);
  manifests.remember(manifest_key,
                     std::make_shared<const compiler::c_family::Manifest>(std::move(manifest)));
  return written;
}

}  // namespace sccache::server::c_family
