#pragma once
// SCCACHE_BASEDIRS for one compile: the same project at two paths shares cache entries wherever the
// output cannot differ. Its base dir is the longest configured one holding its working directory
// (else its source); in what goes into the preprocessor-mode key — the arguments and the
// preprocessor's line markers, and the working directory when -g puts it in the object but a prefix
// map (-ffile-prefix-map, -fdebug-prefix-map) takes it out — that directory is replaced by a token.
// What is not made relative keeps the compiles apart: a __FILE__ expanded to an absolute path is
// text, not a line marker; plain -g keeps the absolute working directory in the key (the object
// names it). The compile itself runs as asked; a hit from another checkout writes its dependency
// file and stderr with this compile's base dir (cache_lookup.cpp).
#include <string>
#include <string_view>
#include <vector>

namespace sccache::compiler::c_family {

// `basedirs` normalized, each ending in '/' (config::ServerConfig::basedirs). "" when none holds
// `cwd` or else `input` (absolute).
std::string base_dir_for(const std::vector<std::string>& basedirs, std::string_view cwd,
                         std::string_view input);

// Every path in `arg` under `base` (ending in '/') with `base` replaced by the token: where `base`
// starts the argument, follows an option's name (-I/x, -isystem/x) or a separator (=, ',', ':'),
// and ends at a '/' or the end (the base dir itself).
std::string relative_to_base(std::string_view arg, std::string_view base);

// The preprocessed text with the paths of its line markers (# N "path" ...) under `base` made
// relative the same way; the rest of the text as it is.
std::string relativize_line_markers(std::string_view preprocessed, std::string_view base);

// Whether a prefix map in `args` (-ffile-prefix-map=OLD=NEW, -fdebug-prefix-map=OLD=NEW) maps
// every path under `base`: OLD is `base` or a directory above it.
bool prefix_map_covers(const std::vector<std::string>& args, std::string_view base);

// `text` with every `from` replaced by `to` (a stored dep file's or stderr's base dir).
std::string replace_all(std::string_view text, std::string_view from, std::string_view to);

}  // namespace sccache::compiler::c_family
