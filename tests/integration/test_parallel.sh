#!/usr/bin/env bash
# 8 clients in parallel over 50 files, cold then warm: every object right, counts exact.
source "$SCCACHE_TEST_LIB"

echo 'static inline int shared(int x) { return x * 3; }' > shared.h
for i in $(seq 1 50); do
  printf '#include "shared.h"\nint f%d(void) { return shared(%d); }\n' "$i" "$i" > "f$i.c"
  gcc -O1 -c "f$i.c" -o "f$i.direct.o"
done
zero_stats
build() {
  rm -f f*.cached.o
  seq 1 50 | xargs -P 8 -I{} "$SCCACHE_BIN" gcc -O1 -c f{}.c -o f{}.cached.o
  for i in $(seq 1 50); do assert_files_identical "f$i.direct.o" "f$i.cached.o"; done
}
build
assert_eq 50 "$(misses)" "cold build: 50 misses"
assert_eq 0 "$(hits)" "cold build: no hits"
build
assert_eq 50 "$(hits)" "warm build: 50 hits"
assert_eq 50 "$(misses)" "warm build: no new misses"
assert_eq 0 "$(stat_json .stats.cache_read_errors)" "no read errors"
assert_eq 0 "$(stat_json .stats.cache_write_errors)" "no write errors"
assert_eq 100 "$(stat_json .stats.requests_executed)" "every request executed"
echo "ok"
