#include "storage/memcached/memcached_storage.hpp"

#include <libmemcached-1.0/memcached.h>

#include <charconv>
#include <mutex>
#include <vector>

#include "util/log.hpp"
#include "util/shared_library.hpp"

namespace sccache::storage::memcached {

namespace {

// The few libmemcached entry points we use, bound at run time.
struct Api {
  decltype(&::memcached_create) create = nullptr;
  decltype(&::memcached_free) free_st = nullptr;
  decltype(&::memcached_server_add) server_add = nullptr;
  decltype(&::memcached_behavior_set) behavior_set = nullptr;
  decltype(&::memcached_get) get = nullptr;
  decltype(&::memcached_set) set = nullptr;
  decltype(&::memcached_delete) del = nullptr;
  decltype(&::memcached_strerror) strerror = nullptr;
  decltype(&::memcached_set_sasl_auth_data) set_sasl = nullptr;
  decltype(&::memcached_destroy_sasl_auth_data) destroy_sasl = nullptr;
};

util::Result<const Api*> load_api() {
  return util::load_once<Api>("libmemcached.so.11", [](const util::SharedLibrary& lib, Api& api) {
    return lib.bind(api.create, "memcached_create") && lib.bind(api.free_st, "memcached_free") &&
           lib.bind(api.server_add, "memcached_server_add") &&
           lib.bind(api.behavior_set, "memcached_behavior_set") &&
           lib.bind(api.get, "memcached_get") && lib.bind(api.set, "memcached_set") &&
           lib.bind(api.del, "memcached_delete") && lib.bind(api.strerror, "memcached_strerror") &&
           lib.bind(api.set_sasl, "memcached_set_sasl_auth_data") &&
           lib.bind(api.destroy_sasl, "memcached_destroy_sasl_auth_data");
  });
}

class MemcachedStorage final : public Storage {
 public:
  MemcachedStorage(const Api& api, MemcachedTarget target)
      : m_api(api), m_target(std::move(target)) {}
  ~MemcachedStorage() override {
    for (auto* st : m_idle) destroy(st);
  }

  util::Result<std::optional<std::string>> get(const std::string& key) override {
    auto st = acquire();
    if (!st) return tl::make_unexpected(st.error());
    std::string k = m_target.key_prefix + key;
    size_t length = 0;
    uint32_t flags = 0;
    memcached_return_t rc = MEMCACHED_SUCCESS;
    char* value = m_api.get(*st, k.data(), k.size(), &length, &flags, &rc);
    release(*st, rc == MEMCACHED_SUCCESS || rc == MEMCACHED_NOTFOUND);
    if (rc == MEMCACHED_NOTFOUND) return std::optional<std::string>{};
    if (rc != MEMCACHED_SUCCESS || !value) return failure("get", rc);
    std::string data(value, length);
    ::free(value);
    return std::optional<std::string>{std::move(data)};
  }

  util::Result<void> put(const std::string& key, std::string_view blob) override {
    auto st = acquire();
    if (!st) return tl::make_unexpected(st.error());
    std::string k = m_target.key_prefix + key;
    auto rc = m_api.set(*st, k.data(), k.size(), blob.data(), blob.size(),
                        static_cast<time_t>(m_target.expiration_seconds), 0);
    release(*st, rc == MEMCACHED_SUCCESS || rc == MEMCACHED_E2BIG);
    if (rc == MEMCACHED_E2BIG) {
      return util::fail(util::ErrorCode::too_large,
                        "memcached: entry " + key + " of " + std::to_string(blob.size()) +
                            " bytes is above the server's item limit; not stored");
    }
    if (rc != MEMCACHED_SUCCESS) return failure("set", rc);
    return {};
  }

  void remove(const std::string& key) override {
    if (auto st = acquire()) {
      std::string k = m_target.key_prefix + key;
      auto rc = m_api.del(*st, k.data(), k.size(), 0);
      release(*st, rc == MEMCACHED_SUCCESS || rc == MEMCACHED_NOTFOUND);
    }
  }

