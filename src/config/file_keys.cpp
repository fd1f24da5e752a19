#include "config/file_keys.hpp"

#include <array>

namespace sccache::config {

namespace {

using enum Kind;
using enum Section;

// Mozilla's names (src/config.rs, FileConfig and the *CacheConfig structs); ours are marked.
constexpr std::array k_keys{
    FileKey{"server_startup_timeout_ms", "SCCACHE_STARTUP_TIMEOUT", millis, top},
    FileKey{"basedirs", "SCCACHE_BASEDIRS", path_list, top},
    FileKey{"idle_timeout", "SCCACHE_IDLE_TIMEOUT", integer, top},          // ours
    FileKey{"cache_zstd_level", "SCCACHE_CACHE_ZSTD_LEVEL", integer, top},  // ours
    FileKey{"remote_timeout_ms", "SCCACHE_REMOTE_TIMEOUT", millis, top},    // ours
    FileKey{"client_side_mode", "", fixed_bool, top, false},

    FileKey{"cache.disk.dir", "SCCACHE_DIR", text, disk},
    FileKey{"cache.disk.size", "SCCACHE_CACHE_SIZE", size, disk},
    FileKey{"cache.disk.rw_mode", "SCCACHE_LOCAL_RW_MODE", rw_mode, disk},
    FileKey{"cache.disk.umask", "SCCACHE_UMASK", octal, disk},  // ours
    FileKey{"cache.disk.preprocessor_cache_mode.use_preprocessor_cache_mode", "SCCACHE_DIRECT",
            boolean, disk},
    // Direct mode's own choices (docs/ARCHITECTURE.md): a header is always hashed (a stat match
    // only spares the hashing of an unchanged one), time macros and system headers always count.
    FileKey{"cache.disk.preprocessor_cache_mode.file_stat_matches", "", fixed_bool, disk, false},
    FileKey{"cache.disk.preprocessor_cache_mode.use_ctime_for_stat", "", fixed_bool, disk, true},
    FileKey{"cache.disk.preprocessor_cache_mode.ignore_time_macros", "", fixed_bool, disk, false},
    FileKey{"cache.disk.preprocessor_cache_mode.skip_system_headers", "", fixed_bool, disk, false},
    FileKey{"cache.disk.preprocessor_cache_mode.hash_working_directory", "", fixed_bool, disk,
            true},

    FileKey{"cache.redis.url", "SCCACHE_REDIS", text, redis},
    FileKey{"cache.redis.endpoint", "SCCACHE_REDIS_ENDPOINT", text, redis},
    FileKey{"cache.redis.username", "SCCACHE_REDIS_USERNAME", text, redis},
    FileKey{"cache.redis.password", "SCCACHE_REDIS_PASSWORD", text, redis},
    FileKey{"cache.redis.db", "SCCACHE_REDIS_DB", integer, redis},
    FileKey{"cache.redis.expiration", "SCCACHE_REDIS_EXPIRATION", integer, redis},
    FileKey{"cache.redis.ttl", "SCCACHE_REDIS_TTL", integer, redis},
    FileKey{"cache.redis.key_prefix", "SCCACHE_REDIS_KEY_PREFIX", text, redis},
    FileKey{"cache.redis.rw_mode", "SCCACHE_REDIS_RW_MODE", rw_mode, redis},

    FileKey{"cache.memcached.url", "SCCACHE_MEMCACHED", text, memcached},
    FileKey{"cache.memcached.endpoint", "SCCACHE_MEMCACHED_ENDPOINT", text, memcached},
    FileKey{"cache.memcached.username", "SCCACHE_MEMCACHED_USERNAME", text, memcached},
    FileKey{"cache.memcached.password", "SCCACHE_MEMCACHED_PASSWORD", text, memcached},
    FileKey{"cache.memcached.expiration", "SCCACHE_MEMCACHED_EXPIRATION", integer, memcached},
    FileKey{"cache.memcached.key_prefix", "SCCACHE_MEMCACHED_KEY_PREFIX", text, memcached},
    FileKey{"cache.memcached.rw_mode", "SCCACHE_MEMCACHED_RW_MODE", rw_mode, memcached},

    FileKey{"cache.s3.bucket", "SCCACHE_BUCKET", text, s3},
    FileKey{"cache.s3.region", "SCCACHE_REGION", text, s3},
    FileKey{"cache.s3.endpoint", "SCCACHE_ENDPOINT", text, s3},
    FileKey{"cache.s3.use_ssl", "SCCACHE_S3_USE_SSL", boolean, s3},
    FileKey{"cache.s3.key_prefix", "SCCACHE_S3_KEY_PREFIX", text, s3},
    FileKey{"cache.s3.no_credentials", "SCCACHE_S3_NO_CREDENTIALS", boolean, s3},
    FileKey{"cache.s3.server_side_encryption", "SCCACHE_S3_SERVER_SIDE_ENCRYPTION", boolean, s3},
    FileKey{"cache.s3.server_side_encryption_aws_kms", "SCCACHE_S3_SERVER_SIDE_ENCRYPTION_AWS_KMS",
            boolean, s3},
    FileKey{"cache.s3.server_side_encryption_kms_key_id",
            "SCCACHE_S3_SERVER_SIDE_ENCRYPTION_KMS_KEY_ID", text, s3},
    FileKey{"cache.s3.enable_virtual_host_style", "SCCACHE_S3_ENABLE_VIRTUAL_HOST_STYLE", boolean,
            s3},
    FileKey{"cache.s3.rw_mode", "SCCACHE_S3_RW_MODE", rw_mode, s3},

    FileKey{"cache.webdav.endpoint", "SCCACHE_WEBDAV_ENDPOINT", text, webdav},
    FileKey{"cache.webdav.key_prefix", "SCCACHE_WEBDAV_KEY_PREFIX", text, webdav},
    FileKey{"cache.webdav.username", "SCCACHE_WEBDAV_USERNAME", text, webdav},
    FileKey{"cache.webdav.password", "SCCACHE_WEBDAV_PASSWORD", text, webdav},
    FileKey{"cache.webdav.token", "SCCACHE_WEBDAV_TOKEN", text, webdav},
    FileKey{"cache.webdav.rw_mode", "SCCACHE_WEBDAV_RW_MODE", rw_mode, webdav},
};

constexpr std::array<std::string_view, 7> k_gcs_env{
    "SCCACHE_GCS_BUCKET",          "SCCACHE_GCS_KEY_PATH", "SCCACHE_GCS_SERVICE_ACCOUNT",
    "SCCACHE_GCS_CREDENTIALS_URL", "SCCACHE_GCS_RW_MODE",  "SCCACHE_GCS_KEY_PREFIX",
    "SCCACHE_GCS_OAUTH_URL"};
constexpr std::array<std::string_view, 3> k_gha_env{"SCCACHE_GHA_ENABLED", "SCCACHE_GHA_VERSION",
                                                    "SCCACHE_GHA_RW_MODE"};
constexpr std::array<std::string_view, 6> k_azure_env{
    "SCCACHE_AZURE_CONNECTION_STRING", "SCCACHE_AZURE_BLOB_CONTAINER", "SCCACHE_AZURE_KEY_PREFIX",
    "SCCACHE_AZURE_STORAGE_ACCOUNT",   "SCCACHE_AZURE_ENDPOINT",       "SCCACHE_AZURE_RW_MODE"};
constexpr std::array<std::string_view, 5> k_oss_env{
    "SCCACHE_OSS_BUCKET", "SCCACHE_OSS_ENDPOINT", "SCCACHE_OSS_KEY_PREFIX",
    "SCCACHE_OSS_NO_CREDENTIALS", "SCCACHE_OSS_RW_MODE"};
constexpr std::array<std::string_view, 4> k_cos_env{
    "SCCACHE_COS_BUCKET", "SCCACHE_COS_ENDPOINT", "SCCACHE_COS_KEY_PREFIX", "SCCACHE_COS_RW_MODE"};
constexpr std::array<std::string_view, 2> k_multilevel_env{"SCCACHE_MULTILEVEL_CHAIN",
                                                           "SCCACHE_MULTILEVEL_WRITE_ERROR_POLICY"};
constexpr std::array<std::string_view, 1> k_cluster_env{"SCCACHE_REDIS_CLUSTER_ENDPOINTS"};
constexpr std::array<std::string_view, 0> k_no_env{};

constexpr std::array k_unsupported{
    UnsupportedFeature{"cache.gcs", k_gcs_env, "Google Cloud Storage"},
    UnsupportedFeature{"cache.gha", k_gha_env, "the GitHub Actions cache"},
    UnsupportedFeature{"cache.azure", k_azure_env, "Azure Blob Storage"},
    UnsupportedFeature{"cache.oss", k_oss_env, "Alibaba OSS"},
    UnsupportedFeature{"cache.cos", k_cos_env, "Tencent COS"},
    UnsupportedFeature{"cache.multilevel", k_multilevel_env,
                       "a multi-level chain (the levels are always the local disk, then the one "
                       "configured remote)"},
    UnsupportedFeature{"cache.redis.cluster_endpoints", k_cluster_env, "Redis Cluster"},
    UnsupportedFeature{"dist", k_no_env,
                       "distributed compilation with sccache-dist (compiles run on this machine)"},
};

}  // namespace

std::span<const FileKey> file_keys() {
  return k_keys;
}

const FileKey* find_file_key(std::string_view dotted) {
  for (const auto& k : k_keys)
    if (k.key == dotted) return &k;
  return nullptr;
}

const FileKey* file_key_for_env(std::string_view env) {
  if (env.empty()) return nullptr;
  for (const auto& k : k_keys)
    if (k.env == env) return &k;
  return nullptr;
}

std::string_view section_table(Section section) {
  switch (section) {
    case top:
      return "";
    case disk:
      return "cache.disk";
    case redis:
      return "cache.redis";
    case memcached:
      return "cache.memcached";
    case s3:
      return "cache.s3";
    case webdav:
      return "cache.webdav";
  }
  return "";
}

bool enables_section(std::string_view env, Section section) {
  switch (section) {
    case redis:
      return env == "SCCACHE_REDIS" || env == "SCCACHE_REDIS_ENDPOINT" ||
             env == "SCCACHE_REDIS_CLUSTER_ENDPOINTS";
    case memcached:
      return env == "SCCACHE_MEMCACHED" || env == "SCCACHE_MEMCACHED_ENDPOINT";
    case s3:
      return env == "SCCACHE_BUCKET";
    case webdav:
      return env == "SCCACHE_WEBDAV_ENDPOINT";
    case top:
    case disk:
      return false;
  }
  return false;
}

std::span<const UnsupportedFeature> unsupported_features() {
  return k_unsupported;
}

}  // namespace sccache::config
