#include "util/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

namespace sccache::util {
namespace {

TEST(TempDir, IsPrivateAndGoesAwayWithEverythingInIt) {
  std::filesystem::path where;
  {
    auto dir = TempDir::create("sccache-tempdir-test-");
    ASSERT_TRUE(dir) << dir.error().message;
    where = dir->path();
    struct stat st {};
    ASSERT_EQ(::stat(where.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    std::filesystem::create_directories(where / "a" / "b");
    std::ofstream(where / "a" / "b" / "f") << "x";
  }
  EXPECT_FALSE(std::filesystem::exists(where));
}

TEST(TempDir, AMovedDirectoryBelongsToItsNewOwner) {
  auto first = TempDir::create_or_throw("sccache-tempdir-test-");
  auto where = first.path();
  {
    TempDir second = std::move(first);
    EXPECT_EQ(second.path(), where);
    EXPECT_TRUE(std::filesystem::exists(where));
  }
  EXPECT_FALSE(std::filesystem::exists(where));
}

}  // namespace
}  // namespace sccache::util
