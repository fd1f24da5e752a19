#include "storage/multilevel_storage.hpp"

#include <gtest/gtest.h>

#include <map>

#include "storage/circuit_breaker.hpp"

namespace sccache::storage {
namespace {

// A storage in memory that can be told to fail like an unreachable remote.
class FakeStorage final : public Storage {
 public:
  explicit FakeStorage(std::string name) : m_name(std::move(name)) {}
  util::Result<std::optional<std::string>> get(const std::string& key) override {
    ++calls;
    if (failure) return util::fail(*failure, m_name + " is down");
    auto it = entries.find(key);
    if (it == entries.end()) return std::optional<std::string>{};
    return std::optional<std::string>{it->second};
  }
  util::Result<void> put(const std::string& key, std::string_view blob) override {
    ++calls;
    if (failure) return util::fail(*failure, m_name + " is down");
    entries[key] = std::string(blob);
    return {};
  }
  void remove(const std::string& key) override { entries.erase(key); }
  std::string location() const override { return m_name; }
  std::optional<std::uint64_t> current_size() const override { return entries.size(); }
  std::optional<std::uint64_t> max_size() const override { return 100; }

  std::map<std::string, std::string> entries;
  std::optional<util::ErrorCode> failure;
  int calls = 0;

 private:
  std::string m_name;
};

struct TwoLevels {
  FakeStorage* local;
  FakeStorage* remote;
  std::unique_ptr<Storage> storage;
};

TwoLevels make_two_levels(bool remote_writable = true) {
  auto local = std::make_unique<FakeStorage>("local");
  auto remote = std::make_unique<FakeStorage>("remote");
  TwoLevels t{local.get(), remote.get(), nullptr};
  std::vector<Level> levels;
  levels.push_back({std::move(local), true});
  levels.push_back({std::move(remote), remote_writable});
  t.storage = make_multilevel_storage(std::move(levels));
  return t;
}

TEST(MultilevelStorage, ARemoteHitIsCopiedIntoTheLocalLevelAndCounted) {
  auto t = make_two_levels();
  t.remote->entries["k"] = "blob";
  auto found = t.storage->get("k");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(**found, "blob");
  EXPECT_EQ(t.local->entries.at("k"), "blob");
  auto levels = t.storage->levels();
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_EQ(levels[0].misses, 1u);
  EXPECT_EQ(levels[0].writes, 1u);  // the backfill
  EXPECT_EQ(levels[1].hits, 1u);
  EXPECT_EQ(levels[1].size, 1u);
  EXPECT_EQ(levels[1].max_size, 100u);
  t.storage->reset_level_counts();
  EXPECT_EQ(t.storage->levels()[1].hits, 0u);
}

TEST(MultilevelStorage, WritesGoToWritableLevelsOnly) {
  auto t = make_two_levels(false);
  ASSERT_TRUE(t.storage->put("k", "blob"));
  EXPECT_EQ(t.local->entries.count("k"), 1u);
  EXPECT_EQ(t.remote->entries.count("k"), 0u);
  EXPECT_FALSE(t.storage->levels()[1].writable);
}

TEST(MultilevelStorage, AFailingRemoteIsAnErrorButTheLocalHitStillServes) {
  auto t = make_two_levels();
  t.remote->failure = util::ErrorCode::io;
  EXPECT_FALSE(t.storage->get("missing"));  // a counted error, not a silent miss
  t.local->entries["k"] = "blob";
  auto found = t.storage->get("k");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(t.storage->levels()[1].read_errors, 1u);
}

TEST(MultilevelStorage, ARemoteThatKeepsFailingIsSkippedUntilItsCoolDownEnds) {
  auto t = make_two_levels();
  t.remote->failure = util::ErrorCode::timeout;
  for (int i = 0; i < CircuitBreaker::k_trip_after; ++i) EXPECT_FALSE(t.storage->get("k"));
  int calls = t.remote->calls;
  for (int i = 0; i < 5; ++i) {
    auto found = t.storage->get("k");
    ASSERT_TRUE(found);  // skipped: a plain miss, at no cost
    EXPECT_FALSE(*found);
  }
  EXPECT_TRUE(t.storage->put("k", "blob"));  // the local level still takes it
  EXPECT_EQ(t.remote->calls, calls);
  auto levels = t.storage->levels();
  EXPECT_EQ(levels[1].timeouts, 3u);
  EXPECT_EQ(levels[1].skipped, 6u);
  EXPECT_FALSE(levels[1].available);
  EXPECT_FALSE(levels[1].size);  // not asked while down
  EXPECT_EQ(t.local->entries.count("k"), 1u);
}

TEST(MultilevelStorage, AnEntryALevelRefusesAsTooLargeIsASkippedWriteNotAnError) {
  auto t = make_two_levels();
  t.remote->failure = util::ErrorCode::too_large;
  EXPECT_TRUE(t.storage->put("k", "blob"));
  auto levels = t.storage->levels();
  EXPECT_EQ(levels[1].too_large, 1u);
  EXPECT_EQ(levels[1].write_errors, 0u);
  EXPECT_TRUE(levels[1].available);
  EXPECT_EQ(levels[0].writes, 1u);
}

TEST(MultilevelStorage, ADamagedAnswerDoesNotTripTheBreaker) {
  auto t = make_two_levels();
  t.remote->failure = util::ErrorCode::corrupt;
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(t.storage->get("k"));
  EXPECT_EQ(t.remote->calls, 10);
  EXPECT_TRUE(t.storage->levels()[1].available);
}

}  // namespace
}  // namespace sccache::storage
