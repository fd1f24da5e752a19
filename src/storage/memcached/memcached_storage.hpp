#pragma once
// A memcached server as cache storage, through Debian's libmemcached. The library is loaded with
// dlopen by the server when a memcached level is configured: linking it would put libstdc++,
// libcrypto and libsasl2 into every client start.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "storage/storage.hpp"

namespace sccache::storage::memcached {

struct MemcachedTarget {
  std::string host = "127.0.0.1";
  std::uint16_t port = 11211;
  std::uint64_t expiration_seconds = 86400;  // SCCACHE_MEMCACHED_EXPIRATION (Mozilla's default)
  std::string key_prefix;
  std::string username;  // with password: SASL PLAIN (binary protocol), as memcached -S asks
  std::string password;
  std::chrono::milliseconds timeout{3000};
};

// From SCCACHE_MEMCACHED: tcp://host:port (also host:port).
util::Result<MemcachedTarget> parse_memcached_url(const std::string& url);

// An error when libmemcached cannot be loaded.
util::Result<std::unique_ptr<Storage>> make_memcached_storage(MemcachedTarget target);

}  // namespace sccache::storage::memcached
