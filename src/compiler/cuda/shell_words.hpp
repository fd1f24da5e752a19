#pragma once
// A command line as /bin/sh would read it, for the steps nvcc -dryrun prints: words, quotes,
// $VAR expansion and output redirections — and nothing else of the shell.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace sccache::compiler::cuda {

struct ShellCommand {
  std::vector<std::string> argv;
  std::optional<std::string> stdout_path;  // "> FILE" (or ">> FILE")
  std::optional<std::string> stderr_path;  // "2> FILE"
  bool operator==(const ShellCommand&) const = default;
};

// A variable's value; nullopt when unset (it expands to nothing, as in sh).
using VariableLookup = std::function<std::optional<std::string>(std::string_view name)>;

// What a line may cost: nvcc's are ~1-6 KB; expansions must not multiply a hostile one.
inline constexpr std::size_t k_max_command_bytes = 1 << 20;  // after expansion

// Splits `line` as sh does: blanks and newlines separate words; '…' is literal; "…" groups, expands
// $NAME and ${NAME}, and lets a backslash escape $ ` " \ only; an unquoted backslash escapes the
// next character; an unquoted expansion is split at blanks. "> f", ">f", ">> f", "2> f", "2>f"
// redirect. corrupt: an unterminated quote or ${, a redirection without a file, or shell syntax we
// do not run (| & ; < ( ) `, $(…)); too_large: past k_max_command_bytes.
util::Result<ShellCommand> split_shell_command(std::string_view line, const VariableLookup& lookup);

// Whether `text` ends inside a quote that sh would continue on the next line.
bool ends_inside_quotes(std::string_view text);

}  // namespace sccache::compiler::cuda
