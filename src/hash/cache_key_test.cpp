#include "hash/cache_key.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace sccache::hash {
namespace {

struct Fixture {
  std::vector<std::string> args{"-O2", "-DX=1"};
  KeyInputs inputs() const {
    KeyInputs k;
    k.compiler_identity = "compiler-id";
    k.language = "c";
    k.hashed_args = &args;
    k.preprocessed = "int x;\n";
    k.working_dir = "";
    k.diagnostics = "plain";
    k.env = {{"SCCACHE_C_CUSTOM_CACHE_BUSTER", "1"}, {"LANG", "C"}};
    return k;
  }
};

TEST(CacheKey, GoldenKeyPinsTheRecipe) {
  // A deliberate change of the recipe must update this literal (and bump k_key_format_version).
  // key-2: precompiled headers enter the key (entries stored before could hold objects built from
  // a stale PCH under the key of the header text alone).
  // key-3: the output's path (split DWARF, profiling) and the form of the stored diagnostics
  // (coloured or plain); entries may now hold a .dwo or a .gcno.
  Fixture f;
  EXPECT_EQ(compute_cache_key(f.inputs()),
            "cda12a163871dbee8c60e23dfa4a7226ce055aeb6c015345174e390be22b316e");
}

TEST(CacheKey, EveryFieldChangesTheKey) {
  Fixture f;
  const std::string base = compute_cache_key(f.inputs());
  std::vector<std::string> other_args{"-O2", "-DX=2"};
  std::vector<std::string> reordered{"-DX=1", "-O2"};
  std::vector<std::function<void(KeyInputs&)>> changes = {
      [](KeyInputs& k) { k.compiler_identity = "other"; },
      [](KeyInputs& k) { k.language = "c++"; },
      [&](KeyInputs& k) { k.hashed_args = &other_args; },
      [&](KeyInputs& k) { k.hashed_args = &reordered; },
      [](KeyInputs& k) { k.preprocessed = "int y;\n"; },
      [](KeyInputs& k) { k.working_dir = "/src"; },
      [](KeyInputs& k) { k.output_path = "out/a.o"; },
      [](KeyInputs& k) { k.diagnostics = "colour"; },
      [](KeyInputs& k) { k.env[0].second = "2"; },
      [](KeyInputs& k) { k.env.pop_back(); },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    KeyInputs k = f.inputs();
    changes[i](k);
    EXPECT_NE(compute_cache_key(k), base) << "change " << i;
  }
}

TEST(CacheKey, EnvironmentOrderDoesNotMatter) {
  Fixture f;
  KeyInputs k = f.inputs();
  std::swap(k.env[0], k.env[1]);
  EXPECT_EQ(compute_cache_key(k), compute_cache_key(f.inputs()));
  EXPECT_EQ(compute_cache_key(f.inputs()).size(), 64u);
}

}  // namespace
}  // namespace sccache::hash
