#include "protocol/frame.hpp"

namespace sccache::protocol {

std::string make_frame(std::string_view body) {
  std::string frame;
  frame.reserve(4 + body.size());
  auto n = static_cast<std::uint32_t>(body.size());
  for (int shift = 24; shift >= 0; shift -= 8)
    frame.push_back(static_cast<char>((n >> shift) & 0xff));
  frame.append(body);
  return frame;
}

util::Result<std::uint32_t> parse_frame_header(const std::array<unsigned char, 4>& header,
                                               std::uint32_t max_length) {
  std::uint32_t n = (std::uint32_t(header[0]) << 24) | (std::uint32_t(header[1]) << 16) |
                    (std::uint32_t(header[2]) << 8) | std::uint32_t(header[3]);
  if (n > max_length) {
    return util::fail(util::ErrorCode::invalid, "frame of " + std::to_string(n) +
                                                    " bytes exceeds the limit of " +
                                                    std::to_string(max_length));
  }
  return n;
}

}  // namespace sccache::protocol
