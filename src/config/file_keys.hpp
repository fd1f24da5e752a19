#pragma once
// The config file's schema: every key Mozilla's sccache reads from its TOML file (and the few of
// our own, named in the same style), each with the environment variable that stands for it. The
// file is read into values of those variables, so one loader checks both, and the environment
// wins over the file as in Mozilla's sccache.
#include <span>
#include <string_view>

namespace sccache::config {

// The table a key belongs to. A remote's table is used whole or not at all.
enum class Section { top, disk, redis, memcached, s3, webdav };

enum class Kind {
  text,        // a string
  boolean,     // true / false
  integer,     // a non-negative integer (the loader checks its range)
  size,        // bytes as an integer, or a string such as "10G"
  millis,      // milliseconds as an integer, read as the variable's seconds
  path_list,   // an array of strings, read as a ':'-separated list
  octal,       // a mode: a string of octal digits ("002") or an integer (0o002)
  rw_mode,     // "READ_ONLY" / "READ_WRITE"
  fixed_bool,  // a switch Mozilla has and we do not: only its value of our behaviour is accepted
};

struct FileKey {
  std::string_view key;  // dotted path in the file, e.g. "cache.disk.dir"
  std::string_view env;  // the variable it stands for (for fixed_bool: empty)
  Kind kind;
  Section section;
  bool fixed_value = false;  // fixed_bool: the one value accepted
};

std::span<const FileKey> file_keys();
const FileKey* find_file_key(std::string_view dotted);
const FileKey* file_key_for_env(std::string_view env);
std::string_view section_table(Section section);  // "cache.redis", "" for top

// The variables whose presence in the environment makes the environment define that remote
// wholly (Mozilla's sccache replaces a backend's whole file table with the environment's).
bool enables_section(std::string_view env, Section section);

// Tables Mozilla's sccache knows and we do not serve (GCS, Azure, GHA, OSS, COS, dist...), with
// the message a user gets when one is set, in the file or by its variables.
struct UnsupportedFeature {
  std::string_view table;                 // "cache.gcs"
  std::span<const std::string_view> env;  // its variables
  std::string_view what;                  // "Google Cloud Storage"
};
std::span<const UnsupportedFeature> unsupported_features();

}  // namespace sccache::config
