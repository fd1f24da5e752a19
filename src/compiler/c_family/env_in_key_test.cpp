#include "compiler/c_family/env_in_key.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler::c_family {
namespace {

TEST(EnvInKey, KeepsOnlyVariablesThatChangeTheOutput) {
  std::vector<std::pair<std::string, std::string>> env = {
      {"HOME", "/root"},         {"SCCACHE_C_CUSTOM_CACHE_BUSTER", "v2"},
      {"PATH", "/usr/bin"},      {"SOURCE_DATE_EPOCH", "1"},
      {"CPATH", "/opt/include"}, {"TERM", "xterm"},
  };
  auto kept = env_in_key(env);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].first, "SCCACHE_C_CUSTOM_CACHE_BUSTER");
  EXPECT_EQ(kept[1].first, "SOURCE_DATE_EPOCH");
  EXPECT_EQ(kept[2].first, "CPATH");
}

TEST(EnvInKey, DependencyOutputVariablesBlockCaching) {
  EXPECT_EQ(env_blocking_cache({{"PATH", "/bin"}}), "");
  EXPECT_EQ(env_blocking_cache({{"DEPENDENCIES_OUTPUT", "a.d"}}), "DEPENDENCIES_OUTPUT");
  EXPECT_EQ(env_blocking_cache({{"SUNPRO_DEPENDENCIES", "a.d"}}), "SUNPRO_DEPENDENCIES");
}

}  // namespace
}  // namespace sccache::compiler::c_family
