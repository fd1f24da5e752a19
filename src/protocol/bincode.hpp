#pragma once
// A minimal bincode 1.x (legacy options) writer and reader: little-endian fixed-width integers,
// u64 lengths, u32 enum tags, Option as a u8 flag. The reader checks every length against what is
// left before allocating and reports the offset of what it could not read.
#include <cstdint>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace sccache::protocol::bincode {

class Writer {
 public:
  void u8(std::uint8_t v) { m_out.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { put_le(v, 4); }
  void u64(std::uint64_t v) { put_le(v, 8); }
  void i32(std::int32_t v) { put_le(static_cast<std::uint32_t>(v), 4); }
  void bytes(std::string_view v) {  // String / Vec<u8>
    u64(v.size());
    m_out.append(v);
  }
  void os_string(std::string_view v) {  // OsString on unix: enum Unix(Vec<u8>)
    u32(0);
    bytes(v);
  }
  std::string take() { return std::move(m_out); }

 private:
  void put_le(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) m_out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  std::string m_out;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : m_in(in) {}
  // Each returns false (and records the first error) when the input does not hold the value.
  bool u8(std::uint8_t& v);
  bool u32(std::uint32_t& v);
  bool u64(std::uint64_t& v);
  bool i32(std::int32_t& v);
  bool bytes(std::string& v);
  bool os_string(std::string& v);
  bool boolean(bool& v);
  bool option_flag(bool& present);
  bool length(std::uint64_t& n, std::uint64_t min_element_size);  // a collection's count
  bool fail(const std::string& what);    // at the current offset: truncation, trailing bytes
  bool reject(const std::string& what);  // at the start of the value just read: a bad value
  bool at_end() const { return m_pos == m_in.size(); }
  std::size_t offset() const { return m_pos; }
  const std::string& error() const { return m_error; }

 private:
  bool take(std::size_t n, std::string_view& out, const char* what);
  bool record(const std::string& what, std::size_t offset);
  std::string_view m_in;
  std::size_t m_pos = 0;
  std::size_t m_value_start = 0;
  std::string m_error;
};

}  // namespace sccache::protocol::bincode
