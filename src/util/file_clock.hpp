#pragma once
// The clock the file system stamps files with. Linux sets a file's times from the kernel's coarse
// clock (CLOCK_REALTIME_COARSE, one tick behind the fine clock at most; multigrain file systems
// may hand out a fine time instead, never one below the coarse clock). So a write made at or after
// a reading of this clock gets times no earlier than that reading: times below it prove the file
// was last written before — the only proof a cache can have that what it hashes now is what a
// compile read then.
#include <cstdint>

#include "util/fs.hpp"

namespace sccache::util {

// Now, on the file system's clock (nanoseconds since the epoch).
std::int64_t file_clock_now_ns();

// Whether no write at or after `since_ns` (a file_clock_now_ns() reading) can have left these
// times. A file system that keeps whole seconds (or FAT's two) rounds times down: such times must
// be that much below `since_ns`.
bool written_before(const FileStat& st, std::int64_t since_ns);

// Whether a write at or after `since_ns` (a file_clock_now_ns() reading), and before `now_ns` (the
// fine wall clock, read after the stat), can have left these times. Unlike !written_before, a
// time later than `now_ns` is no sign of such a write: it was set by hand (touch -d, an archive's
// dates, another machine's clock), and a write would have replaced it with the present.
bool maybe_written_since(const FileStat& st, std::int64_t since_ns, std::int64_t now_ns);

// The fine wall clock (CLOCK_REALTIME), for maybe_written_since.
std::int64_t wall_clock_now_ns();

// When `written_before(st, t)` will hold for a reading t taken at that time or later (the latest
// of the file's times, rounded up as above, plus one nanosecond).
std::int64_t settled_at_ns(const FileStat& st);

}  // namespace sccache::util
