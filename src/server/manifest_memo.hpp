#pragma once
// Decoded direct-mode manifests kept in memory, so a warm hit does not read and decompress its
// manifest again (for a C++ source that includes the standard library, ~280 paths and hashes: the
// largest part of the server's user time on a hit). Safe to be stale: a manifest only proposes a
// result, whose recorded files are checked on every lookup; one that misses newer results (written
// by another server) costs a preprocessor run, after which the refreshed manifest replaces it.
// Bounded by an estimate of the bytes held; least recently used first out. Thread-safe.
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "compiler/manifest.hpp"

namespace sccache::server {

class ManifestMemo {
 public:
  explicit ManifestMemo(std::size_t max_bytes = 64u << 20) : m_max_bytes(max_bytes) {}

  std::shared_ptr<const compiler::Manifest> find(const std::string& key);
  void remember(const std::string& key, std::shared_ptr<const compiler::Manifest> manifest);
  std::size_t bytes() const;

 private:
  struct Slot {
    std::shared_ptr<const compiler::Manifest> manifest;
    std::size_t bytes = 0;
    std::list<std::string>::iterator position;
  };
  mutable std::mutex m_mutex;
  std::size_t m_max_bytes;
  std::size_t m_bytes = 0;
  std::list<std::string> m_order;  // most recently used first
  std::unordered_map<std::string, Slot> m_slots;
};

}  // namespace sccache::server
