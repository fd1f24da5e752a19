#pragma once
// `sccache <compiler> <args…>`: hand the compile to the server and replay its result, or run the
// compiler here whenever the server cannot or will not (the build never fails because of the
// cache).
#include <string>
#include <vector>

#include "config/config.hpp"

namespace sccache::client {

// `compiler` as typed by the user (name or path); `args` after it. Returns the exit code to use,
// or does not return (the compiler replaced this process).
int run_compile(const config::ClientConfig& endpoint, const std::string& compiler,
                const std::vector<std::string>& args);

// The executable `name` resolves to: itself when it holds a '/', else the first PATH match that
// is not this program (so a `gcc → sccache` symlink finds the real gcc). Empty when none.
std::string resolve_compiler(const std::string& name);

}  // namespace sccache::client
