#pragma once
// A private directory under the system's temporary directory, removed with everything in it when
// the owner goes away: the server's scratch space for compiler probes, and the tests' sandboxes.
#include <filesystem>
#include <string_view>

#include "util/error.hpp"

namespace sccache::util {

class TempDir {
 public:
  // mkdtemp of `<tmp>/<prefix>XXXXXX` (mode 0700).
  static Result<TempDir> create(std::string_view prefix);
  // The same, throwing std::runtime_error on failure (tests: a member initialiser, no SetUp).
  static TempDir create_or_throw(std::string_view prefix);
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return m_path; }

 private:
  explicit TempDir(std::filesystem::path path) : m_path(std::move(path)) {}
  std::filesystem::path m_path;
};

}  // namespace sccache::util
