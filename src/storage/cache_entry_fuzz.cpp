// Fuzzes the cache entry decoder: input = 1 byte of key length, the key, then a blob as a cache
// file or a remote would hand it over. The blob is decoded under that key and under another one.
// Properties: no crash or overread (ASan); nothing decodes under two keys; whatever decodes
// encodes back to a blob that decodes to the same entry; the decoded size stays within the cap
// and within what the blob could honestly expand to.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/cache_entry.hpp"

namespace {

using sccache::storage::CacheEntry;
using sccache::storage::EntryView;

// Small enough that the fuzzer's RSS limit is never what stops a bomb.
constexpr std::uint64_t k_cap = std::uint64_t{64} << 20;

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "cache_entry: %s\n", what);
  std::abort();
}

CacheEntry copy_of(const EntryView& view) {
  CacheEntry entry;
  for (const auto& f : view.files())
    entry.files.push_back({std::string(f.name), std::string(f.data)});
  entry.stdout_bytes = view.stdout_bytes();
  entry.stderr_bytes = view.stderr_bytes();
  return entry;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size - 1 < data[0]) return 0;
  std::string key(reinterpret_cast<const char*>(data) + 1, data[0]);
  std::string_view blob(reinterpret_cast<const char*>(data) + 1 + data[0], size - 1 - data[0]);
  auto view = sccache::storage::decode_entry_view(blob, key, k_cap);
  auto other = sccache::storage::decode_entry_view(blob, key + "0", k_cap);
  check(!(view && other), "a blob decodes under two keys");
  if (!view) return 0;
  std::uint64_t decoded = view->stdout_bytes().size() + view->stderr_bytes().size();
  for (const auto& f : view->files()) decoded += f.data.size();
  check(decoded <= k_cap && decoded <= sccache::storage::decoded_size_allowed(blob.size()),
        "decoded past the cap");
  CacheEntry entry = copy_of(*view);
  auto again = sccache::storage::encode_entry(entry, key, 1);
  if (!again) return 0;  // (compresses too well at level 1: refused, as the encoder documents)
  auto back = sccache::storage::decode_entry(*again, key, k_cap);
  check(back && *back == entry, "a decoded entry does not round-trip");
  return 0;
}
