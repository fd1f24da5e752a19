#include "storage/disk_storage.hpp"
#include "util/temp_dir.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "util/fs.hpp"

namespace sccache::storage {
namespace {

namespace fs = std::filesystem;

std::string key_of(int n) {
  std::string k = std::to_string(n);
  return std::string(64 - k.size(), 'a') + k;
}

class DiskStorageTest : public ::testing::Test {
 protected:
  fs::path path_of(const std::string& key) {
    return m_dir / key.substr(0, 1) / key.substr(1, 1) / key;
  }
  void set_age(const std::string& key, time_t seconds) {
    timespec times[2] = {{seconds, 0}, {seconds, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, path_of(key).c_str(), times, 0), 0);
  }
  std::unique_ptr<Storage> open_storage(std::uint64_t max_size) {
    auto s = make_disk_storage(m_dir, max_size);
    s->warm_up();
    return s;
  }
  std::uint32_t mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
  }
  // A file outside the cache with an old mtime, for links planted inside to point at.
  fs::path outside_file(const std::string& name, const std::string& content) {
    auto path = m_outside.path() / name;
    { std::ofstream(path) << content; }
    timespec old[2] = {{1000, 0}, {1000, 0}};
    EXPECT_EQ(::utimensat(AT_FDCWD, path.c_str(), old, 0), 0);
    return path;
  }
  std::int64_t mtime_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mtim.tv_sec;
  }
  util::TempDir m_tmp = util::TempDir::create_or_throw("sccache-disk-");
  util::TempDir m_outside = util::TempDir::create_or_throw("sccache-outside-");
  fs::path m_dir = m_tmp.path();
};

TEST_F(DiskStorageTest, MissThenPutThenHit) {
  auto s = open_storage(1 << 20);
  auto miss = s->get(key_of(1));
  ASSERT_TRUE(miss);
  EXPECT_FALSE(*miss);
  ASSERT_TRUE(s->put(key_of(1), "blob"));
  auto hit = s->get(key_of(1));
  ASSERT_TRUE(hit && *hit);
  EXPECT_EQ(**hit, "blob");
  EXPECT_EQ(s->current_size(), 4u);
  EXPECT_EQ(s->max_size(), 1u << 20);
  EXPECT_EQ(s->location(), "Local disk: \"" + m_dir.string() + "\"");
}

TEST_F(DiskStorageTest, LayoutIsTwoLevelsOfKeyCharacters) {
  auto s = open_storage(1 << 20);
  const std::string key = "3f" + std::string(62, '0');
  ASSERT_TRUE(s->put(key, "blob"));
  std::vector<fs::path> files;
  for (auto& e : fs::recursive_directory_iterator(m_dir)) {
    if (e.is_regular_file()) files.push_back(fs::relative(e.path(), m_dir));
  }
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0], fs::path("3") / "f" / key);
}

TEST_F(DiskStorageTest, ReopenedStorageFindsEntriesAndSizes) {
  {
    auto s = open_storage(1 << 20);
    ASSERT_TRUE(s->put(key_of(1), "one"));
    ASSERT_TRUE(s->put(key_of(2), std::string(1000, 'x')));
  }
  auto s = open_storage(1 << 20);
  EXPECT_EQ(s->current_size(), 1003u);
  auto hit = s->get(key_of(1));
  ASSERT_TRUE(hit && *hit);
  EXPECT_EQ(**hit, "one");
  s->remove(key_of(2));
  EXPECT_EQ(s->current_size(), 3u);
}

TEST_F(DiskStorageTest, EntryDeletedBehindItsBackIsAMissAndUncounted) {
  auto s = open_storage(1 << 20);
  ASSERT_TRUE(s->put(key_of(1), "12345"));
  ASSERT_TRUE(s->put(key_of(2), "123"));
  fs::remove(path_of(key_of(1)));
  auto miss = s->get(key_of(1));
  ASSERT_TRUE(miss);
  EXPECT_FALSE(*miss);
  EXPECT_EQ(s->current_size(), 3u);
}

TEST_F(DiskStorageTest, OverwriteAndRemoveKeepSizesRight) {
  auto s = open_storage(1 << 20);
  ASSERT_TRUE(s->put(key_of(1), "12345"));
  ASSERT_TRUE(s->put(key_of(1), "12"));
  ASSERT_TRUE(s->put(key_of(2), "123"));
  EXPECT_EQ(s->current_size(), 5u);
  s->remove(key_of(1));
  EXPECT_EQ(s->current_size(), 3u);
  EXPECT_FALSE(*s->get(key_of(1)));
}

