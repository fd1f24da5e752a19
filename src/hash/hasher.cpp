// OpenSSL's libcrypto is loaded with dlopen, by the server, on first use: linked into the
// executable, its constructor (OPENSSL_cpuid_setup, a series of CPUID instructions that trap to the
// hypervisor in a VM) added ~0.2 ms to every client start, a third of the client's own CPU time.
#include "hash/hasher.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "util/shared_library.hpp"
#include "util/strings.hpp"

namespace sccache::hash {

namespace {

struct Api {
  decltype(&::EVP_MD_CTX_new) ctx_new = nullptr;
  decltype(&::EVP_MD_CTX_free) ctx_free = nullptr;
  decltype(&::EVP_MD_fetch) md_fetch = nullptr;
  decltype(&::EVP_DigestInit_ex) init = nullptr;
  decltype(&::EVP_DigestUpdate) update = nullptr;
  decltype(&::EVP_DigestFinal_ex) final = nullptr;
  EVP_MD* sha256 = nullptr;  // fetched once: an implicit fetch per digest costs a provider lookup
};

util::Result<const Api*> load_api() {
  return util::load_once<Api>("libcrypto.so.3", [](const util::SharedLibrary& lib, Api& api) {
    bool bound =
        lib.bind(api.ctx_new, "EVP_MD_CTX_new") && lib.bind(api.ctx_free, "EVP_MD_CTX_free") &&
        lib.bind(api.md_fetch, "EVP_MD_fetch") && lib.bind(api.init, "EVP_DigestInit_ex") &&
        lib.bind(api.update, "EVP_DigestUpdate") && lib.bind(api.final, "EVP_DigestFinal_ex");
    if (bound) api.sha256 = api.md_fetch(nullptr, "SHA256", nullptr);
    return bound && api.sha256 != nullptr;
  });
}

const Api& api() {
  auto loaded = load_api();
  if (!loaded) throw std::runtime_error("SHA-256 unavailable: " + loaded.error().message);
  return **loaded;
}

void update_u64(EVP_MD_CTX* ctx, std::uint64_t v) {
  unsigned char le[8];
  for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>(v >> (8 * i));
  api().update(ctx, le, sizeof le);
}

}  // namespace

util::Result<void> crypto_available() {
  auto loaded = load_api();
  if (!loaded) return tl::make_unexpected(loaded.error());
  return {};
}

struct Hasher::Impl {
  const Api& a = api();
  EVP_MD_CTX* ctx = a.ctx_new();
  Impl() {
    if (!ctx || a.init(ctx, a.sha256, nullptr) != 1) {
      throw std::runtime_error("SHA-256: cannot start a digest");
    }
  }
  ~Impl() { a.ctx_free(ctx); }
};

Hasher::Hasher() : m_impl(std::make_unique<Impl>()) {}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::field(std::string_view tag, std::string_view value) {
  update_u64(m_impl->ctx, tag.size());
  m_impl->a.update(m_impl->ctx, tag.data(), tag.size());
  update_u64(m_impl->ctx, value.size());
  m_impl->a.update(m_impl->ctx, value.data(), value.size());
}

void Hasher::raw(std::string_view bytes) {
  m_impl->a.update(m_impl->ctx, bytes.data(), bytes.size());
}

std::string Hasher::finish_hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  m_impl->a.final(m_impl->ctx, digest, &size);
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
