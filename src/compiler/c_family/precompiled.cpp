#include "compiler/c_family/precompiled.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <set>

namespace sccache::compiler::c_family {

std::vector<std::string> forced_includes(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-include-pch") {
      ++i;  // an explicit PCH: hashed as an extra file already
    } else if ((a == "-include" || a == "--include") && i + 1 < args.size()) {
      out.push_back(args[++i]);
    } else if (a.starts_with("--include=")) {
      out.push_back(a.substr(10));
    } else if (a.starts_with("-include") && a.size() > 8) {
      out.push_back(a.substr(8));
    }
  }
  return out;
}

std::optional<PrecompiledHeaders> find_precompiled_headers(const PrecompiledSearch& search,
                                                           hash::FileMemo& memo) {
  namespace fs = std::filesystem;
  std::set<std::string> headers;
  auto add = [&](const fs::path& p) {
    headers.insert((fs::path(search.cwd) / p).lexically_normal());
  };
  for (const auto& name : search.forced_includes) {
    add(name);
    if (fs::path(name).is_absolute()) continue;
    for (const auto& dir : search.search_dirs) add(fs::path(dir) / name);
  }
  for (const auto& header : pch_candidates(search.files)) add(header);
  PrecompiledHeaders out;
  for (const auto& header : headers) {
    for (const char* suffix : k_pch_suffixes) {
      std::string path = header + suffix;
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0) {
        out.absent.push_back(path);
        continue;
      }
      if (!S_ISREG(st.st_mode)) return std::nullopt;  // gcc's directory of variants: not cached
      auto digest = memo.digest(path);
      if (!digest) return std::nullopt;
      out.present.emplace_back(path, digest->sha256);
    }
  }
  return out;
}

}  // namespace sccache::compiler::c_family
