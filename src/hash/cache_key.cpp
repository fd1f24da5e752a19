#include "hash/cache_key.hpp"

#include <algorithm>

#include "hash/hasher.hpp"

namespace sccache::hash {

std::string compute_cache_key(const KeyInputs& inputs) {
  Hasher h;
  // Bumped whenever the recipe or the entry layout changes: old entries must never match.
  h.field("format", k_key_format_version);
  // Which compiler, byte for byte, and which driver mode (gcc vs g++ on one binary).
  h.field("compiler", inputs.compiler_identity);
  // The same text compiled as C or C++ gives different objects.
  h.field("language", inputs.language);
  // Code generation options (-O2, -g, -m…, -f…, -D…); order matters (later options win).
  std::size_t count = inputs.hashed_args ? inputs.hashed_args->size() : 0;
  h.field("argc", std::to_string(count));
  for (std::size_t i = 0; i < count; ++i) h.field("arg", (*inputs.hashed_args)[i]);
  // Environment that steers the compiler; sorted so the environment's order does not matter.
  auto env = inputs.env;
  std::sort(env.begin(), env.end());
  h.field("envc", std::to_string(env.size()));
  for (const auto& [name, value] : env) h.field(name, value);
  // The working directory lands in debug info (DW_AT_comp_dir); empty when it cannot matter.
  h.field("cwd", inputs.working_dir);
  // What the compiler actually compiles: the preprocessed translation unit.
  h.field("source", inputs.preprocessed);
  return h.finish_hex();
}

}  // namespace sccache::hash
