#!/usr/bin/env bash
# Mozilla's config file: found at SCCACHE_CONF or ~/.config/sccache/config ($XDG_CONFIG_HOME),
# its [cache.disk] and [cache.redis] tables used, the environment over it; a malformed file or a bad
# key named (file, line, key) on the stderr of the compile that starts the server and in the log,
# and the compile still right; --show-config names where each setting came from, secrets masked.
source "$SCCACHE_TEST_LIB"

cat > c.c <<'C'
int c(int x) { return x * 7; }
C
gcc -O2 -c c.c -o ref.o
unset SCCACHE_DIR

# 1. ~/.config/sccache/config (here under XDG_CONFIG_HOME): its cache dir is used.
mkdir -p "$XDG_CONFIG_HOME/sccache"
cat > "$XDG_CONFIG_HOME/sccache/config" <<TOML
[cache.disk]
dir = "$WORK/from-default-file"
size = "1G"
TOML
"$SCCACHE_BIN" gcc -O2 -c c.c -o a.o 2> a.err
assert_files_identical ref.o a.o
[[ ! -s a.err ]] || fail "a good config file gave warnings: $(cat a.err)"
assert_contains "$("$SCCACHE_BIN" --show-stats)" "$WORK/from-default-file" "the file's cache dir is the cache location"
assert_contains "$("$SCCACHE_BIN" --show-stats)" "1 GiB" "the file's size is the limit"
wait_for_writes 1
stop_server
[[ -n $(find "$WORK/from-default-file" -type f -size +0 | head -n1) ]] || fail "no entry under the file's cache dir"

# 2. SCCACHE_CONF names another file, which wins over the default one; the environment wins over both.
cat > "$WORK/team.toml" <<TOML
[cache.disk]
dir = "$WORK/from-team-file"
TOML
SCCACHE_CONF="$WORK/team.toml" "$SCCACHE_BIN" gcc -O2 -c c.c -o b.o
assert_contains "$(SCCACHE_CONF="$WORK/team.toml" "$SCCACHE_BIN" --show-stats)" "$WORK/from-team-file" "SCCACHE_CONF's dir"
stop_server
SCCACHE_CONF="$WORK/team.toml" SCCACHE_DIR="$WORK/from-env" "$SCCACHE_BIN" gcc -O2 -c c.c -o b.o
assert_contains "$(SCCACHE_CONF="$WORK/team.toml" "$SCCACHE_BIN" --show-stats)" "$WORK/from-env" "SCCACHE_DIR over the file"
stop_server

# 3. A malformed file: the compile is right, the client that started the server names the file
#    and line, the log too; the defaults (here SCCACHE_DIR unset: ~/.cache) are not used silently.
export HOME="$WORK/home"
printf '[cache.disk]\ndir = "%s/x\nsize = 5\n' "$WORK" > "$WORK/bad.toml"
SCCACHE_CONF="$WORK/bad.toml" "$SCCACHE_BIN" gcc -O2 -c c.c -o c.o 2> c.err
assert_files_identical ref.o c.o
assert_contains "$(cat c.err)" "sccache: warning: $WORK/bad.toml:2:" "the file and line of the error"
assert_contains "$(cat c.err)" "not valid TOML" "what is wrong"
assert_contains "$(cat "$SCCACHE_ERROR_LOG")" "$WORK/bad.toml:2:" "the log names it too"
assert_contains "$(SCCACHE_CONF="$WORK/bad.toml" "$SCCACHE_BIN" --show-stats)" "$WORK/home/.cache/sccache" "defaults for the unreadable file"
stop_server

# 4. A misspelt key, a wrong type, an unsupported backend: each named; the rest of the file is used.
cat > "$WORK/typos.toml" <<TOML
[cache.disk]
dir = "$WORK/typos-cache"
sise = "1G"
rw_mode = 5

[cache.gcs]
bucket = "b"
TOML
SCCACHE_CONF="$WORK/typos.toml" SCCACHE_AZURE_BLOB_CONTAINER=c "$SCCACHE_BIN" gcc -O2 -c c.c -o d.o 2> d.err
assert_files_identical ref.o d.o
assert_contains "$(cat d.err)" "typos.toml:3: cache.disk.sise: unknown key (did you mean 'size'?); ignored" "the misspelt key"
assert_contains "$(cat d.err)" "typos.toml:4: cache.disk.rw_mode: expected \"READ_ONLY\" or \"READ_WRITE\", got an integer" "the wrong type"
assert_contains "$(cat d.err)" "typos.toml:6: cache.gcs: Google Cloud Storage is not supported" "the unsupported backend"
assert_contains "$(cat d.err)" "SCCACHE_AZURE_BLOB_CONTAINER is set: Azure Blob Storage is not supported" "the unsupported variable"
assert_contains "$(SCCACHE_CONF="$WORK/typos.toml" "$SCCACHE_BIN" --show-stats)" "$WORK/typos-cache" "the good keys are used"
stop_server

# 5. A team's Redis in the file: a second server with an empty local cache hits from it.
if command -v redis-server >/dev/null; then
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --requirepass s3cret \
    --daemonize no --loglevel warning > "$WORK/redis.log" 2>&1 &
  redis_pid=$!
  cleanup_redis() { kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; }
  at_exit cleanup_redis
  for ((n = 0; n < 200; n++)); do
    redis-cli -p "$port" -a s3cret --no-auth-warning ping 2>/dev/null | grep -q PONG && break
    sleep 0.05
  done
  cat > "$WORK/redis.toml" <<TOML
[cache.disk]
dir = "$WORK/redis-a"

[cache.redis]
endpoint = "redis://127.0.0.1:$port"
password = "s3cret"
db = 2
key_prefix = "team"
TOML
  export SCCACHE_CONF="$WORK/redis.toml"
  "$SCCACHE_BIN" gcc -O2 -c c.c -o e.o
  wait_for_writes 1
  stop_server
  [[ $(redis-cli -p "$port" -a s3cret --no-auth-warning -n 2 --scan --pattern 'team*' | wc -l) -ge 1 ]] ||
    fail "nothing under the file's key prefix in the file's Redis db"
  SCCACHE_DIR="$WORK/redis-b" "$SCCACHE_BIN" gcc -O2 -c c.c -o f.o
  assert_files_identical ref.o f.o
  assert_eq 1 "$(hits)" "the second server hits from the file's Redis"
  shown=$(SCCACHE_DIR="$WORK/redis-b" "$SCCACHE_BIN" --show-config)
  assert_contains "$shown" "password = \"****\"" "the password is masked"
  [[ $shown != *s3cret* ]] || fail "--show-config printed the password"
  assert_contains "$shown" "db = 2" "the file's db"
  assert_contains "$shown" "# $WORK/redis.toml:7" "the origin of the db: file and line"
  assert_contains "$shown" "# env SCCACHE_DIR" "the cache dir came from the environment"
  stop_server
  unset SCCACHE_CONF
else
  echo "(redis-server not installed: the Redis-in-a-file case is skipped)"
fi
echo "PASS"
