#include "client/terminal.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace sccache::client {

bool wants_color(protocol::ColorMode mode, int fd) {
  if (mode != protocol::ColorMode::automatic) return mode == protocol::ColorMode::on;
  const char* term = std::getenv("TERM");
  return term && std::strcmp(term, "dumb") != 0 && ::isatty(fd) == 1;
}

std::string strip_color_codes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      std::size_t j = i + 2;
      while (j < text.size() && ((text[j] >= '0' && text[j] <= '9') || text[j] == ';')) ++j;
      if (j < text.size() && (text[j] == 'm' || text[j] == 'K')) {
        i = j;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace sccache::client
