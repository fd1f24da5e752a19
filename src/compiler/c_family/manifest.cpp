#include "compiler/c_family/manifest.hpp"

#include "compiler/c_family/precompiled.hpp"
#include "util/file_clock.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>
#include <set>

namespace sccache::compiler::c_family {

namespace {

constexpr std::string_view k_magic = "SCCPPM01";

class Out {
 public:
  void num(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) m_s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void str(std::string_view v) {
    num(v.size());
    m_s.append(v);
  }
  std::string m_s{k_magic};
};

class In {
 public:
  explicit In(std::string_view s) : m_s(s), m_pos(k_magic.size()) {}
  bool num(std::uint64_t& v) {
    if (m_s.size() - m_pos < 8) return false;
    v = 0;
    for (int i = 0; i < 8; ++i)
      v |= std::uint64_t(static_cast<unsigned char>(m_s[m_pos + i])) << (8 * i);
    m_pos += 8;
    return true;
  }
  bool count(std::uint64_t& n) { return num(n) && n <= (m_s.size() - m_pos) / 8; }
  bool str(std::string& v) {
    std::uint64_t n = 0;
    if (!num(n) || n > m_s.size() - m_pos) return false;
    v.assign(m_s.substr(m_pos, n));
    m_pos += n;
    return true;
  }
  bool at_end() const { return m_pos == m_s.size(); }

 private:
  std::string_view m_s;
  std::size_t m_pos;
};

void put_stat(Out& o, const util::FileStat& s) {
  for (std::uint64_t v : {s.device, s.inode, s.size, static_cast<std::uint64_t>(s.mtime_ns),
                          static_cast<std::uint64_t>(s.ctime_ns), std::uint64_t{s.mode}}) {
    o.num(v);
  }
}

bool get_stat(In& in, util::FileStat& s) {
  std::uint64_t v[6];
  for (auto& x : v) {
    if (!in.num(x)) return false;
  }
  s = {v[0],
       v[1],
       v[2],
       static_cast<std::int64_t>(v[3]),
       static_cast<std::int64_t>(v[4]),
       static_cast<std::uint32_t>(v[5])};
  return true;
}

bool get_group(In& in, AbsentGroup& g) {
  std::uint64_t exists = 0, n = 0;
  if (!in.str(g.dir) || !in.num(exists) || !get_stat(in, g.dir_stat) || !in.count(n)) return false;
  g.dir_exists = exists != 0;
  g.names.resize(n);
  for (auto& name : g.names) {
    if (!in.str(name)) return false;
  }
  return true;
}

bool get_result(In& in, ManifestResult& r) {
  std::uint64_t n = 0;
  if (!in.str(r.key) || !in.count(n)) return false;
  r.files.resize(n);
  for (auto& [path, hash] : r.files) {
    if (!in.str(path) || !in.str(hash)) return false;
  }
  if (!in.count(n)) return false;
  r.absent.resize(n);
  for (auto& g : r.absent) {
    if (!get_group(in, g)) return false;
  }
  return true;
}

std::string absolute(const std::string& cwd, const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  return (std::filesystem::path(cwd) / path).lexically_normal().string();
}

bool exists(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) return true;
  return errno != ENOENT && errno != ENOTDIR;  // unknown states count as present
}

}  // namespace

std::string encode_manifest(const Manifest& manifest) {
  Out o;
  o.num(manifest.results.size());
  for (const auto& r : manifest.results) {
    o.str(r.key);
    o.num(r.files.size());
    for (const auto& [path, hash] : r.files) {
      o.str(path);
      o.str(hash);
    }
    o.num(r.absent.size());
    for (const auto& g : r.absent) {
      o.str(g.dir);
      o.num(g.dir_exists ? 1 : 0);
      put_stat(o, g.dir_stat);
      o.num(g.names.size());
      for (const auto& name : g.names) o.str(name);
    }
  }
  return std::move(o.m_s);
}

util::Result<Manifest> decode_manifest(std::string_view bytes) {
  auto bad = [] { return util::fail(util::ErrorCode::corrupt, "malformed direct-mode manifest"); };
  if (!bytes.starts_with(k_magic)) return bad();
  In in(bytes);
  Manifest m;
  std::uint64_t n = 0;
  if (!in.count(n)) return bad();
  m.results.resize(n);
  for (auto& r : m.results) {
    if (!get_result(in, r)) return bad();
  }
  if (!in.at_end()) return bad();
  return m;
}

