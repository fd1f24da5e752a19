#pragma once
// --show-stats output: the text table of Mozilla sccache v0.4 and its JSON (serde_json of
// ServerInfo).
#include <string>

#include "protocol/messages.hpp"

namespace sccache::stats {

// Rows `{name:<W} {value:>V}`, per-language rows sorted, "Non-cacheable reasons:" block, cache
// location and sizes with binary units ("963 bytes", "10 GiB"). Ends with a newline.
std::string render_text(const protocol::ServerInfo& info);

// One line, no trailing newline; durations as {"secs":N,"nanos":N}.
std::string render_json(const protocol::ServerInfo& info);

// "963 bytes", "1 KiB", "10 GiB": value/1024^k shown with no decimals, as sccache does.
std::string format_binary_size(std::uint64_t bytes);

}  // namespace sccache::stats
