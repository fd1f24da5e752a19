#include "compiler/c_family/language.hpp"

#include <array>
#include <utility>

namespace sccache::compiler::c_family {

namespace {

struct Name {
  std::string_view x;
  Language language;
};

// gcc's -x names; the first name of each language is the one we pass back.
constexpr std::array<Name, 13> k_x_names = {{
    {"c", Language::c},
    {"c++", Language::cxx},
    {"objective-c", Language::objc},
    {"objective-c++", Language::objcxx},
    {"cpp-output", Language::c_preprocessed},
    {"c++-cpp-output", Language::cxx_preprocessed},
    {"objective-c-cpp-output", Language::objc_preprocessed},
    {"objc-cpp-output", Language::objc_preprocessed},
    {"objective-c++-cpp-output", Language::objcxx_preprocessed},
    {"objc++-cpp-output", Language::objcxx_preprocessed},
    {"assembler", Language::assembler},
    {"assembler-with-cpp", Language::assembler_with_cpp},
    {"cuda", Language::cuda},
}};

// Headers (.h, .hpp, ...) are absent on purpose: compiling one makes a PCH, which is not cached.
constexpr std::array<std::pair<std::string_view, Language>, 19> k_extensions = {{
    {".c", Language::c},
    {".cc", Language::cxx},
    {".cp", Language::cxx},
    {".cxx", Language::cxx},
    {".cpp", Language::cxx},
    {".CPP", Language::cxx},
    {".c++", Language::cxx},
    {".C", Language::cxx},
    {".m", Language::objc},
    {".mm", Language::objcxx},
    {".M", Language::objcxx},
    {".i", Language::c_preprocessed},
    {".ii", Language::cxx_preprocessed},
    {".mi", Language::objc_preprocessed},
    {".mii", Language::objcxx_preprocessed},
    {".s", Language::assembler},
    {".S", Language::assembler_with_cpp},
    {".sx", Language::assembler_with_cpp},
    {".cu", Language::cuda},
}};

}  // namespace

std::optional<Language> language_from_path(std::string_view path) {
  auto slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::string_view ext = base.substr(dot);
  for (const auto& [e, lang] : k_extensions) {
    if (e == ext) return lang;
  }
  return std::nullopt;
}

std::optional<Language> language_from_x(std::string_view name) {
  for (const auto& n : k_x_names) {
    if (n.x == name) return n.language;
  }
  return std::nullopt;
}

std::string_view x_name(Language language) {
  for (const auto& n : k_x_names) {
    if (n.language == language) return n.x;
  }
  return "c";
}

bool needs_preprocessing(Language language) {
  switch (language) {
    case Language::c:
    case Language::cxx:
    case Language::objc:
    case Language::objcxx:
    case Language::assembler_with_cpp:
    case Language::cuda:
      return true;
    case Language::c_preprocessed:
    case Language::cxx_preprocessed:
    case Language::objc_preprocessed:
    case Language::objcxx_preprocessed:
    case Language::assembler:
      return false;
  }
  return false;
}

const std::string& stats_name(Language language) {
  static const std::string c = "C/C++", cuda = "CUDA";
  return language == Language::cuda ? cuda : c;
}

// What the compiler proper reads after preprocessing: a .c and the .i made from it are the same
// input, and .S is plain assembler once preprocessed.
std::string_view key_name(Language language) {
  switch (language) {
    case Language::c:
    case Language::c_preprocessed:
      return "cpp-output";
    case Language::cxx:
    case Language::cxx_preprocessed:
      return "c++-cpp-output";
    case Language::objc:
    case Language::objc_preprocessed:
      return "objective-c-cpp-output";
    case Language::objcxx:
    case Language::objcxx_preprocessed:
      return "objective-c++-cpp-output";
    case Language::assembler:
    case Language::assembler_with_cpp:
      return "assembler";
    case Language::cuda:  // (host and device sides, as clang -E prints them)
      return "cuda-cpp-output";
  }
  return "cpp-output";
}

}  // namespace sccache::compiler::c_family
