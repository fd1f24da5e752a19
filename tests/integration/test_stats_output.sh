#!/usr/bin/env bash
# --show-stats prints sccache's rows with exact numbers; JSON agrees; --zero-stats zeroes.
source "$SCCACHE_TEST_LIB"

echo 'int s(void) { return 7; }' > s.c
echo 'int main(void) { return 0; }' > m.c
zero_stats
"$SCCACHE_BIN" gcc -c s.c -o s.o
"$SCCACHE_BIN" gcc -c s.c -o s.o
"$SCCACHE_BIN" gcc m.c -o m
"$SCCACHE_BIN" gcc -E s.c > /dev/null
text=$("$SCCACHE_BIN" --show-stats)
row() {  # name value
  grep -Eq "^$1 +$2\$" <<< "$text" || fail "row '$1' with value $2 not in:
$text"
}
row "Compile requests" 4
row "Compile requests executed" 2
row "Cache hits" 1
row "Cache hits \(C/C\+\+\)" 1
row "Cache misses" 1
row "Cache misses \(C/C\+\+\)" 1
row "Cache read errors" 0
row "Compilation failures" 0
row "Non-cacheable calls" 1
row "Non-compilation calls" 1
row "Unsupported compiler calls" 0
row "-E" 1
grep -Eq '^Average cache read hit +[0-9]+\.[0-9]{3} s$' <<< "$text" || fail "average read time row"
grep -q "^Non-cacheable reasons:$" <<< "$text" || fail "reasons block"
grep -Eq "^Cache location +Local disk: \"$SCCACHE_DIR\"\$" <<< "$text" || fail "cache location row"
grep -Eq '^Max cache size +10 GiB$' <<< "$text" || fail "max cache size row"
# All value columns end at the same column, as in sccache's table.
widths=$(grep -E '^(Compile requests|Cache hits|Non-compilation calls) ' <<< "$text" | awk '{ print length($0) }' | sort -u | wc -l)
assert_eq 1 "$widths" "values are right-aligned in one column"

json=$("$SCCACHE_BIN" --show-stats --stats-format json)
assert_eq 4 "$(jq .stats.compile_requests <<< "$json")" "json compile_requests"
assert_eq 1 "$(jq '.stats.cache_hits.counts["C/C++"]' <<< "$json")" "json hits"
assert_eq 1 "$(jq '.stats.not_cached["-E"]' <<< "$json")" "json reasons"
assert_eq 1 "$(jq .stats.cache_writes <<< "$json")" "json cache writes"
[[ $(jq .cache_size <<< "$json") -gt 0 ]] || fail "cache size is reported"
[[ $(jq '.stats.compiler_write_duration.secs * 1000000000 + .stats.compiler_write_duration.nanos' <<< "$json") -gt 0 ]] ||
  fail "compile time is recorded"

zero_stats
assert_eq 0 "$(stat_json .stats.compile_requests)" "zeroed"
assert_eq 0 "$(hits)" "zeroed hits"
echo "ok"
