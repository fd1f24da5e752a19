#include "config/config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

// toml++ header-only, in this file alone: the client, which starts on every compile, then loads
// no shared library for it (Debian's libtomlplusplus.so would be one more).
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

namespace sccache::config {

namespace {

constexpr std::size_t k_max_file_bytes = 1u << 20;

const char* type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date or time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

const char* expected_for(Kind kind) {
  switch (kind) {
    case Kind::text:
      return "a string";
    case Kind::boolean:
    case Kind::fixed_bool:
      return "true or false";
    case Kind::integer:
      return "a non-negative integer";
    case Kind::size:
      return "a size: a number of bytes, or a string such as \"10G\" or \"500M\"";
    case Kind::millis:
      return "a non-negative integer (milliseconds)";
    case Kind::path_list:
      return "an array of strings";
    case Kind::octal:
      return "an octal mode: a string such as \"002\", or an integer such as 0o002";
    case Kind::rw_mode:
      return "\"READ_ONLY\" or \"READ_WRITE\"";
  }
  return "";
}

// Debian 12's toml++ 3.3.0 reaches __builtin_unreachable() (undefined behaviour: found by the
// fuzzer) when it asks whether some characters of U+00A1–U+FEFF are whitespace — after a value
// (`size = 5é`), in a key, or after a line-ending backslash in a multi-line string: its table
// (is_non_ascii_horizontal_whitespace) splits the range in 64 buckets of 0x3FA and leaves five
// unhandled. So those characters reach it as stand-ins from plane 15's private use area
// (U+F0000 + the character), which it classifies safely, and come back in every string we take
// from it. A file that holds such a stand-in itself is refused.
bool tomlpp_misclassifies(char32_t c) {
  if (c <= 0xA0 || c >= 0xFEFF || c == 0x3000) return false;
  auto bucket = (static_cast<std::uint64_t>(c) - 0xA0) / 0x3FA;
  bool handled = ((1ull << bucket) & 0x7FFFFFFFFFFFF75Eull) != 0 || bucket == 5 || bucket == 7;
  return !handled;
}
constexpr char32_t k_stand_in = 0xF0000;

void put_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The code point of a well-formed 2- to 4-byte sequence at `at`, and its length; else 0.
std::pair<char32_t, std::size_t> get_utf8(std::string_view s, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char b = byte(at);
  std::size_t n = b >= 0xF0 && b < 0xF5 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
  if (n == 0 || at + n > s.size()) return {0, 0};
  char32_t c = b & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (std::size_t i = 1; i < n; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return {0, 0};
    c = (c << 6) | (byte(at + i) & 0x3F);
  }
  return {c, n};
}

// `text` with the troublesome characters replaced by their stand-ins (or back, `restore`);
// nullopt when a text to shelter holds a stand-in already.
std::optional<std::string> shelter(std::string_view text, bool restore) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto [c, n] = static_cast<unsigned char>(text[i]) < 0x80
                      ? std::pair<char32_t, std::size_t>{0, 0}
                      : get_utf8(text, i);
    if (n == 0) {
      out += text[i++];
      continue;
    }
    char32_t mapped = c;
    bool stand_in =
        c >= k_stand_in && c - k_stand_in < 0x10000 && tomlpp_misclassifies(c - k_stand_in);
    if (stand_in && !restore) return std::nullopt;
    if (stand_in) mapped = c - k_stand_in;
    if (!restore && tomlpp_misclassifies(c)) mapped = k_stand_in + c;
    if (mapped == c) {
      out.append(text.substr(i, n));
    } else {
      put_utf8(out, mapped);
    }
    i += n;
  }
  return out;
}

std::string restored(std::string_view text) {
  return *shelter(text, true);
}

std::optional<std::string> string_of(const toml::node& node) {
  auto s = node.value<std::string>();
  if (!s || s->find('\0') != std::string::npos) return std::nullopt;
  return restored(*s);
}

