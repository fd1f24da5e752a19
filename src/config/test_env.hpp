#pragma once
// For the config tests: an environment of exactly these variables.
#include <map>
#include <string>

#include "config/config.hpp"

namespace sccache::config {

inline EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

}  // namespace sccache::config
