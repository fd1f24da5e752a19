#pragma once
// NVCC_PREPEND_FLAGS and NVCC_APPEND_FLAGS: nvcc reads them as arguments before and after its own.
// Parsing must see them; the dryrun and the compile must then run without them (nvcc would
// apply them twice).
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

#include "compiler/cuda/nvcc_args.hpp"

namespace sccache::compiler::cuda {

inline constexpr std::string_view k_prepend_flags = "NVCC_PREPEND_FLAGS";
inline constexpr std::string_view k_append_flags = "NVCC_APPEND_FLAGS";

// A variable's value split as nvcc 13.0 splits it — which is not a shell's: words end at spaces
// and tabs only (a newline stays in the word); a double-quoted part may hold spaces and keeps its
// quotes ('-DX="a b"' is one word, quotes and all); single quotes are plain characters. nullopt
// for what we would not split like nvcc: a backslash (nvcc drops some, rejects others) or an
// unbalanced double quote (nvcc fails).
std::optional<std::vector<std::string>> split_env_flags(std::string_view value);

// `args` with the two variables of `env` ("NAME", "value" pairs; the last one of a name counts)
// spliced in: prepended words, `args`, appended words. A CannotCache naming the variable when its
// value does not split.
tl::expected<std::vector<std::string>, CannotCache> with_env_flags(
    const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env);

}  // namespace sccache::compiler::cuda
