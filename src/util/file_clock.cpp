#include "util/file_clock.hpp"

#include <time.h>

#include <algorithm>

namespace sccache::util {

namespace {

constexpr std::int64_t k_second_ns = 1'000'000'000;

// A time with no fraction most likely comes from a file system that keeps whole seconds; FAT keeps
// two. A nanosecond file system shows a whole second once in a billion stamps: then we only wait
// longer than needed.
std::int64_t settled_after(std::int64_t t) {
  return t % k_second_ns == 0 ? t + 2 * k_second_ns : t + 1;
}

}  // namespace

std::int64_t file_clock_now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * k_second_ns + ts.tv_nsec;
}

std::int64_t settled_at_ns(const FileStat& st) {
  return std::max(settled_after(st.mtime_ns), settled_after(st.ctime_ns));
}

bool written_before(const FileStat& st, std::int64_t since_ns) {
  return settled_at_ns(st) <= since_ns;
}

bool maybe_written_since(const FileStat& st, std::int64_t since_ns, std::int64_t now_ns) {
  auto in_window = [&](std::int64_t t) { return settled_after(t) > since_ns && t <= now_ns; };
  return in_window(st.mtime_ns) || in_window(st.ctime_ns);
}

std::int64_t wall_clock_now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * k_second_ns + ts.tv_nsec;
}

}  // namespace sccache::util
