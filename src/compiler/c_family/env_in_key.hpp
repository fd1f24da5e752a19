#pragma once
// Which environment variables reach a compile's output, so the cache key must include them.
#include <string>
#include <utility>
#include <vector>

namespace sccache::compiler::c_family {

// The variables of `env` ("NAME=value" pairs) that change what the compiler produces or prints.
std::vector<std::pair<std::string, std::string>> env_in_key(
    const std::vector<std::pair<std::string, std::string>>& env);

// A variable whose presence makes the compile write files we do not cache (gcc's
// DEPENDENCIES_OUTPUT / SUNPRO_DEPENDENCIES); empty when none is set.
std::string env_blocking_cache(const std::vector<std::pair<std::string, std::string>>& env);

}  // namespace sccache::compiler::c_family
