#include "compiler/c_family/env_in_key.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace sccache::compiler::c_family {

namespace {

// Why each is here:
constexpr std::array<std::string_view, 19> k_key_vars = {
    "SCCACHE_C_CUSTOM_CACHE_BUSTER",  // the user's explicit way to split caches
    "MACOSX_DEPLOYMENT_TARGET",       // clang: target OS version (Mozilla hashes these too)
    "IPHONEOS_DEPLOYMENT_TARGET",
    "TVOS_DEPLOYMENT_TARGET",
    "WATCHOS_DEPLOYMENT_TARGET",
    "SDKROOT",
    "CCC_OVERRIDE_OPTIONS",  // clang rewrites its own arguments from this
    "GCC_COMPARE_DEBUG",     // gcc: changes code generation checks
    "GCC_EXEC_PREFIX",       // gcc: which cc1/as run
    "COMPILER_PATH",         // gcc: which subprograms run
    "CPATH",                 // include search path (also visible in the -E output)
    "C_INCLUDE_PATH",
    "CPLUS_INCLUDE_PATH",
    "OBJC_INCLUDE_PATH",
    "SOURCE_DATE_EPOCH",  // value of __DATE__/__TIME__
    "LANG",               // language of diagnostics replayed from the cache
    "LC_ALL",
    "LC_MESSAGES",
    "GCC_COLORS",  // gcc: the colours of diagnostics replayed from the cache (empty: none)
};

}  // namespace

std::vector<std::pair<std::string, std::string>> env_in_key(
    const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : env) {
    if (std::find(k_key_vars.begin(), k_key_vars.end(), name) != k_key_vars.end()) {
      out.emplace_back(name, value);
    }
  }
  return out;
}

std::string env_blocking_cache(const std::vector<std::pair<std::string, std::string>>& env) {
  for (const auto& [name, value] : env) {
    if (name == "DEPENDENCIES_OUTPUT" || name == "SUNPRO_DEPENDENCIES") return name;
  }
  return {};
}

}  // namespace sccache::compiler::c_family
