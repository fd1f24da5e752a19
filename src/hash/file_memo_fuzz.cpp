// Fuzzes what the file memo reads out of a header's text: the __has_include probes (each a
// non-empty one-line name, listed once) and whether a clock macro is mentioned (checked against a
// plain search for the names).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "hash/file_memo.hpp"

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "file memo: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sccache::hash;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto probes = find_include_probes(text);
  for (auto it = probes.begin(); it != probes.end(); ++it) {
    check(!it->name.empty() && it->name.find('\n') == std::string::npos, "a malformed probe name");
    check(std::find(probes.begin(), it, *it) == it, "a probe listed twice");
  }
  // A macro's name glued to a longer run of underscores is another identifier: either answer.
  bool anywhere = false, token = false;
  for (std::string_view macro : {"__DATE__", "__TIME__", "__TIMESTAMP__"}) {
    for (auto pos = text.find(macro); pos != std::string_view::npos;
         pos = text.find(macro, pos + 1)) {
      anywhere = true;
      token = token || pos == 0 || text[pos - 1] != '_';
    }
  }
  bool mentions = mentions_time_macros(text);
  check(!token || mentions, "a clock macro missed");
  check(anywhere || !mentions, "a clock macro where there is none");
  return 0;
}
