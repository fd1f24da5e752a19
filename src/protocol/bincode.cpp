#include "protocol/bincode.hpp"

namespace sccache::protocol::bincode {

namespace {

std::uint64_t get_le(std::string_view b) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < b.size(); ++i)
    v |= std::uint64_t(static_cast<unsigned char>(b[i])) << (8 * i);
  return v;
}

}  // namespace

bool Reader::record(const std::string& what, std::size_t offset) {
  if (m_error.empty()) m_error = what + " at offset " + std::to_string(offset);
  return false;
}

bool Reader::fail(const std::string& what) {
  return record(what, m_pos);
}

bool Reader::reject(const std::string& what) {
  return record(what, m_value_start);
}

bool Reader::take(std::size_t n, std::string_view& out, const char* what) {
  if (!m_error.empty()) return false;
  m_value_start = m_pos;
  if (m_in.size() - m_pos < n) return fail(std::string("truncated ") + what);
  out = m_in.substr(m_pos, n);
  m_pos += n;
  return true;
}

bool Reader::u8(std::uint8_t& v) {
  std::string_view b;
  if (!take(1, b, "u8")) return false;
  v = static_cast<std::uint8_t>(b[0]);
  return true;
}

bool Reader::u32(std::uint32_t& v) {
  std::string_view b;
  if (!take(4, b, "u32")) return false;
  v = static_cast<std::uint32_t>(get_le(b));
  return true;
}

bool Reader::u64(std::uint64_t& v) {
  std::string_view b;
  if (!take(8, b, "u64")) return false;
  v = get_le(b);
  return true;
}

bool Reader::i32(std::int32_t& v) {
  std::uint32_t u = 0;
  if (!u32(u)) return false;
  v = static_cast<std::int32_t>(u);
  return true;
}

bool Reader::length(std::uint64_t& n, std::uint64_t min_element_size) {
  if (!u64(n)) return false;
  // Every element takes at least min_element_size bytes: a count that cannot fit is corrupt.
  if (min_element_size > 0 && n > (m_in.size() - m_pos) / min_element_size) {
    return reject("length " + std::to_string(n) + " past the end");
  }
  return true;
}

bool Reader::bytes(std::string& v) {
  std::uint64_t n = 0;
  if (!length(n, 1)) return false;
  std::string_view b;
  if (!take(static_cast<std::size_t>(n), b, "bytes")) return false;
  v.assign(b);
  return true;
}

bool Reader::os_string(std::string& v) {
  std::uint32_t tag = 0;
  if (!u32(tag)) return false;
  if (tag != 0) return reject("OsString variant " + std::to_string(tag) + " is not Unix");
  return bytes(v);
}

bool Reader::boolean(bool& v) {
  std::uint8_t b = 0;
  if (!u8(b)) return false;
  if (b > 1) return reject("bool byte " + std::to_string(b));
  v = b == 1;
  return true;
}

bool Reader::option_flag(bool& present) {
  std::uint8_t flag = 0;
  if (!u8(flag)) return false;
  if (flag > 1) return reject("Option flag " + std::to_string(flag));
  present = flag == 1;
  return true;
}

}  // namespace sccache::protocol::bincode
