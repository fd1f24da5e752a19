#include "server/manifest_memo.hpp"

namespace sccache::server {

namespace {

std::size_t estimate_bytes(const std::string& key, const compiler::c_family::Manifest& m) {
  std::size_t n = key.size() + 128;
  for (const auto& r : m.results) {
    n += r.key.size() + 64;
    for (const auto& [path, hash] : r.files) n += path.size() + hash.size() + 64;
    for (const auto& g : r.absent) {
      n += g.dir.size() + 96;
      for (const auto& name : g.names) n += name.size() + 32;
    }
  }
  return n;
}

}  // namespace

ManifestMemo::Found ManifestMemo::find(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(m_mutex);
  auto it = m_slots.find(key);
  if (it == m_slots.end()) return {};
  m_order.splice(m_order.begin(), m_order, it->second.position);
  return {it->second.manifest, now - it->second.remembered >= m_refresh_after};
}

void ManifestMemo::remember(const std::string& key,
                            std::shared_ptr<const compiler::c_family::Manifest> manifest,
                            Clock::time_point now) {
  std::size_t bytes = estimate_bytes(key, *manifest);
  std::lock_guard lock(m_mutex);
  if (auto it = m_slots.find(key); it != m_slots.end()) {
    m_bytes -= it->second.bytes;
    m_order.erase(it->second.position);
    m_slots.erase(it);
  }
  if (bytes > m_max_bytes) return;
  m_order.push_front(key);
  m_slots.emplace(key, Slot{std::move(manifest), bytes, now, m_order.begin()});
  m_bytes += bytes;
  while (m_bytes > m_max_bytes) {
    auto last = m_slots.find(m_order.back());
    m_bytes -= last->second.bytes;
    m_slots.erase(last);
    m_order.pop_back();
  }
}

std::size_t ManifestMemo::bytes() const {
  std::lock_guard lock(m_mutex);
  return m_bytes;
}

}  // namespace sccache::server
