#pragma once
// @file arguments: the file's content split into arguments the way gcc reads it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sccache::compiler {

// Splits on whitespace; single and double quotes group; a backslash escapes the next character.
std::vector<std::string> split_response_file(std::string_view text);

// What an expansion may cost: a command line nobody writes by hand must not occupy the server.
inline constexpr int k_max_response_depth = 8;
inline constexpr int k_max_response_files = 256;               // files read, in all
inline constexpr std::size_t k_max_response_bytes = 16 << 20;  // their text, in all
inline constexpr std::size_t k_max_arguments = 256 * 1024;     // arguments after expansion

// Replaces every @file (relative to `cwd`, nested) by its arguments. nullopt when a file cannot be
// read (gcc would keep the literal argument; we refuse to cache) or a limit above is passed.
std::optional<std::vector<std::string>> expand_response_files(const std::vector<std::string>& args,
                                                              const std::string& cwd);

}  // namespace sccache::compiler
