#include "util/private_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "util/temp_dir.hpp"

namespace sccache::util {
namespace {

mode_t mode_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0);
  return st.st_mode & 07777;
}

TEST(PrivateDir, MadeOrNarrowedTo0700) {
  auto tmp = TempDir::create_or_throw("sccache-private-");
  auto dir = tmp.path() / "s";
  ASSERT_TRUE(ensure_private_dir(dir.string()));
  EXPECT_EQ(mode_of(dir), 0700u);
  ::chmod(dir.c_str(), 0777);
  ASSERT_TRUE(ensure_private_dir(dir.string()));
  EXPECT_EQ(mode_of(dir), 0700u);
}

TEST(PrivateDir, ASymlinkOrAFileIsRefused) {
  auto tmp = TempDir::create_or_throw("sccache-private-");
  std::filesystem::create_directory(tmp.path() / "target");
  std::filesystem::create_directory_symlink(tmp.path() / "target", tmp.path() / "link");
  auto linked = ensure_private_dir((tmp.path() / "link").string());
  ASSERT_FALSE(linked);
  EXPECT_NE(linked.error().message.find("not a directory"), std::string::npos);
  std::ofstream(tmp.path() / "file") << "x";
  EXPECT_FALSE(ensure_private_dir((tmp.path() / "file").string()));
}

TEST(PrivateDir, AnotherUsersDirectoryIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a directory away";
  auto tmp = TempDir::create_or_throw("sccache-private-");
  auto dir = tmp.path() / "theirs";
  std::filesystem::create_directory(dir);
  ASSERT_EQ(::chown(dir.c_str(), 65534, 65534), 0);
  auto r = ensure_private_dir(dir.string());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("belongs to uid 65534"), std::string::npos);
}

TEST(PrivateDir, MakeDirectoriesMakesTheMissingOnes) {
  auto tmp = TempDir::create_or_throw("sccache-private-");
  auto deep = tmp.path() / "a" / "b" / "c";
  ASSERT_TRUE(make_directories(deep.string()));
  EXPECT_TRUE(std::filesystem::is_directory(deep));
  EXPECT_EQ(mode_of(tmp.path() / "a"), 0700u);
  EXPECT_TRUE(make_directories(deep.string()));  // all there: fine
}

}  // namespace
}  // namespace sccache::util
