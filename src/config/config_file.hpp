#pragma once
// Mozilla sccache's TOML config file, read into the values of the environment variables its keys
// stand for (file_keys.hpp). Nothing in it stops a compile: a file that is not TOML is not used,
// a key that is unknown, of the wrong type or unsupported is left out, and a remote's table with
// such a key is left out whole (it may be a misspelt credential); each with one warning that
// names the file, the line and the key.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/file_keys.hpp"

namespace sccache::config {

struct FileValue {
  std::string text;  // as the variable would hold it ("true", "10G", "2.5", "/a:/b")
  std::string key;   // "cache.disk.dir"
  std::uint32_t line = 0;
  Section section = Section::top;
};

struct FileSettings {
  std::string path;  // the file read; empty when there was none, or it was not TOML
  std::map<std::string, FileValue, std::less<>> values;  // by variable name
  std::vector<std::string> warnings;                     // one line each, naming file and line
};

// $SCCACHE_CONF, else $XDG_CONFIG_HOME/sccache/config, else ~/.config/sccache/config.
std::filesystem::path config_file_path(const EnvLookup& env);

// Reads the file at `path` (at most 1 MiB). A missing file is no file, without a warning unless
// SCCACHE_CONF named it (`named`).
FileSettings read_config_file(const std::filesystem::path& path, bool named);

// The same for text already read; `path` names it in the warnings.
FileSettings parse_config_text(std::string_view text, const std::string& path);

}  // namespace sccache::config
