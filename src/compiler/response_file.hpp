#pragma once
// @file arguments: the file's content split into arguments the way gcc reads it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sccache::compiler {

// Splits on whitespace; single and double quotes group; a backslash escapes the next character.
std::vector<std::string> split_response_file(std::string_view text);

// Replaces every @file (relative to `cwd`, nested up to a depth limit) by its arguments.
// nullopt when a file cannot be read (gcc would keep the literal argument; we refuse to cache).
std::optional<std::vector<std::string>> expand_response_files(const std::vector<std::string>& args,
                                                              const std::string& cwd);

}  // namespace sccache::compiler
