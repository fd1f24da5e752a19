#!/usr/bin/env bash
# S3 behind the local disk, against s3rver (the npm S3 stand-in pinned in tests/s3, started by
# tests/s3/serve.js, which adds the SigV4 check s3rver lacks): one server fills the bucket, another
# with an empty local cache hits from it; credentials from the environment or a profile file (with
# a session token); a wrong secret and an unknown key are counted errors; read-only and anonymous
# modes write nothing; a frozen or dead S3 never fails a build.
source "$SCCACHE_TEST_LIB"
require_tool node
S3_DIR="$(cd "$(dirname "$SCCACHE_TEST_LIB")/../s3" && pwd)"
[[ -d "$S3_DIR/node_modules/s3rver" ]] || fail "s3rver missing: run scripts/install-test-servers.sh"
for v in $(compgen -v AWS_); do unset "$v"; done  # the caller's AWS settings must not leak in

port=$(free_port)
node "$S3_DIR/serve.js" "$WORK/s3" "$port" cache > "$WORK/s3rver.log" 2>&1 &
s3_pid=$!
stop_s3() { kill -CONT "$s3_pid" 2>/dev/null || true; kill "$s3_pid" 2>/dev/null || true; wait "$s3_pid" 2>/dev/null || true; }
at_exit stop_s3
for ((n = 0; n < 200; n++)); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done
(exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null || fail "s3rver did not start: $(cat "$WORK/s3rver.log")"
objects() { find "$WORK/s3/cache" -name '*._S3rver_object' 2>/dev/null | wc -l; }

echo 'int s(void) { return 3; }' > s.c
gcc -c s.c -o ref.o
# s3rver knows one account: key id S3RVER, secret S3RVER.
export SCCACHE_BUCKET=cache SCCACHE_ENDPOINT="127.0.0.1:$port" SCCACHE_S3_KEY_PREFIX="ci build+1/" \
  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER

# Server A fills the local disk and the bucket (signed PUTs, under the key prefix).
"$SCCACHE_BIN" gcc -c s.c -o a.o
assert_files_identical ref.o a.o
stop_server  # (its S3 writes finish while it drains)
stored=$(objects)
[[ $stored -ge 1 ]] || fail "nothing was stored in the bucket"
[[ -n $(find "$WORK/s3/cache/ci build+1" -name '*._S3rver_object' 2>/dev/null) ]] || fail "objects are not under the key prefix"

# Server B: an empty local cache; the compile hits from S3.
export SCCACHE_DIR="$WORK/cache-b"
"$SCCACHE_BIN" gcc -c s.c -o b.o
assert_files_identical ref.o b.o
assert_eq 1 "$(hits)" "server B hits from S3"
[[ $(stat_json '.cache_levels[1].hits') -ge 1 ]] || fail "the hit is counted on level 2 (S3)"
stats=$("$SCCACHE_BIN" --show-stats)
assert_contains "$stats" "S3, bucket: cache, endpoint: http://127.0.0.1:$port" "stats name the S3 level"
[[ $stats != *S3RVER* ]] || fail "credentials must never be shown"
stop_server

# Credentials from a shared credentials file's profile.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
printf '[default]\naws_access_key_id = NOBODY\naws_secret_access_key = x\n[ci]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\naws_session_token = temporary\n' > "$WORK/credentials"
export AWS_SHARED_CREDENTIALS_FILE="$WORK/credentials" AWS_PROFILE=ci SCCACHE_DIR="$WORK/cache-c"
"$SCCACHE_BIN" gcc -c s.c -o c.o
assert_files_identical ref.o c.o
assert_eq 1 "$(hits)" "a hit signed with the profile's key (its token a signed header)"
stop_server

# A key id the store does not know (s3rver's own check): a counted read error, a correct build.
export AWS_PROFILE=default SCCACHE_DIR="$WORK/cache-d"
"$SCCACHE_BIN" gcc -c s.c -o d.o
assert_files_identical ref.o d.o
[[ $(stat_json .stats.cache_read_errors) -ge 1 ]] || fail "a refused key is a counted read error"
grep -q "InvalidAccessKeyId" "$SCCACHE_ERROR_LOG" || fail "the log says why S3 refused"
stop_server
unset AWS_PROFILE AWS_SHARED_CREDENTIALS_FILE

# The right key id with a wrong secret (serve.js's SigV4 check): the lookup and the write are
# refused and counted, the build is right, and nothing reaches the bucket.
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=wrong SCCACHE_DIR="$WORK/cache-w"
echo 'int w(void) { return 5; }' > w.c
"$SCCACHE_BIN" gcc -c s.c -o w1.o
assert_files_identical ref.o w1.o
[[ $(stat_json .stats.cache_read_errors) -ge 1 ]] || fail "a wrong secret is a counted read error"
grep -q "SignatureDoesNotMatch" "$SCCACHE_ERROR_LOG" || fail "the log says the signature was refused"
"$SCCACHE_BIN" gcc -c w.c -o w.o
stop_server
assert_eq "$stored" "$(objects)" "a write signed with a wrong secret is refused"
export AWS_SECRET_ACCESS_KEY=S3RVER

# Read-only: a new compile is not written to the bucket.
export SCCACHE_DIR="$WORK/cache-e" SCCACHE_S3_RW_MODE=READ_ONLY
echo 'int other(void) { return 4; }' > o.c
"$SCCACHE_BIN" gcc -c o.c -o o.o
stop_server
assert_eq "$stored" "$(objects)" "read-only mode writes nothing"
unset SCCACHE_S3_RW_MODE

# Anonymous (SCCACHE_S3_NO_CREDENTIALS): unsigned reads hit, and nothing is written.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
export SCCACHE_S3_NO_CREDENTIALS=true SCCACHE_DIR="$WORK/cache-f"
"$SCCACHE_BIN" gcc -c s.c -o f.o
assert_files_identical ref.o f.o
assert_eq 1 "$(hits)" "an anonymous read hits"
"$SCCACHE_BIN" gcc -c o.c -o o2.o
stop_server
assert_eq "$stored" "$(objects)" "an anonymous client writes nothing"
unset SCCACHE_S3_NO_CREDENTIALS
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER

# Server-side encryption (SSE-KMS with a key id), set in the config file as a Mozilla user has it:
# every PUT asks for it, signed (serve.js refuses an unsigned x-amz-* header), and is stored.
cat > "$WORK/sse.toml" <<'TOML'
[cache.s3]
bucket = "ignored: the environment names the bucket, so S3 is wholly the environment's"
TOML
export SCCACHE_DIR="$WORK/cache-sse" SCCACHE_S3_SERVER_SIDE_ENCRYPTION_AWS_KMS=true \
  SCCACHE_S3_SERVER_SIDE_ENCRYPTION_KMS_KEY_ID=alias/sccache SCCACHE_CONF="$WORK/sse.toml"
echo 'int sse(void) { return 5; }' > sse.c
"$SCCACHE_BIN" gcc -c sse.c -o sse.o
stop_server
[[ $(objects) -gt $stored ]] || fail "the encrypted PUT was not stored"
assert_contains "$(cat "$WORK/s3rver.log")" "PUT with SSE aws:kms" "the PUT asks for SSE-KMS"
unset SCCACHE_S3_SERVER_SIDE_ENCRYPTION_AWS_KMS SCCACHE_S3_SERVER_SIDE_ENCRYPTION_KMS_KEY_ID SCCACHE_CONF

# s3rver frozen (kill -STOP): timeouts, then the level is skipped; builds stay right.
frozen_remote_check S3 s.c ref.o "$s3_pid"

# s3rver gone: compiles go on and are right.
stop_s3
export SCCACHE_DIR="$WORK/cache-g"
"$SCCACHE_BIN" gcc -c s.c -o g.o
assert_files_identical ref.o g.o
[[ $(stat_json .stats.cache_read_errors) -ge 1 ]] || fail "the unreachable S3 is a counted read error"
echo "ok"
