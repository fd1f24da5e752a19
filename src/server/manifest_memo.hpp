#pragma once
// Decoded direct-mode manifests kept in memory, so a warm hit does not read and decompress its
// manifest again (for a C++ source that includes the standard library, ~280 paths and hashes: the
// largest part of the server's user time on a hit). Safe to be stale: a manifest only proposes a
// result, whose recorded files are checked on every lookup; one that misses newer results (written
// by another server) costs a preprocessor run, after which the refreshed manifest replaces it.
// Bounded by an estimate of the bytes held; least recently used first out. Thread-safe. An entry
// older than `refresh_after` is reported stale: the caller reads the manifest from storage again,
// which picks up what other servers added and keeps the stored copy recently used for the disk's
// LRU.
#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "compiler/c_family/manifest.hpp"

namespace sccache::server {

class ManifestMemo {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ManifestMemo(std::size_t max_bytes = 64u << 20,
                        Clock::duration refresh_after = std::chrono::minutes(10))
      : m_max_bytes(max_bytes), m_refresh_after(refresh_after) {}

  struct Found {
    std::shared_ptr<const compiler::c_family::Manifest> manifest;  // null: not held
    bool stale = false;
  };
  Found find(const std::string& key, Clock::time_point now = Clock::now());
  void remember(const std::string& key,
                std::shared_ptr<const compiler::c_family::Manifest> manifest,
                Clock::time_point now = Clock::now());
  std::size_t bytes() const;

 private:
  struct Slot {
    std::shared_ptr<const compiler::c_family::Manifest> manifest;
    std::size_t bytes = 0;
    Clock::time_point remembered;
    std::list<std::string>::iterator position;
  };
  mutable std::mutex m_mutex;
  std::size_t m_max_bytes;
  Clock::duration m_refresh_after;
  std::size_t m_bytes = 0;
  std::list<std::string> m_order;  // most recently used first
  std::unordered_map<std::string, Slot> m_slots;
};

}  // namespace sccache::server