  std::string location() const override {
    return "Memcached: tcp://" + m_target.host + ":" + std::to_string(m_target.port);
  }
  std::optional<std::uint64_t> current_size() const override { return std::nullopt; }
  std::optional<std::uint64_t> max_size() const override { return std::nullopt; }

 private:
  tl::unexpected<util::Error> failure(const char* what, memcached_return_t rc) const {
    bool timeout = rc == MEMCACHED_TIMEOUT;
    std::string message = std::string("memcached ") + what + ": " + m_api.strerror(nullptr, rc);
    if (rc == MEMCACHED_AUTH_FAILURE || rc == MEMCACHED_AUTH_PROBLEM) {
      message += sasl() ? "; check SCCACHE_MEMCACHED_USERNAME and SCCACHE_MEMCACHED_PASSWORD"
                        : "; this memcached asks for SASL credentials (SCCACHE_MEMCACHED_USERNAME "
                          "and SCCACHE_MEMCACHED_PASSWORD)";
    }
    return util::fail(timeout ? util::ErrorCode::timeout : util::ErrorCode::io, message);
  }

  util::Result<memcached_st*> acquire() {
    {
      std::lock_guard lock(m_mutex);
      if (!m_idle.empty()) {
        auto* st = m_idle.back();
        m_idle.pop_back();
        return st;
      }
    }
    memcached_st* st = m_api.create(nullptr);
    if (!st) return util::fail(util::ErrorCode::io, "memcached: out of memory");
    auto ms = static_cast<uint64_t>(m_target.timeout.count());
    m_api.behavior_set(st, MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, ms);
    m_api.behavior_set(st, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, ms);
    m_api.behavior_set(st, MEMCACHED_BEHAVIOR_BINARY_PROTOCOL, 1);
    // The credentials go in before the first connection: libmemcached authenticates each new one.
    if (sasl() && m_api.set_sasl(st, m_target.username.c_str(), m_target.password.c_str()) !=
                      MEMCACHED_SUCCESS) {
      destroy(st);
      return util::fail(util::ErrorCode::io, "memcached: could not set the SASL credentials");
    }
    m_api.server_add(st, m_target.host.c_str(), m_target.port);
    return st;
  }

  // A handle that saw an error is dropped: its connection state is unknown.
  void release(memcached_st* st, bool healthy) {
    if (!healthy) {
      destroy(st);
      return;
    }
    std::lock_guard lock(m_mutex);
    m_idle.push_back(st);
  }

  bool sasl() const { return !m_target.username.empty(); }

  // libmemcached keeps the credentials it copied until told to drop them (its documentation:
  // before memcached_free).
  void destroy(memcached_st* st) {
    if (sasl()) m_api.destroy_sasl(st);
    m_api.free_st(st);
  }

  const Api& m_api;
  MemcachedTarget m_target;
  std::mutex m_mutex;
  std::vector<memcached_st*> m_idle;
};

}  // namespace

util::Result<MemcachedTarget> parse_memcached_url(const std::string& url) {
  MemcachedTarget t;
  std::string_view rest(url);
  if (rest.starts_with("tcp://")) rest.remove_prefix(6);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  auto colon = rest.rfind(':');
  if (colon != std::string_view::npos) {
    std::string_view port = rest.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), t.port);
    if (ec != std::errc{} || ptr != port.data() + port.size() || t.port == 0) {
      return util::fail(util::ErrorCode::invalid,
                        "invalid memcached URL \"" + url + "\": bad port");
    }
    rest = rest.substr(0, colon);
  }
  if (rest.empty() || rest.find('/') != std::string_view::npos) {
    return util::fail(util::ErrorCode::invalid,
                      "invalid memcached URL \"" + url + "\": expected tcp://host:port");
  }
  t.host = std::string(rest);
  return t;
}

util::Result<std::unique_ptr<Storage>> make_memcached_storage(MemcachedTarget target) {
  auto api = load_api();
  if (!api) return tl::make_unexpected(api.error());
  return std::unique_ptr<Storage>(std::make_unique<MemcachedStorage>(**api, std::move(target)));
}

}  // namespace sccache::storage::memcached
