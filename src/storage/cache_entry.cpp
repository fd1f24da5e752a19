#include "storage/cache_entry.hpp"

#include <sys/mman.h>
#include <unistd.h>
#include <zstd.h>

#include <cstring>
#include <limits>
#include <memory>

namespace sccache::storage {

namespace {

constexpr std::string_view k_magic = "SCCPPE02";
// Bounds on the header, checked before anything is allocated from it.
constexpr std::uint64_t k_max_header = 64 << 10;
constexpr std::uint64_t k_max_files = 64;
constexpr std::uint64_t k_max_name = 0xffff;
// The pages of a failed decode at least this large go back to the system at once.
constexpr std::uint64_t k_give_back_after_failure = 1 << 20;

void put_le(std::string& out, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Reads little-endian integers and byte runs, bounds-checked.
class Cursor {
 public:
  explicit Cursor(std::string_view in) : m_in(in) {}
  bool number(std::uint64_t& v, int n) {
    if (m_in.size() - m_pos < static_cast<std::size_t>(n)) return false;
    v = 0;
    for (int i = 0; i < n; ++i)
      v |= std::uint64_t(static_cast<unsigned char>(m_in[m_pos + i])) << (8 * i);
    m_pos += static_cast<std::size_t>(n);
    return true;
  }
  bool bytes(std::string_view& out, std::uint64_t n) {
    if (m_in.size() - m_pos < n) return false;
    out = m_in.substr(m_pos, static_cast<std::size_t>(n));
    m_pos += static_cast<std::size_t>(n);
    return true;
  }
  bool sized_bytes(std::string_view& out, int width) {
    std::uint64_t n = 0;
    return number(n, width) && bytes(out, n);
  }
  std::string_view rest() const { return m_in.substr(m_pos); }
  bool at_end() const { return m_pos == m_in.size(); }

 private:
  std::string_view m_in;
  std::size_t m_pos = 0;
};

struct Header {
  std::string_view key;
  std::vector<std::pair<std::string_view, std::uint64_t>> files;  // role, size
  std::uint64_t stdout_size = 0, stderr_size = 0;
  std::uint64_t data_size = 0;  // of everything after the header copy
};

// Sums without wrapping: an overflow is a malformed header.
bool add_size(std::uint64_t& total, std::uint64_t n) {
  if (n > std::numeric_limits<std::uint64_t>::max() - total) return false;
  total += n;
  return true;
}

bool parse_header(std::string_view bytes, Header& h) {
  Cursor c(bytes);
  std::uint64_t count = 0;
  if (!c.sized_bytes(h.key, 2) || !c.number(count, 4) || count > k_max_files) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string_view name;
    std::uint64_t size = 0;
    if (!c.sized_bytes(name, 2) || !c.number(size, 8) || !add_size(h.data_size, size)) return false;
    h.files.emplace_back(name, size);
  }
  return c.number(h.stdout_size, 8) && c.number(h.stderr_size, 8) &&
         add_size(h.data_size, h.stdout_size) && add_size(h.data_size, h.stderr_size) && c.at_end();
}

std::string header_of(const CacheEntry& entry, std::string_view key) {
  std::string h;
  put_le(h, key.size(), 2);
  h += key;
  put_le(h, entry.files.size(), 4);
  for (const auto& f : entry.files) {
    put_le(h, f.name.size(), 2);
    h += f.name;
    put_le(h, f.data.size(), 8);
  }
  put_le(h, entry.stdout_bytes.size(), 8);
  put_le(h, entry.stderr_bytes.size(), 8);
  return h;
}

// The format promises a checksummed frame; a frame without one could hide damage, so it is
// rejected. Frame header (RFC 8878): 4-byte magic, then the descriptor whose bit 2 is the
// Content_Checksum_flag. A skippable frame has another magic and is rejected here too.
bool has_checksum(std::string_view frame) {
  constexpr std::string_view k_zstd_magic = "\x28\xb5\x2f\xfd";
  return frame.size() > k_zstd_magic.size() && frame.starts_with(k_zstd_magic) &&
         (static_cast<unsigned char>(frame[k_zstd_magic.size()]) & 0x04) != 0;
}

// One zstd context per thread, kept: creating one costs more than decoding a small entry (a
// decompression context is initialised on every ZSTD_decompress call), and every hit decodes two.
ZSTD_CCtx* thread_cctx() {
  thread_local std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> ctx(ZSTD_createCCtx(),
                                                                        ZSTD_freeCCtx);
  if (ctx) ZSTD_CCtx_reset(ctx.get(), ZSTD_reset_session_and_parameters);
  return ctx.get();
}

ZSTD_DCtx* thread_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(),
                                                                        ZSTD_freeDCtx);
  return ctx.get();
}

