#include "util/fs.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

namespace sccache::util {
namespace {

namespace fs = std::filesystem;

class WriteFileAtomic : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/sccache-fs-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    m_dir = dir;
  }
  void TearDown() override { fs::remove_all(m_dir); }
  std::uint32_t mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  fs::path m_dir;
};

TEST_F(WriteFileAtomic, ReplacesTheOldContentAndLeavesNoTemporaryFile) {
  auto path = m_dir / "out.o";
  ASSERT_TRUE(write_file_atomic(path, "old"));
  ASSERT_TRUE(write_file_atomic(path, "new content"));
  EXPECT_EQ(*read_file(path), "new content");
  EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator{}), 1);
}

TEST_F(WriteFileAtomic, CreatesMissingParentDirectories) {
  auto path = m_dir / "a" / "b" / "entry";
  ASSERT_TRUE(write_file_atomic(path, "x"));
  EXPECT_EQ(*read_file(path), "x");
}

TEST_F(WriteFileAtomic, ModeIsTheUmaskedOneOrExactlyTheGivenOne) {
  mode_t mask = ::umask(022);
  ASSERT_TRUE(write_file_atomic(m_dir / "umasked", "x", 0666, true));
  ASSERT_TRUE(write_file_atomic(m_dir / "exact", "x", 0664, false));
  ::umask(mask);
  EXPECT_EQ(mode_of(m_dir / "umasked"), 0644u);
  EXPECT_EQ(mode_of(m_dir / "exact"), 0664u);
}

}  // namespace
}  // namespace sccache::util
