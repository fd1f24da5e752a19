#include "util/fs.hpp"
#include "util/temp_dir.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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

class BeneathADirectory : public WriteFileAtomic {
 protected:
  UniqueFd root() { return UniqueFd(::open(m_dir.c_str(), O_RDONLY | O_DIRECTORY)); }
  util::TempDir m_outside_dir = util::TempDir::create_or_throw("sccache-fs-outside-");
  fs::path m_outside = m_outside_dir.path();
};

TEST_F(BeneathADirectory, LinksAreNeitherFollowedNorWrittenThrough) {
  auto dir = root();
  { std::ofstream(m_outside / "target") << "outside"; }
  fs::create_symlink(m_outside / "target", m_dir / "file");
  fs::create_symlink(m_outside, m_dir / "sub");
  EXPECT_FALSE(open_file_at(dir.get(), "file"));
  EXPECT_FALSE(open_dir_at(dir.get(), "sub"));
  ASSERT_TRUE(write_file_atomic_at(dir.get(), "file", "inside", 0600));
  EXPECT_FALSE(fs::is_symlink(m_dir / "file"));
  EXPECT_EQ(*read_file(m_dir / "file"), "inside");
  EXPECT_EQ(*read_file(m_outside / "target"), "outside");
  auto made = make_dir_at(dir.get(), "sub", 0750);  // the link goes, a directory comes
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_TRUE(fs::is_directory(fs::symlink_status(m_dir / "sub")));
  EXPECT_EQ(mode_of(m_dir / "sub"), 0750u);
  EXPECT_TRUE(fs::exists(m_outside / "target"));
}

TEST_F(BeneathADirectory, MissingIsNulloptAndAFifoIsAnErrorAtOnce) {
  auto dir = root();
  auto missing = open_file_at(dir.get(), "none");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
  ASSERT_EQ(::mkfifo((m_dir / "fifo").c_str(), 0600), 0);
  EXPECT_FALSE(open_file_at(dir.get(), "fifo"));
  auto none = open_dir_at(dir.get(), "none");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_F(BeneathADirectory, ModesAreExactWhateverTheUmask) {
  auto dir = root();
  mode_t mask = ::umask(077);
  ASSERT_TRUE(write_file_atomic_at(dir.get(), "shared", "x", 0664));
  ASSERT_TRUE(make_dir_at(dir.get(), "d", 0775));
  auto user = open_user_dir(m_dir / "a" / "b", true, 0770);
  ::umask(mask);
  ASSERT_TRUE(user && *user);
  EXPECT_EQ(mode_of(m_dir / "shared"), 0664u);
  EXPECT_EQ(mode_of(m_dir / "d"), 0775u);
  EXPECT_EQ(mode_of(m_dir / "a"), 0770u);
  EXPECT_EQ(mode_of(m_dir / "a" / "b"), 0770u);
  auto slash = open_user_dir(m_dir.string() + "/c/d/", true, 0700);
  ASSERT_TRUE(slash && *slash) << (slash ? "" : slash.error().message);
  EXPECT_EQ(mode_of(m_dir / "c" / "d"), 0700u);
  auto absent = open_user_dir(m_dir / "x", false, 0700);
  ASSERT_TRUE(absent);
  EXPECT_FALSE(*absent);
}

TEST_F(BeneathADirectory, ASharedParentsSetGroupIdIsKept) {
  ASSERT_EQ(::chmod(m_dir.c_str(), 02770), 0);
  auto dir = root();
  ASSERT_TRUE(make_dir_at(dir.get(), "shard", 0770));
  EXPECT_EQ(mode_of(m_dir / "shard"), 02770u);
}

TEST_F(BeneathADirectory, ReadFdIsCappedBeforeReading) {
  { std::ofstream(m_dir / "f") << "12345"; }
  UniqueFd fd(::open((m_dir / "f").c_str(), O_RDONLY));
  auto capped = read_fd(fd.get(), 5, 4);
  ASSERT_FALSE(capped);
  EXPECT_EQ(capped.error().code, ErrorCode::too_large);
  UniqueFd grown(::open((m_dir / "f").c_str(), O_RDONLY));  // longer than fstat said
  EXPECT_FALSE(read_fd(grown.get(), 3, 4));
  UniqueFd again(::open((m_dir / "f").c_str(), O_RDONLY));
  EXPECT_EQ(*read_fd(again.get(), 5, 5), "12345");
  auto file = open_file_at(root().get(), "f");
  ASSERT_TRUE(file && *file);
  EXPECT_EQ((*file)->size, 5u);
  EXPECT_EQ((*file)->links, 1u);
}

class Outputs : public WriteFileAtomic {
 protected:
  // An existing output with mode 0640 (the tests run as root: chown to another user is allowed).
  fs::path existing(const std::string& name) {
    auto path = m_dir / name;
    { std::ofstream(path) << "old"; }
    ::chmod(path.c_str(), 0640);
    if (::geteuid() == 0) {
      EXPECT_EQ(::chown(path.c_str(), 12345, 12345), 0);
    }
    return path;
  }
  struct stat stat_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0);
    return st;
  }
  Result<void> write(const fs::path& p, std::string_view data, OutputWrite how) {
    auto out = OutputFile::open(p, how);
    if (!out) return tl::make_unexpected(out.error());
    auto written = out->write(data);
    return written ? out->commit() : written;
  }
};

