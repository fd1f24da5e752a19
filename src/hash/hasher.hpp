#pragma once
// SHA-256 (OpenSSL EVP, loaded at run time) over tagged fields: each field is hashed as its tag and
// its bytes, both length-prefixed, so no two different field sequences can produce the same byte
// stream.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace sccache::hash {

class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;

  // Tagged field: u64 LE tag length, tag, u64 LE value length, value.
  void field(std::string_view tag, std::string_view value);
  // Raw bytes, no framing (for streaming a large value after a field announcing it).
  void raw(std::string_view bytes);
  // Lowercase hex digest (64 characters); the hasher cannot be used afterwards.
  std::string finish_hex();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Whether SHA-256 can be computed here (Debian's libcrypto.so.3, loaded on first use). The server
// checks at start-up; a Hasher made without it throws.
util::Result<void> crypto_available();

// One-shot helpers.
std::string sha256_hex(std::string_view data);
util::Result<std::string> sha256_file_hex(const std::filesystem::path& path);

}  // namespace sccache::hash
