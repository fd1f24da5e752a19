#!/usr/bin/env bash
# The cache directory as someone who can write to it leaves it: entries and manifests swapped (on
# the local disk and in Redis), symlinks planted (an entry, a shard directory, names the index, the
# eviction and the temp-file sweep look at), zstd bombs; the modes of a new cache; and what a hit
# does to outputs another user owns. Every compile must give the object a direct compile gives,
# nothing outside the cache may be read, written, touched or removed, and the server's memory
# stays bounded. ATTACKS="swap remote links index modes bomb owner" (any of them) runs only those.
set -euo pipefail
source "${SCCACHE_TEST_LIB:?set SCCACHE_TEST_LIB to tests/integration/lib.sh}"
umask 022  # the mode checks below assume it (for the compiler's outputs, not the cache's)

cat > a.c <<'C'
int alpha(int x) { return x * 3 + 1; }
C
cat > b.c <<'C'
int beta(int x) { return x - 7; }
C
cat > c.c <<'C'
int gamma_(int x) { return x ^ 5; }
C

read_errors() { stat_json .stats.cache_read_errors; }
entries() { [[ ! -d "$SCCACHE_DIR" ]] || find "$SCCACHE_DIR" -type f ! -name '*.tmp.*' | sort; }
# fresh_cache <name>: a new server on an empty cache directory $WORK/cache-<name>.
fresh_cache() {
  stop_server
  export SCCACHE_DIR="$WORK/cache-$1"
}
# store <cc> <source> <n>: <source>'s result and manifest stored, the <n>th of each in this cache;
# RESULT and MANIFEST name their files. (The result is stored by a compile without direct mode,
# the manifest by the next one, a preprocessor-mode hit.)
store() {
  local cc=$1 src=$2 n=$3 before after
  "$SCCACHE_BIN" --start-server >/dev/null  # (if none runs; not with SCCACHE_DIRECT=false)
  before=$(entries)
  SCCACHE_DIRECT=false "$SCCACHE_BIN" "$cc" -c "$src" -o "${src%.c}.o"
  wait_for_writes "$n"
  after=$(entries)
  RESULT=$(comm -13 <(echo "$before") <(echo "$after"))
  "$SCCACHE_BIN" "$cc" -c "$src" -o "${src%.c}.o"
  wait_for_manifests "$n"
  MANIFEST=$(comm -13 <(echo "$after") <(entries))
  [[ $(wc -w <<< "$RESULT $MANIFEST") == 2 ]] || fail "expected one result and one manifest: $RESULT $MANIFEST"
}
# compile_right <cc> <source> <message>: through the cache, the object a direct compile gives.
compile_right() {
  "$1" -c "$2" -o direct.o
  "$SCCACHE_BIN" "$1" -c "$2" -o cached.o
  assert_files_identical direct.o cached.o "$3"
}
# Names, types, sizes and times, to tell whether anything read (atime), wrote or touched a file.
# (Not a directory's atime: listing it here moves it. Contents are checked once, at the end, as
# reading them moves the atime too.)
fingerprint() {
  find "$@" \( -type d -printf '%p %y %T@\n' \) -o -printf '%p %y %s %T@ %A@\n' 2>/dev/null | sort
}
# Outside targets dated in the past (relatime then records any read in the atime).
outside_tree() {
  OUTSIDE="$WORK/outside-$1"
  mkdir -p "$OUTSIDE"
  echo "not the cache's" > "$OUTSIDE/secret"
  touch -d @1000000000 "$OUTSIDE/secret"
}
section() { [[ -z "${ATTACKS:-}" || " $ATTACKS " == *" $1 "* ]]; }

