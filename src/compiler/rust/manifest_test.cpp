#include "compiler/rust/manifest.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "util/temp_dir.hpp"

namespace sccache::compiler::rust {
namespace {

namespace fs = std::filesystem;

ManifestResult sample() {
  ManifestResult r;
  r.sources = {{"src/lib.rs", std::string(64, 'a')}, {"/reg/x/src/m.rs", std::string(64, 'b')}};
  r.env = {{"FOO", "1"}, {"UNSET", std::nullopt}, {"EMPTY", ""}};
  r.link_inputs = {{"/usr/lib/crt1.o", std::string(64, 'c')}};
  r.absent = {"src/lib/mod.rs"};
  return r;
}

TEST(RustManifest, RoundTripsAndRefusesEveryTruncation) {
  Manifest m;
  add_result(m, sample());
  add_result(m, ManifestResult{});
  auto bytes = encode_manifest(m);
  auto back = decode_manifest(bytes);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, m);
  for (std::size_t n = 0; n < bytes.size(); ++n)
    EXPECT_FALSE(decode_manifest(bytes.substr(0, n))) << n;
  EXPECT_FALSE(decode_manifest(bytes + "x"));
  auto huge = bytes;
  huge[8] = '\x7f';  // a count of results no input can hold
  EXPECT_FALSE(decode_manifest(huge));
}

TEST(RustManifest, NewestFirstWithoutDuplicatesAndBounded) {
  Manifest m;
  for (int i = 0; i < 20; ++i) {
    ManifestResult r;
    r.sources = {{"a.rs", std::to_string(i)}};
    add_result(m, r);
  }
  add_result(m, m.results.back());
  ASSERT_EQ(m.results.size(), k_max_manifest_results);
  EXPECT_EQ(m.results[0].sources[0].second, "4");
  EXPECT_EQ(m.results[1].sources[0].second, "19");
}

TEST(RustManifest, ModuleTwinsAreTheOtherFileAModuleCouldBe) {
  EXPECT_EQ(
      module_twins({"src/lib.rs", "src/net.rs", "src/net/mod.rs", "src/io/mod.rs", "README.md"}),
      (std::vector<std::string>{"src/io.rs", "src/lib/mod.rs"}));
  // (src/net.rs and src/net/mod.rs both listed: one is an include!, nothing to watch for it)
  EXPECT_EQ(module_twins({"src/net.rs", "src/net/mod.rs"}), std::vector<std::string>{});
}

class RustManifestFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(m_dir.path() / "src");
    write("src/lib.rs", "mod m;\n");
    write("src/m.rs", "pub fn f() {}\n");
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(m_dir.path() / name) << text;
  }
  ManifestResult recorded() {
    ManifestResult r;
    for (const char* name : {"src/lib.rs", "src/m.rs"})
      r.sources.emplace_back(name, m_memo.digest(m_dir.path() / name)->sha256);
    r.env = {{"FOO", "1"}, {"BAR", std::nullopt}};
    r.absent = module_twins({"src/lib.rs", "src/m.rs"});
    return r;
  }
  bool matches(const ManifestResult& r) {
    return still_matches(
        r, m_dir.path().string(), {},
        [&](const std::string& name) {
          auto it = m_env.find(name);
          return it == m_env.end() ? std::nullopt : std::optional<std::string>(it->second);
        },
        m_memo);
  }
  util::TempDir m_dir = *util::TempDir::create("rust-manifest-");
  hash::FileMemo m_memo{1000, true};
  std::map<std::string, std::string> m_env{{"FOO", "1"}};
};

TEST_F(RustManifestFiles, MatchesUntilASourceAVariableOrAModuleTwinChanges) {
  auto r = recorded();
  EXPECT_TRUE(matches(r));
  m_env["BAR"] = "";  // option_env! of a variable now set
  EXPECT_FALSE(matches(r));
  m_env.erase("BAR");
  m_env["FOO"] = "2";
  EXPECT_FALSE(matches(r));
  m_env["FOO"] = "1";
  fs::create_directories(m_dir.path() / "src/m");
  write("src/m/mod.rs", "");
  EXPECT_FALSE(matches(r));
  fs::remove(m_dir.path() / "src/m/mod.rs");
  EXPECT_TRUE(matches(r));
  write("src/m.rs", "pub fn g() {}\n");
  EXPECT_FALSE(matches(r));
}

// Relative names are taken in the current directory: the same crate at another path matches.
TEST_F(RustManifestFiles, AnotherCheckoutWithTheSameFilesMatches) {
  auto r = recorded();
  util::TempDir other = *util::TempDir::create("rust-manifest-");
  fs::copy(m_dir.path() / "src", other.path() / "src");
  EXPECT_TRUE(still_matches(
      r, other.path().string(), {},
      [](const std::string& n) {
        return n == "FOO" ? std::optional<std::string>("1") : std::nullopt;
      },
      m_memo));
  std::ofstream(other.path() / "src/m.rs") << "changed\n";
  EXPECT_FALSE(still_matches(
      r, other.path().string(), {},
      [](const std::string& n) {
        return n == "FOO" ? std::optional<std::string>("1") : std::nullopt;
      },
      m_memo));
}

TEST_F(RustManifestFiles, DependencyCratesAreFoundInTheCurrentDependencyDirectories) {
  fs::create_directories(m_dir.path() / "deps1");
  fs::create_directories(m_dir.path() / "deps2");
  write("deps2/libx-1.rlib", "rlib");
  ManifestResult r;
  r.link_inputs = {{std::string(k_dependency_dir) + "libx-1.rlib",
                    m_memo.digest(m_dir.path() / "deps2/libx-1.rlib")->sha256}};
  auto none = [](const std::string&) { return std::optional<std::string>(); };
  EXPECT_TRUE(still_matches(r, m_dir.path().string(), {"deps1", "deps2"}, none, m_memo));
  EXPECT_FALSE(still_matches(r, m_dir.path().string(), {"deps1"}, none, m_memo));
  write("deps1/libx-1.rlib", "another rlib");  // found first now
  EXPECT_FALSE(still_matches(r, m_dir.path().string(), {"deps1", "deps2"}, none, m_memo));
}

}  // namespace
}  // namespace sccache::compiler::rust
