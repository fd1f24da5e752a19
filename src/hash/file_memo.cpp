#include "hash/file_memo.hpp"

#include <algorithm>

#include "hash/hasher.hpp"
#include "util/file_clock.hpp"

namespace sccache::hash {

namespace {

// Per entry: the table slot, the list node and the digest's strings.
constexpr std::size_t k_entry_overhead = sizeof(util::FileStat) * 2 + 64 + 4 * sizeof(void*) + 32;

}  // namespace

bool mentions_time_macros(std::string_view text) {
  // __TIMESTAMP__ contains __TIME; look for the shared stem, then check what follows.
  for (std::size_t pos = text.find("__"); pos != std::string_view::npos;
       pos = text.find("__", pos + 2)) {
    std::string_view rest = text.substr(pos);
    if (rest.starts_with("__DATE__") || rest.starts_with("__TIME__") ||
        rest.starts_with("__TIMESTAMP__")) {
      return true;
    }
  }
  return false;
}

std::vector<IncludeProbe> find_include_probes(std::string_view text) {
  constexpr std::string_view k_stem = "has_include";
  std::vector<IncludeProbe> probes;
  for (std::size_t pos = text.find(k_stem); pos != std::string_view::npos;
       pos = text.find(k_stem, pos + 1)) {
    std::size_t i = pos + k_stem.size();
    if (text.substr(i).starts_with("_next")) i += 5;
    auto skip_blanks = [&] {
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    };
    skip_blanks();
    if (i >= text.size() || text[i] != '(') continue;
    ++i;
    skip_blanks();
    if (i >= text.size() || (text[i] != '<' && text[i] != '"')) continue;
    char close = text[i] == '<' ? '>' : '"';
    std::size_t end = text.find_first_of(std::string{close, '\n'}, i + 1);
    if (end == std::string_view::npos || text[end] != close || end == i + 1) continue;
    IncludeProbe probe{std::string(text.substr(i + 1, end - i - 1)), close == '"'};
    if (std::find(probes.begin(), probes.end(), probe) == probes.end()) probes.push_back(probe);
  }
  return probes;
}

std::size_t FileMemo::KeyHash::operator()(const Key& k) const {
  std::size_t h = std::hash<std::uint64_t>{}(k.stat.inode);
  for (std::uint64_t v : {k.stat.device, k.stat.size, static_cast<std::uint64_t>(k.stat.mtime_ns),
                          static_cast<std::uint64_t>(k.stat.ctime_ns)}) {
    h ^= std::hash<std::uint64_t>{}(v) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  }
  return h;
}

FileMemo::FileMemo(std::size_t max_entries, bool remember_fresh)
    : m_max_entries(max_entries), m_remember_fresh(remember_fresh) {}

std::optional<FileDigest> FileMemo::find(const util::FileStat& stat) {
  std::lock_guard lock(m_mutex);
  auto it = m_table.find(Key{stat});
  if (it == m_table.end()) return std::nullopt;
  m_order.splice(m_order.begin(), m_order, it->second.position);
  return it->second.digest;
}

void FileMemo::remember(const FileDigest& digest) {
  std::lock_guard lock(m_mutex);
  Key key{digest.stat};
  if (m_table.contains(key)) return;
  m_order.push_front(key);
  m_table.emplace(key, Slot{digest, m_order.begin()});
  while (m_table.size() > m_max_entries) {
    m_table.erase(m_order.back());
    m_order.pop_back();
  }
}

util::Result<FileDigest> FileMemo::digest(const std::string& path) {
  auto clock = util::file_clock_now_ns();  // before the stat: a write after it moves the times
  auto before = util::stat_file(path);
  if (!before) return tl::make_unexpected(before.error());
  if (auto known = find(*before)) return *known;
  auto content = util::read_file(path);
  if (!content) return tl::make_unexpected(content.error());
  auto after = util::stat_file(path);
  if (!after || !(*after == *before)) {
    return util::fail(util::ErrorCode::corrupt, path + " changed while it was read");
  }
  FileDigest digest{*before, sha256_hex(*content), mentions_time_macros(*content),
                    find_include_probes(*content)};
  if (m_remember_fresh || util::written_before(digest.stat, clock)) remember(digest);
  return digest;
}

bool FileMemo::has_hash(const std::string& path, std::string_view sha256) {
  auto stat = util::stat_file(path);
  if (!stat) return false;
  {
    std::lock_guard lock(m_mutex);
    auto it = m_table.find(Key{*stat});
    if (it != m_table.end()) {
      m_order.splice(m_order.begin(), m_order, it->second.position);
      return it->second.digest.sha256 == sha256;
    }
  }
  auto computed = digest(path);
  return computed && computed->sha256 == sha256;
}

std::size_t FileMemo::entries() const {
  std::lock_guard lock(m_mutex);
  return m_table.size();
}

std::size_t FileMemo::memory_bytes() const {
  return entries() * k_entry_overhead;
}

}  // namespace sccache::hash