// Compresses the pieces as one frame after `blob`'s prefix, without first joining them (an object
// can be hundreds of megabytes). The pledged size puts the content size in the frame header.
bool compress_into(std::string& blob, const std::vector<std::string_view>& pieces,
                   std::uint64_t total, int zstd_level) {
  ZSTD_CCtx* ctx = thread_cctx();
  if (!ctx) return false;
  ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, zstd_level);  // out of range: clamped
  ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setPledgedSrcSize(ctx, total);
  const std::size_t prefix = blob.size();
  blob.resize(prefix + ZSTD_compressBound(total));
  ZSTD_outBuffer out{blob.data() + prefix, blob.size() - prefix, 0};
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const bool last = i + 1 == pieces.size();
    ZSTD_inBuffer in{pieces[i].data(), pieces[i].size(), 0};
    for (;;) {
      std::size_t left = ZSTD_compressStream2(ctx, &out, &in, last ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(left)) return false;
      if (last ? left == 0 : in.pos == in.size) break;
    }
  }
  blob.resize(prefix + out.pos);
  return true;
}

// The server keeps freed heap memory for the next hit (see run_server's mallopt): right for the
// buffer of an entry that was served, not for one a damaged or hostile entry made it fill. Buffers
// from 32 MiB up are mapped and unmapped when freed anyway; the pages of smaller ones are handed
// back here before the free (the allocator's own header, before the buffer, is left alone).
void give_back(std::unique_ptr<char[]> buffer, std::uint64_t size) {
  if (size < k_give_back_after_failure) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto start = reinterpret_cast<std::uintptr_t>(buffer.get());
  const std::uintptr_t first = (start + page - 1) & ~(page - 1), end = (start + size) & ~(page - 1);
  if (end > first) ::madvise(reinterpret_cast<void*>(first), end - first, MADV_DONTNEED);
}

}  // namespace

