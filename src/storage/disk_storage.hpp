#pragma once
// Local disk backend: `<dir>/<k0>/<k1>/<key>`, size-limited with least-recently-used eviction.
// Writes are atomic (temporary file + rename). Sizes are tracked in memory after an initial scan;
// a read refreshes an entry's mtime, which is its LRU age. Directories it makes get mode
// 0777 & ~umask, entries 0666 & ~umask (SCCACHE_UMASK; the process umask plays no part). Nothing
// below `dir` is followed if it is a symbolic link (`dir` itself may be one).
#include <filesystem>
#include <memory>

#include "storage/storage.hpp"

namespace sccache::storage {

std::unique_ptr<Storage> make_disk_storage(const std::filesystem::path& dir, std::uint64_t max_size,
                                           std::uint32_t umask = 077);

}  // namespace sccache::storage
