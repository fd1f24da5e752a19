#include "util/temp_dir.hpp"

#include <stdlib.h>

#include <cerrno>
#include <stdexcept>
#include <string>

namespace sccache::util {

Result<TempDir> TempDir::create(std::string_view prefix) {
  std::error_code ec;
  auto base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string templ = (base / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) return fail_errno("mkdtemp " + templ, errno);
  return TempDir(std::filesystem::path(templ));
}

TempDir TempDir::create_or_throw(std::string_view prefix) {
  auto dir = create(prefix);
  if (!dir) throw std::runtime_error(dir.error().message);
  return std::move(*dir);
}

TempDir::TempDir(TempDir&& other) noexcept : m_path(std::move(other.m_path)) {
  other.m_path.clear();
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    std::error_code ec;
    if (!m_path.empty()) std::filesystem::remove_all(m_path, ec);
    m_path = std::move(other.m_path);
    other.m_path.clear();
  }
  return *this;
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!m_path.empty()) std::filesystem::remove_all(m_path, ec);
}

}  // namespace sccache::util