# --- Swapped entries and manifests: an entry read under another key than its own is a counted read
# error and is replaced; the compile gets its own object, now and after.
swap_attack() {
  local cc=$1 result_a manifest_a result_b manifest_b
  fresh_cache "swap-$cc"
  store "$cc" a.c 1
  result_a=$RESULT manifest_a=$MANIFEST
  store "$cc" b.c 2
  result_b=$RESULT manifest_b=$MANIFEST
  cp "$result_a" "$result_b"
  compile_right "$cc" b.c "$cc: b.c with a.c's entry in its place"
  assert_eq 1 "$(read_errors)" "$cc: the swapped entry is a read error"
  wait_for_writes 3
  compile_right "$cc" b.c "$cc: b.c after the swapped entry was replaced"
  assert_eq 1 "$(read_errors)" "$cc: the replaced entry reads back"
  # A manifest read from disk (a new server has none in memory) proposing a.c's result for b.c.
  stop_server
  cp "$manifest_a" "$manifest_b"
  local h0
  compile_right "$cc" b.c "$cc: b.c with a.c's manifest in its place"
  assert_eq 1 "$(read_errors)" "$cc: the swapped manifest is a read error"
  assert_eq 1 "$(hits)" "$cc: the preprocessor-mode entry still serves"
  wait_for_manifests 1
  h0=$(stat_json .stats.direct_hits)
  compile_right "$cc" b.c "$cc: b.c after its manifest was replaced"
  assert_eq $((h0 + 1)) "$(stat_json .stats.direct_hits)" "$cc: the replaced manifest serves"
}

# --- The same from a remote level (Redis): an answer for another key is a read error, removed from
# every level, and the compile gets its own object.
remote_attack() {
  command -v redis-server >/dev/null || { echo "(remote section skipped: no redis-server)"; return 0; }
  local port result_a result_b n
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --loglevel warning > "$WORK/redis.log" 2>&1 &
  local redis_pid=$!
  at_exit "kill $redis_pid 2>/dev/null; wait $redis_pid 2>/dev/null"
  for ((n = 0; n < 200; n++)); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done
  fresh_cache remote-a
  export SCCACHE_REDIS="redis://127.0.0.1:$port/0"
  store gcc a.c 1
  result_a=$(basename "$RESULT")
  store gcc b.c 2
  result_b=$(basename "$RESULT")
  fresh_cache remote-b  # an empty local disk: every entry comes from Redis
  redis-cli -p "$port" copy "$result_a" "$result_b" replace | grep -qx 1 || fail "redis COPY"
  compile_right gcc b.c "b.c with a.c's entry in Redis under its key"
  [[ $(read_errors) -ge 1 ]] || fail "the swapped remote entry is counted as a read error"
  wait_for_writes 1
  fresh_cache remote-c
  compile_right gcc b.c "b.c from Redis after its entry was replaced"
  assert_eq 1 "$(hits)" "the replaced remote entry serves"
  stop_server
  unset SCCACHE_REDIS
}

# --- Links planted inside: an entry, a shard directory, and the tree the index scans.
links_attack() {
  local shard before
  fresh_cache links
  outside_tree links
  store gcc a.c 1
  rm "$RESULT"
  ln -s "$OUTSIDE/secret" "$RESULT"
  before=$(fingerprint "$OUTSIDE")
  compile_right gcc a.c "an entry that is a symlink to a file outside"
  [[ $(read_errors) -ge 1 ]] || fail "the symlinked entry is counted as a read error"
  wait_for_writes 2
  [[ -f "$RESULT" && ! -L "$RESULT" ]] || fail "the symlink was replaced by an entry"
  assert_eq "$before" "$(fingerprint "$OUTSIDE")" "the symlink's target is not read, written or touched"
  # The shard directory moved outside (a valid entry in it) and a symlink left in its place.
  stop_server
  shard=$(dirname "$RESULT")
  mv "$shard" "$OUTSIDE/shard"
  ln -s "$OUTSIDE/shard" "$shard"
  find "$OUTSIDE" -exec touch -h -d @1000000000 {} +
  before=$(fingerprint "$OUTSIDE")
  compile_right gcc a.c "an entry under a shard directory that is a symlink"
  wait_for_writes 1
  [[ -d "$shard" && ! -L "$shard" && -f "$RESULT" ]] || fail "the shard symlink was replaced by a directory"
  assert_eq "$before" "$(fingerprint "$OUTSIDE")" "nothing under the symlinked shard is read, written or touched"
  assert_eq "not the cache's" "$(cat "$OUTSIDE/secret")" "the symlink's target keeps its content"
}

