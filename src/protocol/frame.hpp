#pragma once
// Length-delimited frames: a 4-byte big-endian body length, then the body.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace sccache::protocol {

// Header + body in one buffer, ready to write.
std::string make_frame(std::string_view body);

// The body length a header announces; an error when it exceeds `max_length`.
util::Result<std::uint32_t> parse_frame_header(const std::array<unsigned char, 4>& header,
                                               std::uint32_t max_length);

}  // namespace sccache::protocol