TEST_F(Outputs, ReplacedIsANewFileOfOursWithTheUmasksMode) {
  auto path = existing("a.o");
  auto inode = stat_of(path).st_ino;
  mode_t mask = ::umask(022);
  ASSERT_TRUE(write(path, "new", OutputWrite::replace));
  ::umask(mask);
  auto st = stat_of(path);
  EXPECT_NE(st.st_ino, inode);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_EQ(st.st_uid, ::geteuid());
  EXPECT_EQ(*read_file(path), "new");
  EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator{}), 1);
}

TEST_F(Outputs, AnExecutableIsReplacedWithTheUmasksExecutableMode) {
  auto path = existing("build_script_build");
  mode_t mask = ::umask(027);
  ASSERT_TRUE(write(path, "#!/bin/sh\n", OutputWrite::replace_executable));
  ::umask(mask);
  EXPECT_EQ(stat_of(path).st_mode & 07777, 0750u);
}

TEST_F(Outputs, InPlaceKeepsTheFileItsOwnerAndMode) {
  auto path = existing("a.d");
  auto before = stat_of(path);
  ASSERT_TRUE(write(path, "a.o: a.c\n", OutputWrite::in_place));
  auto st = stat_of(path);
  EXPECT_EQ(st.st_ino, before.st_ino);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_uid, before.st_uid);
  EXPECT_EQ(*read_file(path), "a.o: a.c\n");
  mode_t mask = ::umask(027);
  ASSERT_TRUE(write(m_dir / "new.d", "x", OutputWrite::in_place));
  ::umask(mask);
  EXPECT_EQ(stat_of(m_dir / "new.d").st_mode & 07777, 0640u);
}

TEST_F(Outputs, NoDirectoryIsMadeAndAnUncommittedFileNeverAppears) {
  EXPECT_FALSE(OutputFile::open(m_dir / "missing" / "a.o", OutputWrite::replace));
  EXPECT_FALSE(OutputFile::open(m_dir / "missing" / "a.d", OutputWrite::in_place));
  EXPECT_FALSE(fs::exists(m_dir / "missing"));
  {
    auto out = OutputFile::open(m_dir / "a.o", OutputWrite::replace);
    ASSERT_TRUE(out);
    ASSERT_TRUE(out->write("half"));
  }
  EXPECT_TRUE(fs::is_empty(m_dir));
}

TEST_F(Outputs, ReplaceWritableRefusesAFileWeMayNotWrite) {
  auto path = m_dir / "ro.o";
  { std::ofstream(path) << "old"; }
  ::chmod(path.c_str(), 0444);
  auto ro = OutputFile::open(path, OutputWrite::replace_writable);
  if (::geteuid() == 0) {
    EXPECT_TRUE(ro);  // root may write anything: access() says so, and clang goes ahead too
  } else {
    EXPECT_FALSE(ro);
  }
  EXPECT_TRUE(OutputFile::open(m_dir / "new.o", OutputWrite::replace_writable));
}

}  // namespace
}  // namespace sccache::util
