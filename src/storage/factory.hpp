#pragma once
// The storage a server's configuration asks for: local disk, with a remote level behind it when one
// is configured. Creating it never contacts a remote: an unreachable one costs misses, not
// start-up.
#include <memory>

#include "config/config.hpp"
#include "storage/storage.hpp"

namespace sccache::storage {

util::Result<std::unique_ptr<Storage>> make_storage(const config::ServerConfig& config);

}  // namespace sccache::storage