# --- Eviction of an entry whose shard became a symlink after it was indexed; the index's scan of
# links named like entries and like stale temporary files.
index_attack() {
  local sizes limit shard before real
  fresh_cache evict-probe
  store gcc a.c 1
  store gcc b.c 2
  sizes=$(find "$SCCACHE_DIR" -type f -printf '%s\n' | paste -sd+ | bc)
  fresh_cache evict
  outside_tree evict
  limit=$((sizes + 1))  # a.c's and b.c's entries fit; c.c's make the oldest (a.c's result) go
  SCCACHE_CACHE_SIZE=$limit store gcc a.c 1
  local victim=$RESULT
  store gcc b.c 2
  shard=$(dirname "$victim")
  mv "$shard" "$OUTSIDE/shard"
  ln -s "$OUTSIDE/shard" "$shard"
  before=$(fingerprint "$OUTSIDE")
  store gcc c.c 3
  assert_eq "$before" "$(fingerprint "$OUTSIDE")" "eviction removes nothing through a symlinked shard"
  # Links the index must neither count nor follow; the sweep removes no temporary file's target.
  stop_server
  rm "$shard"
  mkdir "$shard"
  head -c 1000000 /dev/zero > "$OUTSIDE/big"
  touch -d @1000000000 "$OUTSIDE/big"
  local name
  name=$(basename "$victim")
  ln -s "$OUTSIDE/big" "$shard/${name%?}$(tr 0-9a-f 1-9a-f0 <<< "${name: -1}")"  # another key there
  ln -s "$OUTSIDE/secret" "$shard/$(basename "$victim").tmp.1.2"
  touch -h -d @1000000000 "$shard/$(basename "$victim").tmp.1.2"
  before=$(fingerprint "$OUTSIDE")
  real=$(find "$SCCACHE_DIR" -type f -printf '%s\n' | paste -sd+ | bc)
  SCCACHE_CACHE_SIZE=$limit "$SCCACHE_BIN" --start-server >/dev/null
  local n
  for ((n = 0; n < 100; n++)); do  # the index is built on the thread pool after start-up
    [[ $(stat_json .cache_size) == "$real" ]] && break
    sleep 0.05
  done
  assert_eq "$real" "$(stat_json .cache_size)" "the index counts entry files only"
  assert_eq "$before" "$(fingerprint "$OUTSIDE")" "the index reads and removes nothing outside"
}

# --- Modes: private by default (0700/0600), SCCACHE_UMASK=002 shares with the group, whatever
# the umask the server was started with.
modes_check() {
  local expect_dir=$1 expect_file=$2 got
  got=$(find "$SCCACHE_DIR" -type d -printf '%m\n' | sort -u)
  assert_eq "$expect_dir" "$got" "modes of the cache directories"
  got=$(find "$SCCACHE_DIR" -type f -printf '%m\n' | sort -u)
  assert_eq "$expect_file" "$got" "modes of the entries"
}
modes_attack() {
  fresh_cache modes/default
  store gcc a.c 1
  modes_check 700 600
  assert_eq 700 "$(stat -c %a "$WORK/cache-modes")" "a missing parent is made private too"
  fresh_cache modes-shared
  (
    umask 077
    SCCACHE_UMASK=002 store gcc a.c 1
  )
  modes_check 775 664
}