TEST_F(DiskStorageTest, EvictsLeastRecentlyUsedFirst) {
  auto s = open_storage(1000);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(s->put(key_of(i), std::string(200, 'x')));
  // Reopen with explicit ages: entry 2 oldest, then 0, then 3, then 1.
  set_age(key_of(2), 1000);
  set_age(key_of(0), 2000);
  set_age(key_of(3), 3000);
  set_age(key_of(1), 4000);
  s = open_storage(1000);
  EXPECT_EQ(s->current_size(), 800u);
  ASSERT_TRUE(s->put(key_of(9), std::string(500, 'y')));  // 1300 > 1000: evict down to 900
  EXPECT_FALSE(fs::exists(path_of(key_of(2))));
  EXPECT_FALSE(fs::exists(path_of(key_of(0))));
  EXPECT_TRUE(fs::exists(path_of(key_of(3))));
  EXPECT_TRUE(fs::exists(path_of(key_of(1))));
  EXPECT_TRUE(fs::exists(path_of(key_of(9))));
  EXPECT_EQ(s->current_size(), 900u);
}

TEST_F(DiskStorageTest, ReadingAnEntryMakesItRecent) {
  auto s = open_storage(1000);
  ASSERT_TRUE(s->put(key_of(1), std::string(400, 'x')));
  ASSERT_TRUE(s->put(key_of(2), std::string(400, 'x')));
  set_age(key_of(1), 1000);
  set_age(key_of(2), 2000);
  s = open_storage(1000);
  ASSERT_TRUE(s->get(key_of(1)));  // 1 is now the most recent
  ASSERT_TRUE(s->put(key_of(3), std::string(400, 'x')));
  EXPECT_TRUE(fs::exists(path_of(key_of(1))));
  EXPECT_FALSE(fs::exists(path_of(key_of(2))));
}

TEST_F(DiskStorageTest, EntryLargerThanTheCacheIsSkipped) {
  auto s = open_storage(10);
  ASSERT_TRUE(s->put(key_of(1), std::string(11, 'x')));
  EXPECT_FALSE(*s->get(key_of(1)));
  EXPECT_EQ(s->current_size(), 0u);
}

TEST_F(DiskStorageTest, InvalidKeysAreRejected) {
  auto s = open_storage(1000);
  EXPECT_FALSE(s->put("../../etc/passwd", "x"));
  EXPECT_FALSE(s->get("ab/cd"));
  EXPECT_FALSE(s->put("", "x"));
  EXPECT_FALSE(s->put(std::string(60, 'a') + ".tmp", "x"));
  EXPECT_FALSE(s->put(std::string(63, 'A') + "0", "x"));
  auto invalid = s->get("..");
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, util::ErrorCode::invalid);
  s->remove("../x");  // ignored
  EXPECT_TRUE(fs::is_empty(m_dir));
}

