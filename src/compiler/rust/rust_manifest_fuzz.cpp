// Fuzzes the Rust manifest decoder (compiler/rust/manifest) on arbitrary bytes: a manifest comes
// from the cache directory or a remote. (fuzz_rust_manifest: the C family's is fuzz_manifest.)
// Properties: no crash, overread or runaway allocation (ASan, the RSS limit); whatever decodes
// re-encodes to the same bytes (the format has one spelling of each manifest).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "compiler/rust/manifest.hpp"

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "rust manifest: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace rs = sccache::compiler::rust;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto manifest = rs::decode_manifest(bytes);
  if (!manifest) return 0;
  check(manifest->results.size() <= rs::k_max_manifest_results, "too many results decoded");
  auto encoded = rs::encode_manifest(*manifest);
  check(encoded == bytes, "a decoded manifest re-encodes to other bytes");
  return 0;
}
