#!/usr/bin/env bash
# Calls that are not cacheable compiles run the compiler unchanged: same output, files and exit code,
# counted by reason.
source "$SCCACHE_TEST_LIB"

cat > a.c <<'C'
#define TWICE(x) ((x) * 2)
int a(void) { return TWICE(21); }
C
cat > b.c <<'C'
int a(void);
int main(void) { return a() == 42 ? 0 : 1; }
C
zero_stats

# -E: same preprocessed text on stdout.
gcc -E a.c > direct.i
"$SCCACHE_BIN" gcc -E a.c > cached.i
assert_files_identical direct.i cached.i

# -M: dependency rules on stdout.
gcc -M a.c > direct.M
"$SCCACHE_BIN" gcc -M a.c > cached.M
assert_files_identical direct.M cached.M

# Several sources at once.
"$SCCACHE_BIN" gcc -c a.c b.c
[[ -f a.o && -f b.o ]] || fail "multiple sources: both objects written"

# Linking.
"$SCCACHE_BIN" gcc a.o b.o -o prog
./prog || fail "the linked program runs"

# stdin.
echo 'int from_stdin;' | "$SCCACHE_BIN" gcc -x c -c - -o stdin.o
[[ -s stdin.o ]] || fail "compiling stdin writes the object"

# -save-temps writes its extra files.
"$SCCACHE_BIN" gcc -save-temps -c a.c -o st.o
[[ -f st.i && -f st.s && -f st.o ]] || fail "-save-temps writes .i, .s and .o"

# --version passes through with the compiler's exit code.
assert_eq "$(gcc --version)" "$("$SCCACHE_BIN" gcc --version)" "--version output"

# A failing link keeps its exit code.
set +e
"$SCCACHE_BIN" gcc a.o -o no-main 2>/dev/null
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "a link without main fails"

assert_eq 1 "$(stat_json '.stats.not_cached["-E"]')" "-E counted"
assert_eq 1 "$(stat_json '.stats.not_cached["-M"]')" "-M counted"
assert_eq 1 "$(stat_json '.stats.not_cached["multiple input files"]')" "multiple sources counted"
assert_eq 1 "$(stat_json '.stats.not_cached["-"]')" "stdin counted"
assert_eq 1 "$(stat_json '.stats.not_cached["-save-temps"]')" "-save-temps counted"
assert_eq 5 "$(stat_json .stats.requests_not_cacheable)" "non-cacheable calls"
assert_eq 3 "$(stat_json .stats.requests_not_compile)" "link, --version and the failing link are not compiles"
assert_eq 0 "$(stat_json .stats.requests_executed)" "nothing was executed by the server"
assert_contains "$("$SCCACHE_BIN" --show-stats)" "Non-cacheable reasons:" "the text stats list reasons"

# A program that is not a compiler runs unchanged.
assert_eq "hi" "$("$SCCACHE_BIN" /bin/echo hi)" "a non-compiler runs as is"
assert_eq 1 "$(stat_json .stats.requests_unsupported_compiler)" "counted as unsupported"
echo "ok"
