// Fuzzes the direct-mode manifest decoder on arbitrary bytes (a manifest comes from the cache
// directory or a remote). Properties: no crash, overread or runaway allocation (ASan, the RSS
// limit); whatever decodes re-encodes to bytes that decode to the same manifest, and those bytes
// are a fixed point (encode is canonical: a flag written as 2 is read as true and written as 1).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "compiler/c_family/manifest.hpp"

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "manifest: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto manifest = sccache::compiler::c_family::decode_manifest(bytes);
  if (!manifest) return 0;
  auto encoded = sccache::compiler::c_family::encode_manifest(*manifest);
  auto back = sccache::compiler::c_family::decode_manifest(encoded);
  check(back.has_value(), "a decoded manifest re-encodes to bytes that do not decode");
  check(*back == *manifest, "a decoded manifest does not round-trip");
  check(sccache::compiler::c_family::encode_manifest(*back) == encoded,
        "encoding is not canonical");
  check(encoded.size() <= size, "re-encoding grew the manifest");
  return 0;
}