# --- zstd bombs: an old-format entry and a new one with the right key, each 33 KB claiming 1 GiB
# of zeros, and a 1 KB one claiming 31 MiB (within what any entry may decode to: it is decoded).
# Each is a miss (and, but for the old format's, a read error); the server's peak RSS stays far below what a 1 GiB decode takes
# (a fresh server peaks near 10 MiB; no entry this small may make a buffer over 32 MiB, see
# storage::decoded_size_allowed: 128 MiB is the bound), and what the 31 MiB one filled is given
# back (the RSS after it is below 24 MiB).
le() {  # value bytes: little-endian, as printf escapes
  local v=$1 n=$2 i out=""
  for ((i = 0; i < n; i++)); do out+=$(printf '\\x%02x' $(((v >> (8 * i)) & 255))); done
  printf '%s' "$out"
}
# A zstd frame of a raw block <prefix> (printf escapes, <length> bytes) then <zeros> zero bytes in
# RLE blocks: content size set, and a checksum that is wrong (found only once all is decoded).
zero_frame() {
  local prefix=$1 length=$2 zeros=$3 i
  printf '\x28\xb5\x2f\xfd\xe4'
  printf "$(le $((length + zeros)) 8)"
  if ((length > 0)); then printf "$(le $((length << 3)) 3)$prefix"; fi
  for ((i = 0; i < zeros / 131072; i++)); do printf '\x02\x00\x10\x00'; done
  printf "$(le $((((zeros % 131072) << 3) | 3)) 3)"'\x00\x00\x00\x00\x00'
}
# bomb <format> <key> <zeros>: the entry's bytes.
bomb() {
  local length=$((2 + 64 + 4 + 2 + 3 + 8 + 8 + 8)) header
  if [[ $1 == old ]]; then
    printf 'SCCPPE01'
    zero_frame "" 0 "$3"
  else
    header="$(le 64 2)$2$(le 1 4)$(le 3 2)obj$(le "$3" 8)$(le 0 8)$(le 0 8)"
    printf "SCCPPE02$(le $length 4)$header"
    zero_frame "$header" $length "$3"
  fi
}
bomb_attack() {
  local key pid peak rss case format zeros
  fresh_cache bomb
  store gcc a.c 1
  key=$(basename "$RESULT")
  for case in "old $((1 << 30))" "new $((1 << 30))" "new $(((31 << 20) - 99))"; do
    read -r format zeros <<< "$case"
    stop_server
    bomb "$format" "$key" "$zeros" > "$RESULT"
    [[ $(stat -c %s "$RESULT") -lt 40000 ]] || fail "the bomb is small"
    compile_right gcc a.c "the $format-format bomb of $zeros bytes is a miss"
    # (An entry of the older format is a plain miss: after an upgrade, all of them are.)
    assert_eq $([[ $format == old ]] && echo 0 || echo 1) "$(read_errors)" \
      "read errors after the $format-format bomb of $zeros bytes"
    pid=$(server_pid) || fail "no server"
    peak=$(awk '/^VmHWM/ {print $2}' /proc/"$pid"/status)
    rss=$(awk '/^VmRSS/ {print $2}' /proc/"$pid"/status)
    echo "the $format-format bomb of $zeros bytes: peak RSS $peak kB, after $rss kB"
    ((peak < 128 * 1024)) || fail "the $format-format bomb took the server's peak RSS to $peak kB"
    # (Under a sanitizer the server's own RSS is larger: only the peak is a fair test there.)
    [[ -n ${SANITIZE:-} ]] || ((rss < 24 * 1024)) || fail "the $format-format bomb left the server's RSS at $rss kB"
    wait_for_writes 1
  done
}

