#include "hash/hasher.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>

#include "util/strings.hpp"

namespace sccache::hash {

struct Hasher::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Impl() { EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr); }
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

namespace {

void update_u64(EVP_MD_CTX* ctx, std::uint64_t v) {
  unsigned char le[8];
  for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>(v >> (8 * i));
  EVP_DigestUpdate(ctx, le, sizeof le);
}

}  // namespace

Hasher::Hasher() : m_impl(std::make_unique<Impl>()) {}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::field(std::string_view tag, std::string_view value) {
  update_u64(m_impl->ctx, tag.size());
  EVP_DigestUpdate(m_impl->ctx, tag.data(), tag.size());
  update_u64(m_impl->ctx, value.size());
  EVP_DigestUpdate(m_impl->ctx, value.data(), value.size());
}

void Hasher::raw(std::string_view bytes) {
  EVP_DigestUpdate(m_impl->ctx, bytes.data(), bytes.size());
}

std::string Hasher::finish_hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(m_impl->ctx, digest, &size);
  return util::to_hex(std::string_view(reinterpret_cast<char*>(digest), size));
}

std::string sha256_hex(std::string_view data) {
  Hasher h;
  h.raw(data);
  return h.finish_hex();
}

util::Result<std::string> sha256_file_hex(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return util::fail_errno("open " + path.string(), errno);
  Hasher h;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return util::fail_errno("read " + path.string(), e);
    }
    if (n == 0) break;
    h.raw(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
  ::close(fd);
  return h.finish_hex();
}

}  // namespace sccache::hash
