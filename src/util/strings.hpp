#pragma once
// Small string helpers shared by config, client and server.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sccache::util {

std::vector<std::string> split(std::string_view text, char separator);
std::string to_lower(std::string_view text);

// "true|on|1|yes" / "false|off|0|no" (any case); anything else is nullopt.
std::optional<bool> parse_bool(std::string_view text);

// A size in bytes: plain digits or with a K/M/G/T suffix (powers of 1024, any case, optional
// "B"/"iB").
std::optional<std::uint64_t> parse_size(std::string_view text);

// Lowercase hexadecimal of raw bytes.
std::string to_hex(std::string_view bytes);

// Quotes a path the way Mozilla sccache's Debug formatting does: "..." with \" and \\ escaped.
std::string debug_quote(std::string_view text);

}  // namespace sccache::util
