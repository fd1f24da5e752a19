#pragma once
// rustc's dep-info file (--emit=dep-info), read for the key: the files the crate was built from
// and the environment variables it read (env!, option_env!). Outside input: checked and bounded.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace sccache::compiler::rust {

struct DepInfo {
  std::vector<std::string> files;  // the first rule's prerequisites, as written (unescaped)
  // `# env-dep:NAME=value` lines; nullopt for `# env-dep:NAME` (option_env! of an unset variable).
  std::vector<std::pair<std::string, std::optional<std::string>>> env;
};

// At most this many files and variables: a crate of more is not cached.
inline constexpr std::size_t k_max_dep_info_entries = 1 << 16;

// ErrorCode::corrupt when the text is not a dep-info file; too many entries is an error too.
util::Result<DepInfo> parse_dep_info(std::string_view text);

}  // namespace sccache::compiler::rust
