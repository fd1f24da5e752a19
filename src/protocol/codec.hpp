#pragma once
// bincode 1.x (default options) encoding of the messages: little-endian fixed-width integers,
// u64 length before strings/byte strings/vectors/maps, u32 enum tags, Option = u8 0/1 + value,
// OsString = enum Unix(Vec<u8>) → u32 tag 0 + u64 length + bytes.
#include <string>
#include <string_view>

#include "protocol/messages.hpp"
#include "util/error.hpp"

namespace sccache::protocol {

std::string encode(const Request& request);
std::string encode(const Response& response);

// Decode one frame body. Trailing bytes, truncation, unknown tags and lengths past the end are
// ErrorCode::corrupt with a message saying what was wrong and where.
util::Result<Request> decode_request(std::string_view body);
util::Result<Response> decode_response(std::string_view body);

}  // namespace sccache::protocol
