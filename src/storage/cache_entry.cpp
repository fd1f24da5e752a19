#include "storage/cache_entry.hpp"

#include <zstd.h>

#include <memory>

namespace sccache::storage {

namespace {

constexpr std::string_view k_magic = "SCCPPE01";

void put_le(std::string& out, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Reads little-endian integers and byte runs from the decompressed payload, bounds-checked.
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
  bool sized_bytes(std::string_view& out) {
    std::uint64_t n = 0;
    return number(n, 8) && bytes(out, n);
  }
  bool at_end() const { return m_pos == m_in.size(); }

 private:
  std::string_view m_in;
  std::size_t m_pos = 0;
};

std::string serialize(const CacheEntry& entry) {
  std::string payload;
  put_le(payload, entry.files.size(), 4);
  for (const auto& f : entry.files) {
    put_le(payload, f.name.size(), 2);
    payload += f.name;
    put_le(payload, f.mode, 4);
    put_le(payload, f.data.size(), 8);
    payload += f.data;
  }
  put_le(payload, entry.stdout_bytes.size(), 8);
  payload += entry.stdout_bytes;
  put_le(payload, entry.stderr_bytes.size(), 8);
  payload += entry.stderr_bytes;
  return payload;
}

// Views into `payload`, which the caller keeps alive.
bool parse(std::string_view payload, std::vector<EntryView::File>& files, std::string_view& out,
           std::string_view& err) {
  Cursor c(payload);
  std::uint64_t count = 0;
  bool ok = c.number(count, 4);
  for (std::uint64_t i = 0; ok && i < count; ++i) {
    EntryView::File f;
    std::uint64_t name_size = 0, mode = 0;
    ok = c.number(name_size, 2) && c.bytes(f.name, name_size) && c.number(mode, 4) &&
         c.sized_bytes(f.data);
    f.mode = static_cast<std::uint32_t>(mode);
    if (ok) files.push_back(f);
  }
  return ok && c.sized_bytes(out) && c.sized_bytes(err) && c.at_end();
}

// The format promises a checksummed frame; a frame without one could hide damage, so it is
// rejected. Frame header (RFC 8878): 4-byte magic, then the descriptor whose bit 2 is the
// Content_Checksum_flag. A skippable frame has another magic and is rejected here too.
bool has_checksum(std::string_view frame) {
  constexpr std::string_view k_zstd_magic = "\x28\xb5\x2f\xfd";
  return frame.size() > k_zstd_magic.size() && frame.starts_with(k_zstd_magic) &&
         (static_cast<unsigned char>(frame[k_zstd_magic.size()]) & 0x04) != 0;
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

namespace {

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

}  // namespace

std::string encode_entry(const CacheEntry& entry, int zstd_level) {
  std::string payload = serialize(entry);
  ZSTD_CCtx* ctx = thread_cctx();
  if (!ctx) return {};
  // Out-of-range levels are clamped by zstd. The pledged size goes into the frame header, where
  // decode_entry reads it to size its buffer and to enforce its cap before decompressing.
  ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, zstd_level);
  ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setPledgedSrcSize(ctx, payload.size());
  std::string blob(k_magic);
  blob.resize(k_magic.size() + ZSTD_compressBound(payload.size()));
  std::size_t n = ZSTD_compress2(ctx, blob.data() + k_magic.size(), blob.size() - k_magic.size(),
                                 payload.data(), payload.size());
  if (ZSTD_isError(n))
    return {};  // cannot happen with a bound-sized buffer; an empty blob never decodes
  blob.resize(k_magic.size() + n);
  return blob;
}

util::Result<EntryView> decode_entry_view(std::string_view blob, std::uint64_t max_decoded_size) {
  if (!blob.starts_with(k_magic))
    return util::fail(util::ErrorCode::corrupt, "not a cache entry (bad magic)");
  std::string_view frame = blob.substr(k_magic.size());
  unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || !has_checksum(frame)) {
    return util::fail(util::ErrorCode::corrupt,
                      "cache entry has no zstd frame header with size and checksum");
  }
  if (size > max_decoded_size) {
    return util::fail(util::ErrorCode::corrupt,
                      "cache entry of " + std::to_string(size) + " bytes exceeds the limit");
  }
  if (ZSTD_findFrameCompressedSize(frame.data(), frame.size()) != frame.size()) {
    return util::fail(util::ErrorCode::corrupt,
                      "cache entry frame is truncated or has trailing bytes");
  }
  ZSTD_DCtx* dctx = thread_dctx();
  if (!dctx) return util::fail(util::ErrorCode::io, "out of memory for a zstd context");
  EntryView view;
  // Not zeroed first (std::string would): the decoder writes every byte or fails.
  view.m_payload.reset(new char[static_cast<std::size_t>(size)]);
  std::size_t n = ZSTD_decompressDCtx(dctx, view.m_payload.get(), static_cast<std::size_t>(size),
                                      frame.data(), frame.size());
  if (ZSTD_isError(n) || n != size) {
    return util::fail(util::ErrorCode::corrupt,
                      std::string("cache entry does not decompress: ") +
                          (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "size mismatch"));
  }
  std::string_view payload(view.m_payload.get(), n);
  if (!parse(payload, view.m_files, view.m_stdout, view.m_stderr))
    return util::fail(util::ErrorCode::corrupt, "cache entry payload is malformed");
  return view;
}

util::Result<CacheEntry> decode_entry(std::string_view blob, std::uint64_t max_decoded_size) {
  auto view = decode_entry_view(blob, max_decoded_size);
  if (!view) return tl::make_unexpected(view.error());
  CacheEntry entry;
  for (const auto& f : view->files())
    entry.files.push_back({std::string(f.name), f.mode, std::string(f.data)});
  entry.stdout_bytes = view->stdout_bytes();
  entry.stderr_bytes = view->stderr_bytes();
  return entry;
}

}  // namespace sccache::storage
