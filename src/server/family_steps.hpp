#pragma once
// Steps every compiler family's job ends with, counted the same way: a lookup's outcome into the
// stats, and an entry stored after the answer.
#include <asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "server/cache_lookup.hpp"
#include "server/service.hpp"
#include "storage/cache_entry.hpp"

namespace sccache::server {

// Counts `found` (a timeout, a read error: logged); true when it is a hit, counted for `language`.
bool count_lookup(Service& service, const LookupResult& found, const std::string& language,
                  std::chrono::steady_clock::time_point start);

// Encodes and stores `entry` under `key` on the thread pool; counts the write or its failure.
asio::awaitable<void> store_entry(Service& service, const std::string& key,
                                  const storage::CacheEntry& entry);

}  // namespace sccache::server
