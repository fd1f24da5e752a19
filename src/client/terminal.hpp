#pragma once
// What a compiler would have coloured. The server stores diagnostics in colour (see
// compiler/diagnostics_color.hpp); the client shows them so only where the compiler, run here,
// would have coloured them itself — as Mozilla's client does.
#include <string>
#include <string_view>

#include "protocol/messages.hpp"

namespace sccache::client {

// Colour for this stream: asked for (on), or auto and the stream is a terminal whose TERM is set
// and not "dumb" (the compilers' own test).
bool wants_color(protocol::ColorMode mode, int fd);

// `text` without the SGR and erase-in-line sequences (ESC [ digits/';' then 'm' or 'K') that gcc
// and clang colour diagnostics with; every other byte is kept.
std::string strip_color_codes(std::string_view text);

}  // namespace sccache::client