const CacheEntry::File* CacheEntry::find(std::string_view name) const {
  for (const auto& f : files) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const EntryView::File* EntryView::find(std::string_view name) const {
  for (const auto& f : m_files) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

util::Result<std::string> encode_entry(const CacheEntry& entry, std::string_view key,
                                       int zstd_level) {
  bool fits = key.size() <= k_max_name && entry.files.size() <= k_max_files;
  for (const auto& f : entry.files) fits = fits && f.name.size() <= k_max_name;
  std::string header = header_of(entry, key);
  if (!fits || header.size() > k_max_header)
    return util::fail(util::ErrorCode::invalid, "entry has too many files or too long a name");
  std::vector<std::string_view> pieces{header};
  for (const auto& f : entry.files) pieces.push_back(f.data);
  pieces.push_back(entry.stdout_bytes);
  pieces.push_back(entry.stderr_bytes);
  std::uint64_t total = 0;
  for (auto p : pieces) total += p.size();
  std::string blob(k_magic);
  put_le(blob, header.size(), 4);
  blob += header;
  if (!compress_into(blob, pieces, total, zstd_level))
    return util::fail(util::ErrorCode::io, "zstd could not compress the entry");
  if (total > decoded_size_allowed(blob.size())) {
    return util::fail(util::ErrorCode::too_large,
                      "entry of " + std::to_string(total) + " bytes compresses to " +
                          std::to_string(blob.size()) + ": too well to be told from a zstd bomb");
  }
  return blob;
}

util::Result<EntryView> decode_entry_view(std::string_view blob, std::string_view key,
                                          std::uint64_t max_decoded_size) {
  auto corrupt = [](std::string what) { return util::fail(util::ErrorCode::corrupt, what); };
  if (!blob.starts_with(k_magic)) {
    // "SCCPPE01": before entries named their key.
    if (blob.size() >= k_magic.size() && blob.starts_with(k_magic.substr(0, 6)))
      return util::fail(util::ErrorCode::unsupported, "cache entry of another format version");
    return corrupt("not a cache entry (bad magic)");
  }
  Cursor c(blob.substr(k_magic.size()));
  std::uint64_t header_size = 0;
  std::string_view header_bytes;
  Header h;
  if (!c.number(header_size, 4) || header_size > k_max_header ||
      !c.bytes(header_bytes, header_size) || !parse_header(header_bytes, h)) {
    return corrupt("cache entry header is malformed");
  }
  if (h.key != key) return corrupt("cache entry was stored under another key");
  // Sizes come from the header, which is only checked once decompressed: so they are capped, by
  // the caller's limit and by what this blob can honestly expand to, before allocating.
  std::uint64_t size = header_size + h.data_size;
  if (h.data_size > max_decoded_size || size > max_decoded_size ||
      size > decoded_size_allowed(blob.size())) {
    return corrupt("cache entry of " + std::to_string(size) + " bytes exceeds the limit");
  }
  std::string_view frame = c.rest();
  if (!has_checksum(frame) || ZSTD_getFrameContentSize(frame.data(), frame.size()) != size)
    return corrupt("cache entry has no zstd frame of its declared size with a checksum");
  if (ZSTD_findFrameCompressedSize(frame.data(), frame.size()) != frame.size())
    return corrupt("cache entry frame is truncated or has trailing bytes");
  ZSTD_DCtx* dctx = thread_dctx();
  if (!dctx) return util::fail(util::ErrorCode::io, "out of memory for a zstd context");
  EntryView view;
  // Exactly the declared size, not zeroed first: the decoder writes every byte or fails, and
  // never writes past the end. One flat buffer is decoded in a single pass, without the window
  // buffer and copy that streaming into separate buffers costs (5-9% of a large hit's decode).
  view.m_payload.reset(new char[static_cast<std::size_t>(size)]);
  std::size_t n = ZSTD_decompressDCtx(dctx, view.m_payload.get(), static_cast<std::size_t>(size),
                                      frame.data(), frame.size());
  if (ZSTD_isError(n) || n != size) {
    give_back(std::move(view.m_payload), size);
    return corrupt(std::string("cache entry does not decompress: ") +
                   (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "size mismatch"));
  }
  if (std::memcmp(view.m_payload.get(), header_bytes.data(), header_bytes.size()) != 0) {
    give_back(std::move(view.m_payload), size);
    return corrupt("cache entry header differs from its checksummed copy");
  }
  // The views, roles included, point into the buffer (its header is the checked copy), not into
  // the blob, which the caller may drop.
  const char* base = view.m_payload.get();
  std::string_view rest(base + header_size, h.data_size);
  for (const auto& [name, file_size] : h.files) {
    std::string_view role(base + (name.data() - header_bytes.data()), name.size());
    view.m_files.push_back({role, rest.substr(0, file_size)});
    rest.remove_prefix(file_size);
  }
  view.m_stdout = rest.substr(0, h.stdout_size);
  view.m_stderr = rest.substr(h.stdout_size);
  return view;
}

util::Result<CacheEntry> decode_entry(std::string_view blob, std::string_view key,
                                      std::uint64_t max_decoded_size) {
  auto view = decode_entry_view(blob, key, max_decoded_size);
  if (!view) return tl::make_unexpected(view.error());
  CacheEntry entry;
  for (const auto& f : view->files())
    entry.files.push_back({std::string(f.name), std::string(f.data)});
  entry.stdout_bytes = view->stdout_bytes();
  entry.stderr_bytes = view->stderr_bytes();
  return entry;
}

}  // namespace sccache::storage
