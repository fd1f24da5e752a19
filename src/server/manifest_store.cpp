#include "server/manifest_store.hpp"

#include "server/cache_lookup.hpp"
#include "storage/cache_entry.hpp"

namespace sccache::server {

util::Result<bool> read_manifest(
    storage::Storage& storage, const std::string& key,
    const std::function<util::Result<void>(std::string_view)>& decode) {
  auto blob = storage.get(key);
  if (!blob || !*blob) return false;
  auto entry = storage::decode_entry_view(**blob, key, k_max_entry_size);
  const auto* file = entry ? entry->find("manifest") : nullptr;
  auto decoded =
      file ? decode(file->data) : util::fail(util::ErrorCode::corrupt, "no manifest in the entry");
  if (decoded) return true;
  storage.remove(key);
  if (!entry && entry.error().code == util::ErrorCode::unsupported) return false;  // older format
  const auto& why = entry ? decoded.error().message : entry.error().message;
  return util::fail(util::ErrorCode::corrupt, "direct-mode manifest " + key + ": " + why);
}

util::Result<void> write_manifest(storage::Storage& storage, const std::string& key,
                                  std::string bytes, int zstd_level) {
  storage::CacheEntry entry;
  entry.files.push_back({"manifest", std::move(bytes)});
  auto blob = storage::encode_entry(entry, key, zstd_level);
  return blob ? storage.put(key, *blob) : tl::make_unexpected(blob.error());
}

}  // namespace sccache::server
