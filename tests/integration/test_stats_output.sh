#!/usr/bin/env bash
# After a known sequence (a miss, a hit, a link, an -E), --show-stats prints sccache's rows with
# exactly those numbers, the JSON agrees, and --zero-stats zeroes them (keeping the cache).
set -euo pipefail
source "${SCCACHE_TEST_LIB:?set SCCACHE_TEST_LIB to tests/integration/lib.sh}"

echo 'int s(void) { return 7; }' > s.c
echo 'int main(void) { return 0; }' > m.c

for cc in "${COMPILERS[@]}"; do
  zero_stats
  "$SCCACHE_BIN" "$cc" -DCC_"$cc" -c s.c -o s.o   # miss
  "$SCCACHE_BIN" "$cc" -DCC_"$cc" -c s.c -o s.o   # hit
  "$SCCACHE_BIN" "$cc" m.c -o m                   # link: a non-compilation call
  "$SCCACHE_BIN" "$cc" -E s.c > /dev/null         # non-cacheable, reason -E

  text=$("$SCCACHE_BIN" --show-stats)
  row() {  # name (an ERE) value (an ERE)
    grep -Eq "^$1 +$2\$" <<< "$text" || fail "$cc: no row '$1' with value '$2' in:
$text"
  }
  row "Compile requests" 4
  row "Compile requests executed" 2
  row "Cache hits" 1
  row "Cache hits \(C/C\+\+\)" 1
  row "Cache misses" 1
  row "Cache misses \(C/C\+\+\)" 1
  row "Cache timeouts" 0
  row "Cache read errors" 0
  row "Forced recaches" 0
  row "Cache write errors" 0
  row "Compilation failures" 0
  row "Cache errors" 0
  row "Non-cacheable compilations" 0
  row "Non-cacheable calls" 1
  row "Non-compilation calls" 1
  row "Unsupported compiler calls" 0
  row "Average cache write" '[0-9]+\.[0-9]{3} s'
  row "Average compiler" '[0-9]+\.[0-9]{3} s'
  row "Average cache read hit" '[0-9]+\.[0-9]{3} s'
  row "Cache location" "Local disk: \"$SCCACHE_DIR\""
  row "Cache size" '[0-9]+ (bytes|KiB|MiB)'
  row "Max cache size" '10 GiB'
  # The reasons block: a blank line, the heading, one row per reason.
  grep -B1 -A1 '^Non-cacheable reasons:$' <<< "$text" | head -n 3 > reasons.txt
  [[ $(sed -n 1p reasons.txt) == "" && $(sed -n 2p reasons.txt) == "Non-cacheable reasons:" ]] ||
    fail "$cc: a blank line, then 'Non-cacheable reasons:', in:
$text"
  grep -Eq '^-E +1$' reasons.txt || fail "$cc: the first reason row is '-E 1': $(cat reasons.txt)"
  # Each block's rows are right-aligned in one column, as in sccache's table.
  widths=$(sed -n '1,/^$/p' <<< "$text" | grep -Ev '^$|^Average' | awk '{ print length($0) }' | sort -u | wc -l)
  assert_eq 1 "$widths" "$cc: the counter rows end in one column"

  json=$("$SCCACHE_BIN" --show-stats --stats-format json)
  assert_eq 1 "$(wc -l <<< "$json")" "$cc: the JSON is one line"
  jq -e . <<< "$json" > /dev/null || fail "$cc: the JSON parses"
  j() { jq -c "$1" <<< "$json"; }
  assert_eq 4 "$(j .stats.compile_requests)" "$cc: json compile_requests"
  assert_eq 2 "$(j .stats.requests_executed)" "$cc: json requests_executed"
  assert_eq 1 "$(j .stats.requests_not_compile)" "$cc: json requests_not_compile"
  assert_eq 1 "$(j .stats.requests_not_cacheable)" "$cc: json requests_not_cacheable"
  assert_eq 0 "$(j .stats.requests_unsupported_compiler)" "$cc: json requests_unsupported_compiler"
  assert_eq '{"C/C++":1}' "$(j .stats.cache_hits.counts)" "$cc: json cache_hits"
  assert_eq '{"C/C++":1}' "$(j .stats.cache_misses.counts)" "$cc: json cache_misses"
  assert_eq '{}' "$(j .stats.cache_errors.counts)" "$cc: json cache_errors"
  assert_eq '{"-E":1}' "$(j .stats.not_cached)" "$cc: json not_cached"
  assert_eq 1 "$(j .stats.cache_writes)" "$cc: json cache_writes"
  for zero in cache_timeouts cache_read_errors forced_recaches cache_write_errors compile_fails \
    non_cacheable_compilations; do
    assert_eq 0 "$(j ".stats.$zero")" "$cc: json $zero"
  done
  assert_eq "\"Local disk: \\\"$SCCACHE_DIR\\\"\"" "$(j .cache_location)" "$cc: json cache_location"
  assert_eq 10737418240 "$(j .max_cache_size)" "$cc: json max_cache_size"
  [[ $(j .cache_size) -gt 0 ]] || fail "$cc: json cache_size is reported"
  [[ $(j '.stats.compiler_write_duration.secs * 1000000000 + .stats.compiler_write_duration.nanos') -gt 0 ]] ||
    fail "$cc: json compiler_write_duration is recorded"
  [[ $(j .version) =~ ^\"[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "$cc: json version: $(j .version)"

  # --zero-stats zeroes every counter, in both formats; the cache itself stays.
  zero_stats
  json=$("$SCCACHE_BIN" --show-stats --stats-format json)
  assert_eq "0 0 0 0 0 {} {} {} 0" \
    "$(jq -r '[.stats.compile_requests, .stats.requests_executed, .stats.requests_not_compile,
      .stats.requests_not_cacheable, .stats.cache_writes, (.stats.cache_hits.counts | tojson),
      (.stats.cache_misses.counts | tojson), (.stats.not_cached | tojson), .stats.compile_fails]
      | map(tostring) | join(" ")' <<< "$json")" "$cc: zeroed (requests executed not_compile not_cacheable writes hits misses reasons fails)"
  text=$("$SCCACHE_BIN" --show-stats)
  row "Compile requests" 0
  row "Cache hits" 0
  row "Cache misses" 0
  row "Non-cacheable calls" 0
  grep -q '^Non-cacheable reasons:$' <<< "$text" && fail "$cc: no reasons block after --zero-stats: $text"
  [[ $(jq .cache_size <<< "$json") -gt 0 ]] || fail "$cc: --zero-stats keeps the cache"
  "$SCCACHE_BIN" "$cc" -DCC_"$cc" -c s.c -o s.o
  assert_counts "1 1 1 0" "$cc: the entry still hits after --zero-stats"
done
echo "ok"
