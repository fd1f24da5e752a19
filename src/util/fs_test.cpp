#include "util/fs.hpp"
#include "util/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

namespace sccache::util {
namespace {

namespace fs = std::filesystem;

class WriteFileAtomic : public ::testing::Test {
 protected:
  std::uint32_t mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  util::TempDir m_tmp = util::TempDir::create_or_throw("sccache-fs-");
  fs::path m_dir = m_tmp.path();
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
