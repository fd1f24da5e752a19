// Fuzzes the bincode codec on arbitrary frame bodies, as a request and as a response: decoding
// never crashes, and what decodes re-encodes to bytes that decode back to the same message
// (compared as encodings: decode(encode(decode(x))) == decode(x)).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "protocol/codec.hpp"

namespace {

template <typename Decode>
void check_round_trip(std::string_view body, Decode decode, const char* what) {
  auto first = decode(body);
  if (!first) return;
  std::string encoded = sccache::protocol::encode(*first);
  auto second = decode(encoded);
  if (!second || sccache::protocol::encode(*second) != encoded) {
    std::fprintf(stderr, "%s: decode(encode(decode(x))) != decode(x)\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  check_round_trip(body, sccache::protocol::decode_request, "request");
  check_round_trip(body, sccache::protocol::decode_response, "response");
  return 0;
}