std::optional<std::uint64_t> unsigned_of(const toml::node& node) {
  auto* i = node.as_integer();
  if (!i || i->get() < 0) return std::nullopt;
  return static_cast<std::uint64_t>(i->get());
}

std::string millis_as_seconds(std::uint64_t ms) {
  std::string frac = std::to_string(1000 + ms % 1000).substr(1);
  return std::to_string(ms / 1000) + "." + frac;
}

// The value as the variable would hold it, or nothing when its type is not the key's.
std::optional<std::string> convert(const FileKey& key, const toml::node& node) {
  switch (key.kind) {
    case Kind::text:
      return string_of(node);
    case Kind::rw_mode:
      return string_of(node);
    case Kind::boolean:
    case Kind::fixed_bool:
      if (auto* b = node.as_boolean()) return std::string(b->get() ? "true" : "false");
      return std::nullopt;
    case Kind::integer:
      if (auto n = unsigned_of(node)) return std::to_string(*n);
      return std::nullopt;
    case Kind::size:
      if (auto n = unsigned_of(node)) return std::to_string(*n);
      return string_of(node);
    case Kind::millis:
      if (auto n = unsigned_of(node)) return millis_as_seconds(*n);
      return std::nullopt;
    case Kind::octal:
      if (auto n = unsigned_of(node)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%llo", static_cast<unsigned long long>(*n));
        return std::string(buf);
      }
      return string_of(node);
    case Kind::path_list: {
      auto* array = node.as_array();
      if (!array) return std::nullopt;
      std::string joined;
      for (const auto& item : *array) {
        auto s = string_of(item);
        if (!s || s->find(':') != std::string::npos) return std::nullopt;
        if (!joined.empty()) joined += ':';
        joined += *s;
      }
      return joined;
    }
  }
  return std::nullopt;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// A known key of the same table a typo is close to.
std::string suggestion(std::string_view dotted) {
  auto dot = dotted.rfind('.');
  std::string_view table = dot == std::string_view::npos ? "" : dotted.substr(0, dot);
  std::string_view leaf = dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& k : file_keys()) {
    auto kdot = k.key.rfind('.');
    std::string_view ktable = kdot == std::string_view::npos ? "" : k.key.substr(0, kdot);
    std::string_view kleaf = kdot == std::string_view::npos ? k.key : k.key.substr(kdot + 1);
    if (ktable != table) continue;
    auto d = edit_distance(leaf, kleaf);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(kleaf);
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

bool is_table_prefix(std::string_view dotted) {
  for (const auto& k : file_keys())
    if (k.key.size() > dotted.size() && k.key.starts_with(dotted) && k.key[dotted.size()] == '.')
      return true;
  return false;
}

std::optional<Section> remote_section_of(std::string_view dotted) {
  for (Section s : {Section::redis, Section::memcached, Section::s3, Section::webdav}) {
    auto table = section_table(s);
    if (dotted == table ||
        (dotted.starts_with(table) && dotted.size() > table.size() && dotted[table.size()] == '.'))
      return s;
  }
  return std::nullopt;
}

const UnsupportedFeature* unsupported_at(std::string_view dotted) {
  for (const auto& f : unsupported_features())
    if (dotted == f.table || (dotted.starts_with(f.table) && dotted.size() > f.table.size() &&
                              dotted[f.table.size()] == '.'))
      return &f;
  return nullptr;
}

class Reader {
 public:
  explicit Reader(std::string path) { m_out.path = std::move(path); }

  void walk(const toml::table& table, const std::string& prefix) {
    for (const auto& [name, node] : table) {
      std::string dotted =
          prefix.empty() ? restored(name.str()) : prefix + "." + restored(name.str());
      visit(dotted, node);
    }
  }

  FileSettings finish() {
    // (toml++ keeps a table's keys sorted: warnings go back to the file's order.)
    std::stable_sort(m_lines.begin(), m_lines.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [line, message] : m_lines) m_out.warnings.push_back(std::move(message));
    for (Section s : m_broken) {
      std::erase_if(m_out.values, [s](const auto& entry) { return entry.second.section == s; });
    }
    return std::move(m_out);
  }

 private:
  void visit(const std::string& dotted, const toml::node& node) {
    std::uint32_t line = node.source().begin.line;
    if (const auto* feature = unsupported_at(dotted)) {
      warn(line, dotted, std::string(feature->what) + " is not supported by this sccache; ignored");
      return;
    }
    const FileKey* key = find_file_key(dotted);
    if (!key) {
      if (node.is_table() && is_table_prefix(dotted)) return walk(*node.as_table(), dotted);
      if (is_table_prefix(dotted))
        return reject(line, dotted, std::string("expected a table, got ") + type_name(node.type()));
      return reject(line, dotted, "unknown key" + suggestion(dotted));
    }
    auto text = convert(*key, node);
    if (!text) {
      return reject(
          line, dotted,
          std::string("expected ") + expected_for(key->kind) + ", got " + type_name(node.type()));
    }
    if (key->kind == Kind::fixed_bool) {
      if ((*text == "true") != key->fixed_value)
        warn(line, dotted,
             "is not supported by this sccache: it keeps " +
                 std::string(key->fixed_value ? "true" : "false"));
      return;
    }
    m_out.values[std::string(key->env)] = FileValue{std::move(*text), dotted, line, key->section};
  }

  // A key that cannot be used: ignored, and its remote's table with it.
  void reject(std::uint32_t line, const std::string& dotted, const std::string& problem) {
    auto remote = remote_section_of(dotted);
    if (!remote) return warn(line, dotted, problem + "; ignored");
    m_broken.insert(*remote);
    warn(line, dotted, problem + "; [" + std::string(section_table(*remote)) + "] is not used");
  }

  void warn(std::uint32_t line, const std::string& dotted, const std::string& message) {
    m_lines.emplace_back(line,
                         m_out.path + ":" + std::to_string(line) + ": " + dotted + ": " + message);
  }

  FileSettings m_out;
  std::vector<std::pair<std::uint32_t, std::string>> m_lines;
  std::set<Section> m_broken;
};

std::optional<std::string> env_value(const EnvLookup& env, const char* name) {
  auto v = env(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

}  // namespace

std::filesystem::path config_file_path(const EnvLookup& env) {
  if (auto conf = env_value(env, "SCCACHE_CONF")) return *conf;
  auto xdg = env_value(env, "XDG_CONFIG_HOME");
  if (xdg && std::filesystem::path(*xdg).is_absolute())
    return std::filesystem::path(*xdg) / "sccache" / "config";
  return home_dir(env) / ".config" / "sccache" / "config";
}

FileSettings parse_config_text(std::string_view text, const std::string& path) {
  Reader reader(path);
  auto sheltered = shelter(text, false);
  if (!sheltered) {
    FileSettings out;
    out.warnings.push_back(path +
                           ": holds private-use characters of U+F00A1–U+FFEFE, which this sccache "
                           "cannot read; the file is not used");
    return out;
  }
  auto parsed = toml::parse(*sheltered, std::string_view(path));
  if (!parsed) {
    const auto& error = parsed.error();
    FileSettings out;  // (no path: no file was read)
    out.warnings.push_back(path + ":" + std::to_string(error.source().begin.line) + ":" +
                           std::to_string(error.source().begin.column) + ": not valid TOML: " +
                           restored(error.description()) + "; the file is not used");
    return out;
  }
  reader.walk(parsed.table(), "");
  return reader.finish();
}

FileSettings read_config_file(const std::filesystem::path& path, bool named) {
  FileSettings none;
  std::string shown = path.string();
  auto fail = [&](const std::string& why) {
    none.warnings.push_back(shown + ": " + why + "; no config file is used");
    return none;
  };
  int fd = ::open(shown.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT && !named) return none;
    return fail(std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail("not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > k_max_file_bytes) {
    ::close(fd);
    return fail("larger than 1 MiB");
  }
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  return parse_config_text(text, shown);
}

}  // namespace sccache::config