TEST_F(DiskStorageTest, WritesLeaveNoTemporaryFilesAndStaleOnesAreSwept) {
  auto s = open_storage(1 << 20);
  ASSERT_TRUE(s->put(key_of(1), "x"));
  fs::path stale = path_of(key_of(1)).string() + ".tmp.1.2";
  { std::ofstream(stale) << "half"; }
  timespec old[2] = {{1000, 0}, {1000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, stale.c_str(), old, 0), 0);
  s = open_storage(1 << 20);
  EXPECT_FALSE(fs::exists(stale));
  int files = 0;
  for (auto& e : fs::recursive_directory_iterator(m_dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
  EXPECT_EQ(s->current_size(), 1u);
}

TEST_F(DiskStorageTest, WorksBeforeTheIndexIsBuiltAndCountsOnce) {
  auto first = open_storage(1 << 20);
  ASSERT_TRUE(first->put(key_of(1), "old"));
  auto s = make_disk_storage(m_dir, 1 << 20);  // not warmed up yet
  auto hit = s->get(key_of(1));
  ASSERT_TRUE(hit && *hit);
  ASSERT_TRUE(s->put(key_of(2), "new!"));
  s->warm_up();
  EXPECT_EQ(s->current_size(), 7u);
}

TEST_F(DiskStorageTest, ConcurrentPutsAndGetsStayConsistent) {
  auto s = open_storage(1 << 30);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string key = key_of(i);
        ASSERT_TRUE(s->put(key, std::string(100 + i, 'a' + (i % 26))));
        auto got = s->get(key_of((i + t) % 50));
        ASSERT_TRUE(got);
        if (*got) {
          EXPECT_EQ((*got)->size(), 100u + static_cast<unsigned>((i + t) % 50));
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  std::uint64_t expected = 0;
  for (int i = 0; i < 50; ++i) expected += 100 + i;
  EXPECT_EQ(s->current_size(), expected);
}

TEST_F(DiskStorageTest, ModesAreTheCacheUmasksWhateverTheProcessUmask) {
  mode_t saved = ::umask(077);
  auto fresh = m_dir / "fresh" / "cache";
  auto shared = make_disk_storage(fresh, 1 << 20, 002);
  ASSERT_TRUE(shared->put(key_of(1), "x"));
  ::umask(saved);
  EXPECT_EQ(mode_of(m_dir / "fresh"), 0775u);  // a missing parent too
  EXPECT_EQ(mode_of(fresh), 0775u);
  EXPECT_EQ(mode_of(fresh / "a"), 0775u);
  EXPECT_EQ(mode_of(fresh / "a" / "a"), 0775u);
  EXPECT_EQ(mode_of(fresh / "a" / "a" / key_of(1)), 0664u);
  auto priv = make_disk_storage(m_dir / "private", 1 << 20);  // the default: 077
  ASSERT_TRUE(priv->put(key_of(1), "x"));
  EXPECT_EQ(mode_of(m_dir / "private"), 0700u);
  EXPECT_EQ(mode_of(m_dir / "private" / "a" / "a"), 0700u);
  EXPECT_EQ(mode_of(m_dir / "private" / "a" / "a" / key_of(1)), 0600u);
}

TEST_F(DiskStorageTest, ALinkInAnEntrysPlaceIsNotFollowed) {
  auto s = open_storage(1 << 20);
  ASSERT_TRUE(s->put(key_of(1), "blob"));
  auto secret = outside_file("secret", "outside");
  fs::remove(path_of(key_of(1)));
  fs::create_symlink(secret, path_of(key_of(1)));
  auto read = s->get(key_of(1));
  EXPECT_FALSE(read);  // an error (counted as a read error), not the outside file's content
  EXPECT_EQ(mtime_of(secret), 1000);  // not touched
  s->remove(key_of(1));               // removes the link, not its target
  EXPECT_FALSE(fs::is_symlink(path_of(key_of(1))));
  fs::create_symlink(secret, path_of(key_of(1)));
  ASSERT_TRUE(s->put(key_of(1), "new"));  // replaces the link
  EXPECT_FALSE(fs::is_symlink(path_of(key_of(1))));
  EXPECT_EQ(**s->get(key_of(1)), "new");
  EXPECT_EQ(*util::read_file(secret), "outside");
  EXPECT_EQ(mtime_of(secret), 1000);
}

TEST_F(DiskStorageTest, ALinkInAShardsPlaceIsNotFollowedAndIsReplaced) {
  auto s = open_storage(1 << 20);
  ASSERT_TRUE(s->put(key_of(1), "blob"));
  // The shard directory moved outside, a link left in its place: reads, writes and removals must
  // not go through it.
  auto moved = m_outside.path() / "shard";
  fs::rename(m_dir / "a" / "a", moved);
  fs::create_symlink(moved, m_dir / "a" / "a");
  auto inside_before = mtime_of(moved / key_of(1));
  EXPECT_FALSE(s->get(key_of(1)));
  s->remove(key_of(1));
  EXPECT_TRUE(fs::exists(moved / key_of(1)));
  ASSERT_TRUE(s->put(key_of(1), "new"));
  EXPECT_TRUE(fs::is_directory(fs::symlink_status(m_dir / "a" / "a")));  // a real one again
  EXPECT_EQ(*util::read_file(moved / key_of(1)), "blob");
  EXPECT_EQ(mtime_of(moved / key_of(1)), inside_before);
  EXPECT_EQ(std::distance(fs::directory_iterator(moved), fs::directory_iterator{}), 1);
  EXPECT_EQ(**s->get(key_of(1)), "new");
}

TEST_F(DiskStorageTest, EvictionDoesNotRemoveThroughAPlantedLink) {
  auto s = open_storage(1000);
  ASSERT_TRUE(s->put(key_of(1), std::string(400, 'x')));
  set_age(key_of(1), 1000);  // the oldest: evicted first
  ASSERT_TRUE(s->put("b" + key_of(2).substr(1), std::string(400, 'x')));
  auto moved = m_outside.path() / "shard";
  fs::rename(m_dir / "a" / "a", moved);
  fs::create_symlink(moved, m_dir / "a" / "a");
  ASSERT_TRUE(s->put("c" + key_of(3).substr(1), std::string(400, 'x')));  // 1200 > 1000: evict
  EXPECT_TRUE(fs::exists(moved / key_of(1)));
}

TEST_F(DiskStorageTest, TheScanCountsNoLinksAndFollowsNone) {
  {
    auto s = open_storage(1 << 20);
    ASSERT_TRUE(s->put(key_of(1), "one"));
  }
  auto big = outside_file("big", std::string(5000, 'b'));
  fs::create_symlink(big, path_of(key_of(2)));                        // named like an entry
  fs::create_symlink(big, path_of(key_of(1)).string() + ".tmp.1.2");  // like a stale temp file
  fs::create_directories(m_outside.path() / "d" / "e");
  fs::copy_file(big, m_outside.path() / "d" / "e" / key_of(3));
  fs::create_symlink(m_outside.path() / "d", m_dir / "d");  // like a shard
  auto s = open_storage(1 << 20);
  EXPECT_EQ(s->current_size(), 3u);
  EXPECT_TRUE(fs::exists(big));
  EXPECT_EQ(mtime_of(big), 1000);
  EXPECT_TRUE(fs::is_symlink(path_of(key_of(1)).string() + ".tmp.1.2"));
}

TEST_F(DiskStorageTest, AFifoOrAHardLinkedEntryDoesNotHoldOrTouch) {
  auto s = open_storage(1 << 20);
  ASSERT_TRUE(s->put(key_of(1), "blob"));
  fs::remove(path_of(key_of(1)));
  ASSERT_EQ(::mkfifo(path_of(key_of(1)).c_str(), 0600), 0);
  EXPECT_FALSE(s->get(key_of(1)));  // at once: no writer is waited for
  fs::remove(path_of(key_of(1)));
  auto linked = outside_file("linked", "content");
  fs::create_hard_link(linked, path_of(key_of(1)));
  auto read = s->get(key_of(1));
  ASSERT_TRUE(read && *read);  // served (the entry's own key check judges it), but not touched
  EXPECT_EQ(mtime_of(linked), 1000);
}

TEST_F(DiskStorageTest, ALargerFileThanAnyEntryIsAnErrorAndNotRead) {
  auto s = open_storage(std::uint64_t{1} << 40);
  ASSERT_TRUE(s->put(key_of(1), "blob"));
  ASSERT_EQ(::truncate(path_of(key_of(1)).c_str(), k_max_remote_blob + 1), 0);  // sparse
  auto read = s->get(key_of(1));
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, util::ErrorCode::too_large);
}

TEST_F(DiskStorageTest, ACacheDirRemovedWhileInUseIsMadeAgain) {
  auto s = open_storage(1 << 20);
  ASSERT_TRUE(s->put(key_of(1), "one"));
  fs::remove_all(m_dir);
  EXPECT_FALSE(*s->get(key_of(1)));
  ASSERT_TRUE(s->put(key_of(2), "two"));
  EXPECT_EQ(**s->get(key_of(2)), "two");
  EXPECT_EQ(mode_of(m_dir), 0700u);
}

TEST_F(DiskStorageTest, TheCacheDirItselfMayBeALinkTheUserMade) {
  auto real = m_outside.path() / "real-cache";
  fs::create_directory(real);
  fs::create_symlink(real, m_dir / "link");
  auto s = make_disk_storage(m_dir / "link", 1 << 20);
  ASSERT_TRUE(s->put(key_of(1), "one"));
  EXPECT_TRUE(fs::exists(real / "a" / "a" / key_of(1)));
  EXPECT_EQ(**s->get(key_of(1)), "one");
}

}  // namespace
}  // namespace sccache::storage
