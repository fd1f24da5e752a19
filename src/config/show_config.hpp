#pragma once
// `sccache --show-config`: the effective settings as a config file would write them, each with
// where its value came from (default, the file's path:line, or the environment variable), secrets
// masked. Settings the file cannot hold (the socket, logging...) follow as comments.
#include <string>

#include "config/config.hpp"

namespace sccache::config {

std::string render_config(const LoadedConfig& loaded);

// "redis://user:****@host:6379/0": a URL's password masked.
std::string mask_url_password(const std::string& url);

}  // namespace sccache::config
