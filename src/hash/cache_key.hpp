#pragma once
// The preprocessor-mode cache key recipe. Every field and the reason it is in the key is documented
// in cache_key.cpp; a change of recipe bumps k_key_format_version and the golden test.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sccache::hash {

inline constexpr std::string_view k_key_format_version = "sccache-cpp-key-3";

struct KeyInputs {
  std::string_view compiler_identity;  // hash of the compiler binary and its version string
  std::string_view language;           // e.g. "c", "c++" (after -x and extension rules)
  const std::vector<std::string>* hashed_args =
      nullptr;                    // arguments affecting the output, in order
  std::string_view preprocessed;  // the compiler's own -E output (or the source for .i/.s)
  std::string_view working_dir;   // only when it reaches the object (e.g. -g); else empty
  std::string_view output_path;   // -o as written, only when it reaches the result; else empty
  std::string_view diagnostics;   // "colour" or "plain": the form of the stored stderr
  // Environment variables that change the output (SCCACHE_C_CUSTOM_CACHE_BUSTER, ...), name →
  // value.
  std::vector<std::pair<std::string, std::string>> env;
};

// 64 lowercase hex characters.
std::string compute_cache_key(const KeyInputs& inputs);

// Direct mode's manifest key: what is known before preprocessing.
struct DirectKeyInputs {
  std::string_view compiler_identity;
  std::string_view language;
  const std::vector<std::string>* hashed_args = nullptr;
  const std::vector<std::string>* preprocessor_args = nullptr;
  std::string_view working_dir;  // always: relative include paths resolve against it
  std::string_view output_path;  // as in KeyInputs
  std::string_view diagnostics;  // as in KeyInputs
  std::string_view input_path;   // as given; line markers and __FILE__ show it
  std::string_view input_sha256;
  std::vector<std::string> extra_file_hashes;
  std::vector<std::pair<std::string, std::string>> env;
};
std::string compute_direct_key(const DirectKeyInputs& inputs);

}  // namespace sccache::hash