void add_result(Manifest& manifest, ManifestResult result, std::size_t limit) {
  auto& rs = manifest.results;
  rs.erase(std::remove_if(rs.begin(), rs.end(), [&](const auto& r) { return r.key == result.key; }),
           rs.end());
  rs.insert(rs.begin(), std::move(result));
  if (rs.size() > limit) rs.resize(limit);
}

bool still_matches(const ManifestResult& result, hash::FileMemo& memo) {
  for (const auto& [path, hash] : result.files) {
    if (!memo.has_hash(path, hash)) return false;
  }
  for (const auto& g : result.absent) {
    auto now = util::stat_file(g.dir);
    bool unchanged = g.dir_exists ? (now && *now == g.dir_stat) : !now;
    if (unchanged) continue;
    for (const auto& name : g.names) {
      if (exists(g.dir + "/" + name)) return false;
    }
  }
  return true;
}

namespace {

using Refusal = tl::unexpected<NotRecorded>;

// The digest of a file the compile read: the one taken before the compile for the source, when
// known, else the memo's.
util::Result<hash::FileDigest> digest_of(const RecordInputs& in, const std::string& path,
                                         hash::FileMemo& memo) {
  if (in.source && in.source->first == path) return in.source->second;
  return memo.digest(path);
}

Refusal refuse(NotRecordedReason reason, std::string file) {
  return tl::make_unexpected(NotRecorded{reason, std::move(file)});
}

// Adds the shadow candidates of every file: existing ones become dependencies, absent ones are
// grouped by directory.
tl::expected<void, NotRecorded> add_shadows(const RecordInputs& in, std::set<std::string>& present,
                                            std::map<std::string, std::set<std::string>>& absent) {
  for (const auto& f : in.files) {
    auto shadows = shadow_candidates(f, in.search_dirs);
    if (!shadows.ok) return refuse(NotRecordedReason::outside_search_list, f.path);
    for (const auto& candidate : shadows.paths) {
      std::string path = absolute(in.cwd, candidate);
      if (exists(path)) {
        present.insert(path);
      } else {
        auto p = std::filesystem::path(path);
        absent[p.parent_path().string()].insert(p.filename().string());
      }
    }
  }
  return {};
}

// Where each __has_include probe of the files read could find its name: an existing file becomes a
// dependency (deleting it changes the answer), an absent one must stay absent.
tl::expected<void, NotRecorded> add_probes(const RecordInputs& in, hash::FileMemo& memo,
                                           std::set<std::string>& present,
                                           std::map<std::string, std::set<std::string>>& absent) {
  for (const auto& f : in.files) {
    std::string file = absolute(in.cwd, f.path);
    auto digest = digest_of(in, file, memo);
    if (!digest) return refuse(NotRecordedReason::unreadable, file);
    for (const auto& probe : digest->include_probes) {
      std::vector<std::string> dirs;
      if (probe.quoted) dirs.push_back(std::filesystem::path(file).parent_path().string());
      for (const auto& d : in.search_dirs) dirs.push_back(absolute(in.cwd, d));
      for (const auto& dir : dirs) {
        auto path = std::filesystem::path(dir) / probe.name;
        if (exists(path.string())) {
          present.insert(path.lexically_normal().string());
        } else {
          absent[path.parent_path().string()].insert(path.filename().string());
        }
      }
    }
  }
  return {};
}

// A directory that does not exist cannot gain a file until something is created in its nearest
// existing ancestor, which moves that ancestor's fingerprint: so the names under missing
// directories are kept, as relative paths, under that ancestor, and one stat vouches for them all
// (the search lists name many directories that do not exist, each with several header names).
std::map<std::string, std::set<std::string>> collapse_missing_dirs(
    const std::map<std::string, std::set<std::string>>& absent) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& [dir, names] : absent) {
    std::filesystem::path d(dir), below;
    // exists() is an lstat: a dangling symlink stops the walk (its target may appear elsewhere).
    while (!exists(d.string()) && d.has_relative_path()) {
      below = below.empty() ? d.filename() : d.filename() / below;
      d = d.parent_path();
    }
    auto& kept = out[d.string()];
    for (const auto& name : names) kept.insert(below.empty() ? name : (below / name).string());
  }
  return out;
}

