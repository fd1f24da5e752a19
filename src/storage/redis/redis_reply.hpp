#pragma once
// What a Redis server's replies mean to us. A reply is outside input like any other: hiredis has
// parsed its framing, but its type, its elements and its text are the server's to choose, so each
// is checked before use (a GET answered with an array is corrupt, not a crash).
#include <hiredis/hiredis.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/storage.hpp"
#include "util/error.hpp"

namespace sccache::storage::redis {

// At most this many elements in an array reply: ours need two (CONFIG GET). hiredis 0.14 would
// allocate a header's count at once: 12 bytes of "*666666666\r\n" asked for 5 GB.
inline constexpr int k_max_reply_elements = 64;

// Makes `reader` refuse, as a protocol error, an array reply of more than k_max_reply_elements
// and a string longer than storage::k_max_remote_blob (before hiredis allocates for it).
void bound_replies(redisReader* reader);

// GET: the value, nothing (nil: a miss), or corrupt for any other kind of reply.
util::Result<std::optional<std::string>> get_value(const redisReply& reply);

// CONFIG GET <name>: [name, value]; the value as a number when it is one (nullopt otherwise).
std::optional<std::uint64_t> config_number(const redisReply& reply);

// INFO <section>: the number after "<field>:" at the start of a line (nullopt when absent).
std::optional<std::uint64_t> info_number(const redisReply& reply, std::string_view field);

}  // namespace sccache::storage::redis
