#pragma once
// Source languages of the C family, as gcc's -x names them.
#include <optional>
#include <string>
#include <string_view>

namespace sccache::compiler::c_family {

enum class Language {
  c,
  cxx,
  objc,
  objcxx,
  c_preprocessed,       // .i
  cxx_preprocessed,     // .ii
  objc_preprocessed,    // .mi
  objcxx_preprocessed,  // .mii
  assembler,            // .s: no preprocessing
  assembler_with_cpp,   // .S, .sx
  cuda,                 // .cu, -x cuda: clang's CUDA mode (nvcc is a family of its own)
};

// From a file name's extension; nullopt for unknown ones (including headers: PCH is not cached
// yet).
std::optional<Language> language_from_path(std::string_view path);
// From a -x argument ("c", "c++", "objective-c", "assembler-with-cpp", ...).
std::optional<Language> language_from_x(std::string_view name);
// The -x name gcc and clang accept for it.
std::string_view x_name(Language language);
// Whether the compiler runs the preprocessor on it (false for .i/.ii/.s).
bool needs_preprocessing(Language language);
// The language as the stats count it (Mozilla's names): "CUDA" for clang's CUDA, else "C/C++".
const std::string& stats_name(Language language);
// The -x name of the preprocessed form (for .c → "cpp-output"), used in the key only.
std::string_view key_name(Language language);

}  // namespace sccache::compiler::c_family
