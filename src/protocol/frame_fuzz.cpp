// Fuzzes the frame header parser on a stream: 4 bytes of limit (big-endian), then frames as they
// arrive on a socket. Each header is accepted exactly when its big-endian length is within the
// limit, and the body it announces (cut short at the end of the input) frames back to a header
// announcing that body's length.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "protocol/frame.hpp"

namespace {

std::uint32_t be32(const uint8_t* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "frame: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using sccache::protocol::make_frame;
  using sccache::protocol::parse_frame_header;
  if (size < 4) return 0;
  std::uint32_t limit = be32(data);
  for (std::size_t pos = 4; pos + 4 <= size;) {
    auto length =
        parse_frame_header({data[pos], data[pos + 1], data[pos + 2], data[pos + 3]}, limit);
    check(length.has_value() == (be32(data + pos) <= limit), "accepted a length over the limit");
    if (!length) return 0;
    check(*length == be32(data + pos), "length is not the header's big-endian value");
    pos += 4;
    std::string_view body(reinterpret_cast<const char*>(data) + pos,
                          std::min<std::size_t>(*length, size - pos));
    std::string frame = make_frame(body);
    auto* head = reinterpret_cast<const uint8_t*>(frame.data());
    auto again = parse_frame_header({head[0], head[1], head[2], head[3]}, UINT32_MAX);
    check(again && *again == body.size() && std::string_view(frame).substr(4) == body,
          "make_frame does not round-trip");
    pos += body.size();
  }
  return 0;
}