# --- Outputs another user owns (mode 0640): after a hit, owner and mode are what the compiler
# itself leaves (see how_written in src/server/cache_lookup.cpp), and the mode of a new file is the
# umask's, not the one the entry was stored with (stored by a server whose umask was 077).
require_root_user() {
  [[ $(id -u) == 0 ]] && command -v useradd >/dev/null && command -v runuser >/dev/null || return 1
  OTHER=sccache-it-$$
  useradd -M -r -s /usr/sbin/nologin "$OTHER" || return 1
  at_exit "userdel -f $OTHER"
}
# prepare <files...>: $WORK/out holds the files, "old", owned by <owner> with mode 0640.
prepare() {
  local owner=$1 f
  shift
  rm -rf "$WORK/out"
  mkdir -p "$WORK/out"
  for f in "$@"; do
    echo old > "$WORK/out/$f"
    chown "$owner" "$WORK/out/$f"
    chmod 0640 "$WORK/out/$f"
  done
}
owner_case() {  # cc, output files, compile flags...
  local cc=$1 files=$2 f expected=()
  shift 2
  prepare root
  (umask 077 && cd "$WORK/out" && "$SCCACHE_BIN" "$cc" "$@" ../src/a.c -o a.out)
  wait_for_writes 1
  stop_server  # the next server has the test's umask, 022
  prepare "$OTHER" $files
  (cd "$WORK/out" && "$cc" "$@" ../src/a.c -o a.out)
  for f in $files; do expected+=("$f $(stat -c '%U %a' "$WORK/out/$f")"); done
  cp "$WORK/out/a.out" "$WORK/direct.out"
  prepare "$OTHER" $files
  (cd "$WORK/out" && "$SCCACHE_BIN" "$cc" "$@" ../src/a.c -o a.out)
  assert_eq 1 "$(hits)" "$cc $*: a hit"
  for f in "${expected[@]}"; do
    assert_eq "$f" "${f%% *} $(stat -c '%U %a' "$WORK/out/${f%% *}")" \
      "$cc $*: owner and mode, as the compiler leaves them"
  done
  # (A coverage object carries a stamp that differs from one compile to the next.)
  [[ " $* " == *" --coverage "* ]] ||
    assert_files_identical "$WORK/direct.out" "$WORK/out/a.out" "$cc $*: the output"
}
# As a user who may not write an existing object (root's, 0640) in a directory they may write:
# gcc replaces it, clang refuses and fails; a hit must do the same.
as_other() {
  runuser -u "$OTHER" -- env HOME="$WORK/other" SCCACHE_DIR="$WORK/other/cache" \
    SCCACHE_SERVER_UDS="$WORK/other/sock" SCCACHE_ERROR_LOG="$WORK/other/log" "$@"
}
other_writes() {  # count: as wait_for_writes, for the other user's server
  local n
  for ((n = 0; n < 100; n++)); do
    [[ $(as_other "$SCCACHE_BIN" --show-stats --stats-format json | jq .stats.cache_writes) -ge $1 ]] && return 0
    sleep 0.05
  done
  fail "the other user's server did not store its compile"
}
root_object() {
  rm -f "$WORK/other/out/a.o"
  echo old > "$WORK/other/out/a.o"
  chmod 0640 "$WORK/other/out/a.o"
}
unwritable_case() {
  local cc=$1 writes=$2 rc_direct=0 rc_cached=0 direct
  (cd "$WORK/other/out" && as_other "$SCCACHE_BIN" "$cc" -c ../../src/a.c -o stored.o)
  other_writes "$writes"
  root_object
  (cd "$WORK/other/out" && as_other "$cc" -c ../../src/a.c -o a.o 2>/dev/null) || rc_direct=$?
  direct=$(stat -c '%U %a %s' "$WORK/other/out/a.o")
  root_object
  (cd "$WORK/other/out" && as_other "$SCCACHE_BIN" "$cc" -c ../../src/a.c -o a.o 2>/dev/null) || rc_cached=$?
  assert_eq "$rc_direct" "$rc_cached" "$cc as another user: the exit code over root's object"
  assert_eq "$direct" "$(stat -c '%U %a %s' "$WORK/other/out/a.o")" "$cc as another user: the object"
}
owner_attack() {
  require_root_user || { echo "(owner section skipped: needs root, useradd and runuser)"; return 0; }
  local cc
  for cc in "${COMPILERS[@]}"; do
    fresh_cache "owner-$cc-c"
    owner_case "$cc" "a.out a.d" -c -MD -MF a.d
    fresh_cache "owner-$cc-s"
    owner_case "$cc" "a.out" -S
    fresh_cache "owner-$cc-dwo"
    owner_case "$cc" "a.out a.dwo" -c -g -gsplit-dwarf
    fresh_cache "owner-$cc-gcno"
    owner_case "$cc" "a.out a.gcno" -c --coverage
  done
  chmod 0711 "$WORK"
  mkdir -p "$WORK/other/out"
  chown -R "$OTHER" "$WORK/other"
  at_exit "as_other $SCCACHE_BIN --stop-server >/dev/null 2>&1"
  unwritable_case gcc 1
  unwritable_case clang 2
}

# (Not `section x && attack`: set -e does not reach into a function called from a && list.)
for cc in "${COMPILERS[@]}"; do if section swap; then swap_attack "$cc"; fi; done
if section remote; then remote_attack; fi
if section links; then links_attack; fi
if section index; then index_attack; fi
if section modes; then modes_attack; fi
if section bomb; then bomb_attack; fi
if section owner; then owner_attack; fi
echo "ok"
