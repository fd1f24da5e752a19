#!/usr/bin/env bash
# Lua 5.4 (Debian source lua5.4) with its own plain Makefile, as its README says: `make linux`,
# with CC="sccache gcc -std=gnu99" on make's command line (its Makefile's own CC is
# "gcc -std=gnu99"). Built once with plain gcc, then through
# the cache into an empty cache (all misses), cleaned and rebuilt (all hits); each build's objects
# are the plain build's, byte for byte (same tree, so the same paths); the interpreter and the
# compiler built from cached objects run a script.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fetch_source lua5.4
tree="$WORK/src/lua"
unpack_source "$SOURCE_TARBALL" "$tree"
lua_make() {  # label CC
  step 180 "$1" make -C "$tree" -j"$JOBS" linux CC="$2"
}

lua_make plain "gcc -std=gnu99"
save_objects "$tree" "$WORK/ref"
objects=$(list_objects "$WORK/ref" | wc -l)
step 30 clean-plain make -C "$tree" clean
assert_eq "" "$(list_objects "$tree")" "make clean removes the objects"

lua_make cold "$SCCACHE_BIN gcc -std=gnu99"
expect_cold_build "$objects" "cold build"
assert_objects_identical "$WORK/ref" "$tree" "cold build"
cached=$(misses)
# Entries and manifests are stored after the answers: the rebuild must find all of them.
wait_for_writes "$cached"
wait_for_manifests "$cached"

step 30 clean-cold make -C "$tree" clean
assert_eq "" "$(list_objects "$tree")" "make clean removes the cached build's objects"
zero_stats
lua_make warm "$SCCACHE_BIN gcc -std=gnu99"
expect_warm_build "$cached" "rebuild after make clean"
assert_objects_identical "$WORK/ref" "$tree" "rebuild"
summary=$(uncached_summary)

# The project's test target (it runs lua -v), then a script through the interpreter, and through
# luac's bytecode.
step 30 make-test make -C "$tree" test
assert_contains "$(cat "$LOGS/make-test.log")" "Lua 5.4" "make test runs the interpreter"
cat > "$WORK/check.lua" <<'LUA'
local t = {}
for i = 1, 1000 do t[i] = i * i end
assert(#t == 1000 and t[10] == 100)
assert(string.format("%5.2f", math.pi) == " 3.14")
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
assert(co(1) == 2 and co(21) == 42)
assert(select(2, string.gsub("hello world", "o", "0")) == 2)
assert(load("return 6 * 7")() == 42)
local ok, err = pcall(error, { code = 7 })
assert(not ok and err.code == 7)
assert(utf8.len("h\u{e9}llo") == 5)
assert(math.tointeger(2 ^ 53) == 9007199254740992)
local f = assert(io.open(arg[1], "w"))
f:write("written")
f:close()
print("lua ok")
LUA
assert_eq "lua ok" "$(timeout 30 "$tree/src/lua" "$WORK/check.lua" "$WORK/out1")" "the interpreter runs the script"
assert_eq "written" "$(cat "$WORK/out1")" "the script's file"
timeout 30 "$tree/src/luac" -o "$WORK/check.luac" "$WORK/check.lua" || fail "luac compiles the script"
assert_eq "lua ok" "$(timeout 30 "$tree/src/lua" "$WORK/check.luac" "$WORK/out2")" "the interpreter runs luac's bytecode"

echo "ok: lua5.4 (make): $objects objects; $cached misses, then $cached hits after make clean" \
  "($summary); objects identical to plain gcc's; the built lua runs; $(build_times)"