// Every file the result depends on, with its hash as it is now: trusted only when its times prove
// it was last written before the preprocessor started, so that what was read is what is hashed.
tl::expected<void, NotRecorded> hash_present(const std::set<std::string>& present,
                                             const RecordInputs& in, hash::FileMemo& memo,
                                             ManifestResult& r) {
  for (const auto& path : present) {
    auto digest = digest_of(in, path, memo);
    if (!digest) return refuse(NotRecordedReason::unreadable, path);
    if (digest->has_time_macros) return refuse(NotRecordedReason::time_macros, path);
    if (!util::written_before(digest->stat, in.read_since_ns)) {
      bool future =
          !util::maybe_written_since(digest->stat, in.read_since_ns, util::wall_clock_now_ns());
      return refuse(future ? NotRecordedReason::future_time : NotRecordedReason::file_changed,
                    path);
    }
    r.files.emplace_back(path, digest->sha256);
  }
  return {};
}

tl::expected<void, NotRecorded> group_absent(
    const std::map<std::string, std::set<std::string>>& absent, ManifestResult& r) {
  for (auto& [dir, names] : collapse_missing_dirs(absent)) {
    AbsentGroup g;
    g.dir = dir;
    auto clock = util::file_clock_now_ns();
    auto st = util::stat_file(dir);
    g.dir_exists = static_cast<bool>(st);
    // A directory whose times do not prove it older than the stat could change again without its
    // fingerprint moving: leave the fingerprint empty, so every name is checked on each lookup.
    if (st && util::written_before(*st, clock)) g.dir_stat = *st;
    g.names.assign(names.begin(), names.end());
    // A name created between the scan and now would be missed: check again after the stat.
    for (const auto& name : g.names) {
      if (exists(dir + "/" + name))
        return refuse(NotRecordedReason::shadow_appeared, dir + "/" + name);
    }
    r.absent.push_back(std::move(g));
  }
  return {};
}

}  // namespace

std::string_view describe(NotRecordedReason reason) {
  switch (reason) {
    case NotRecordedReason::file_changed:
      return "a file changed during the compile";
    case NotRecordedReason::future_time:
      return "a file is dated in the future";
    case NotRecordedReason::time_macros:
      return "a file uses __DATE__ or __TIME__";
    case NotRecordedReason::unreadable:
      return "a file could not be read";
    case NotRecordedReason::outside_search_list:
      return "a header outside the search list";
    case NotRecordedReason::shadow_appeared:
      return "a shadowing header appeared";
    case NotRecordedReason::precompiled_header:
      return "an unreadable precompiled header";
  }
  return "unknown";
}

tl::expected<ManifestResult, NotRecorded> record_result(const std::string& key,
                                                        const RecordInputs& in,
                                                        hash::FileMemo& memo) {
  std::set<std::string> present;
  for (const auto& f : in.files) present.insert(absolute(in.cwd, f.path));
  std::map<std::string, std::set<std::string>> absent;
  if (auto ok = add_shadows(in, present, absent); !ok) return tl::make_unexpected(ok.error());
  if (auto ok = add_probes(in, memo, present, absent); !ok) return tl::make_unexpected(ok.error());
  auto pch = find_precompiled_headers({in.cwd, in.forced_includes, in.files, in.search_dirs}, memo);
  if (!pch) return refuse(NotRecordedReason::precompiled_header, "");
  for (const auto& [path, sha] : pch->present) present.insert(path);
  for (const auto& path : pch->absent) {
    auto p = std::filesystem::path(path);
    absent[p.parent_path().string()].insert(p.filename().string());
  }
  ManifestResult r;
  r.key = key;
  if (auto ok = hash_present(present, in, memo, r); !ok) return tl::make_unexpected(ok.error());
  if (auto ok = group_absent(absent, r); !ok) return tl::make_unexpected(ok.error());
  return r;
}

}  // namespace sccache::compiler::c_family
