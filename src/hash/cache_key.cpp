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
  // The output's name lands in the result with split DWARF (the skeleton names its .dwo) and
  // profiling (the .gcda path); empty otherwise, so that moving the output still hits.
  h.field("output", inputs.output_path);
  // Stored diagnostics keep the compiler's colours, or were asked for without: the two differ.
  h.field("diagnostics", inputs.diagnostics);
  // What the compiler actually compiles: the preprocessed translation unit.
  h.field("source", inputs.preprocessed);
  return h.finish_hex();
}

namespace {

void list_field(Hasher& h, std::string_view tag, const std::vector<std::string>* items) {
  h.field(tag, std::to_string(items ? items->size() : 0));
  if (items) {
    for (const auto& item : *items) h.field(tag, item);
  }
}

}  // namespace

std::string compute_direct_key(const DirectKeyInputs& inputs) {
  Hasher h;
  // Manifests and results live in one store: a distinct format tag keeps the two key spaces apart.
  h.field("format", "sccache-cpp-direct-3");
  h.field("compiler", inputs.compiler_identity);
  h.field("language", inputs.language);
  // Both argument lists: -I/-D/-include shape what gets read, the rest shapes the object.
  list_field(h, "arg", inputs.hashed_args);
  list_field(h, "pp", inputs.preprocessor_args);
  // Relative -I paths and quoted includes resolve against the working directory.
  h.field("cwd", inputs.working_dir);
  h.field("output", inputs.output_path);
  h.field("diagnostics", inputs.diagnostics);
  // The input's name reaches line markers and __FILE__; its content is the source itself.
  h.field("input", inputs.input_path);
  h.field("input-sha256", inputs.input_sha256);
  list_field(h, "extra", &inputs.extra_file_hashes);
  auto env = inputs.env;
  std::sort(env.begin(), env.end());
  h.field("envc", std::to_string(env.size()));
  for (const auto& [name, value] : env) h.field(name, value);
  return h.finish_hex();
}

}  // namespace sccache::hash
