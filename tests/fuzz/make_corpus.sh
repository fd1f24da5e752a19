#!/usr/bin/env bash
# Writes the seed corpora tests/fuzz/corpus/<name>/ from real inputs: frames recorded between a
# real client and server, the compiler probe's and -E/-v output of gcc and clang, their dependency
# files, command lines and settings as the tests and the build use them. The seeds are committed;
# rerun this (it overwrites what it writes) when a format changes. Needs a built sccache: argument
# 1, default build/sccache (scripts/build.sh). The recorded processes get a clean environment
# (PATH, HOME, the sccache variables and ASAN_OPTIONS only), so no secret reaches a seed.
set -euo pipefail
cd "$(dirname "$0")/../.."
sccache=$(readlink -f "${1:-build/sccache}")
out=$PWD/tests/fuzz/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seed() { mkdir -p "$out/$1" && cat > "$out/$1/$2"; }  # name file < content
nul() { printf '\0'; }

# ---- codec, frame: one connection per command, both directions recorded by socat ----
cp examples/hello/greet.c examples/hello/greet.h "$work"
clean_env() { env -i PATH=/usr/bin:/bin HOME="$work" SCCACHE_DIR="$work/cache" ASAN_OPTIONS="${ASAN_OPTIONS:-}" "$@"; }
client() {  # stream-name args...: runs the client through a recording proxy
  socat -r "$work/$1.c2s" -R "$work/$1.s2c" UNIX-LISTEN:"$work/proxy.sock" \
    UNIX-CONNECT:"$work/server.sock" &
  while [[ ! -S $work/proxy.sock ]]; do sleep 0.05; done
  shift
  (cd "$work" && clean_env SCCACHE_SERVER_UDS="$work/proxy.sock" "$sccache" "$@" >/dev/null) || true
  wait
}
clean_env SCCACHE_SERVER_UDS="$work/server.sock" "$sccache" --start-server >/dev/null
client zero --zero-stats
client miss gcc -c greet.c -o greet.o
client hit gcc -c greet.c -o greet.o
client fail gcc -c missing.c -o missing.o 2>/dev/null
client stats --show-stats
client stop --stop-server
python3 - "$work" "$out" <<'PY'
import os, struct, sys
work, out = sys.argv[1:]
for name in ("codec", "frame"):
    os.makedirs(f"{out}/{name}", exist_ok=True)
for stream in sorted(f for f in os.listdir(work) if f.endswith(("c2s", "s2c"))):
    data = open(f"{work}/{stream}", "rb").read()
    open(f"{out}/frame/{stream.replace('.', '-')}", "wb").write(struct.pack(">I", 256 << 20) + data)
    pos, n = 0, 0
    while pos + 4 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        open(f"{out}/codec/{stream.replace('.', '-')}-{n}", "wb").write(data[pos + 4:pos + 4 + length])
        pos, n = pos + 4 + length, n + 1
PY
printf '\0\0\0\x10\xff\xff\xff\xff' | seed frame oversized

# ---- detect: the probe (from detect.cpp) as each driver preprocesses it ----
sed -n '/k_probe = R"(/,/^)";/p' src/compiler/detect.cpp | sed '1s/.*R"(//;$d' > "$work/probe.c"
for cc in gcc g++ clang clang++; do "$cc" -E -P "$work/probe.c" 2>/dev/null | seed detect "$cc"; done

# ---- include_scan: -E output, NUL, -v stderr; dep_file: object name, NUL, dependency file ----
printf '#include "greet.h"\n#include <stddef.h>\nsize_t n = sizeof(int);\n' > "$work/scan.c"
for cc in gcc clang; do
  (cd "$work" && "$cc" -E -v scan.c 2> v.txt > e.txt)
  { cat "$work/e.txt"; nul; cat "$work/v.txt"; } | seed include_scan "$cc"
  (cd "$work" && "$cc" -MD -MP -c greet.c -o obj/greet.o 2>/dev/null || mkdir -p obj &&
    "$cc" -MD -MP -c greet.c -o obj/greet.o)
  { printf 'obj/greet.o'; nul; cat "$work/obj/greet.d"; } | seed dep_file "$cc-mp"
  (cd "$work" && "$cc" -MMD -MT 'a\ b$$.o' -MT x.o -c scan.c -o scan.o)
  { printf 'a b$.o'; nul; cat "$work/scan.d"; } | seed dep_file "$cc-mt"
done

# ---- parse_args: argv words separated by NUL ----
args() { local name=$1 a; shift; for a in "$@"; do printf '%s\0' "$a"; done | seed parse_args "$name"; }
args plain -c hello.c -o hello.o
args kernel -Wp,-MD,drivers/.x.o.d -nostdinc -O2 -DKBUILD_BASENAME='"x"' -c -o drivers/x.o drivers/x.c
args cmake -DFMT_HEADER_ONLY=1 -I/work/main/src -O2 -g -DNDEBUG -std=c++20 -MD -MT \
  src/x.cpp.o -MF src/x.cpp.o.d -o src/x.cpp.o -c /work/main/src/x.cpp
args cxx -x c++ -std=c++20 -fdiagnostics-color=always -include pch.h -c main.c
args coverage --coverage -gsplit-dwarf -S -fprofile-arcs a.c -o a.s
args clang -Xclang -include-pch -Xclang p.pch -fprofile-use=prof -arch x86_64 -c -- -a.c
args refused -E -save-temps a.c b.c @args.rsp
args link a.o b.o -o prog -lm

# ---- response_file, file_memo, config, redis_url, s3_target: text as people write it ----
printf '%s\n' '-I"/opt/my include" -DNAME=\"v\" '\''single quoted'\'' -c\ta.c' | seed response_file quoted
printf '%s\n' -O2 -g -fPIC '-DVERSION="1.0"' -o 'out dir/a.o' "''" | seed response_file lines
printf '@nested.rsp\r\n-Wall \\\n-Wextra\f\v"unterminated' | seed response_file odd
cat <<'H' | seed file_memo has_include
#if defined __has_include
#  if __has_include (<optional>) && __has_include("config.h")
#    include <optional>
#  endif
#endif
#if __glibc_has_include (<bits/local.h>) || __has_include_next(<stdlib.h>)
#endif
#if __has_include(MACRO_HEADER)
#endif
H
printf 'static const char* built = __DATE__ " " __TIME__;\n// __TIMESTAMP__\nint __DATE;\n' |
  seed file_memo clock
cat <<'E' | seed config server
SCCACHE_SERVER_PORT=5000
SCCACHE_SERVER_UDS=/tmp/s.sock
SCCACHE_STARTUP_TIMEOUT=2.5
SCCACHE_DIR=/c
SCCACHE_CACHE_SIZE=500M
SCCACHE_IDLE_TIMEOUT=0
SCCACHE_NO_DAEMON=1
SCCACHE_CACHE_ZSTD_LEVEL=19
SCCACHE_MAX_FRAME_LENGTH=16M
SCCACHE_DIRECT=false
SCCACHE_UMASK=002
SCCACHE_LOCAL_RW_MODE=READ_ONLY
E
cat <<'E' | seed config remotes
SCCACHE_BUCKET=cache
SCCACHE_ENDPOINT=127.0.0.1:9000
SCCACHE_S3_USE_SSL=false
SCCACHE_S3_KEY_PREFIX=ci/
AWS_ACCESS_KEY_ID=AKID
AWS_SECRET_ACCESS_KEY=secret
SCCACHE_REDIS=redis://user:secret@cache.local:7000?db=5
SCCACHE_REDIS_TTL=3600
SCCACHE_MEMCACHED=tcp://127.0.0.1:11211
SCCACHE_WEBDAV_ENDPOINT=http://127.0.0.1:8080/cache
SCCACHE_REMOTE_RW_MODE=READ_ONLY
SCCACHE_REMOTE_TIMEOUT=0.25
E
# config_file: Mozilla's own example file (docs/Configuration.md) is kept by hand in
# corpus/config_file/mozilla.toml; a broken one is written here.
printf '[cache.disk]\ndir = "/x\nsize = true\n[cache.redis]\npasword = 1\n' | seed config_file broken.toml
printf 'SCCACHE_SERVER_PORT=abc\nSCCACHE_CACHE_SIZE=10X\nSCCACHE_UMASK=u=rwx\nXDG_CACHE_HOME=rel\n' |
  seed config invalid
for url in redis://127.0.0.1:6380/2 'redis://user:secret@cache.local:7000?db=5' redis://:onlypass@h \
  tcp://h:1 rediss://h redis://h:notaport; do
  printf '%s' "$url" | seed redis_url "$(printf '%s' "$url" | tr -c 'a-z0-9' _)"
done
s3() { local name=$1 flags=$2 a; shift 2; { printf "\\x$flags"; for a in "$@"; do printf '%s\0' "$a"; done; } | seed s3_target "$name"; }
s3 aws 00 cache eu-west-1 '' /ci/x/ AKID secret '' default abcdef0123
s3 minio 0d cache '' https://minio.example:9000/ 'team a/c++~x.y_z' AKID secret tok ci abcdef0123
s3 anonymous 10 cache '' 127.0.0.1:9000 '' '' '' '' default ab
printf '[default]\naws_access_key_id = DEF\naws_secret_access_key = defsecret\n\n; a comment\n[ci]\naws_access_key_id=CI\naws_secret_access_key=cisecret\naws_session_token = tok\n' |
  seed s3_target credentials_file
# ---- redis_reply: what a real redis-server answers to the commands the Redis level sends ----
if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize no >/dev/null &
  redis=$!
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.05; done
  resp() { local a; printf '*%d\r\n' $#; for a in "$@"; do printf '$%d\r\n%s\r\n' ${#a} "$a"; done; }
  ask() {  # name command...: the raw reply, the connection closed by QUIT
    local name=$1; shift
    { resp "$@"; resp QUIT; } | socat -t 5 - TCP:127.0.0.1:"$port" | head -c -5 | seed redis_reply "$name"
  }
  redis-cli -p "$port" set entry "$(printf 'SCCPPE02 bytes\r\n')" >/dev/null
  ask get GET entry
  ask get_missing GET nothing
  ask set SET other value EX 60
  ask config_maxmemory CONFIG GET maxmemory
  ask info_memory INFO memory
  ask wrong_type LPUSH entry x
  kill "$redis"; wait "$redis" 2>/dev/null || true
else
  echo "make_corpus: redis-server not installed; no redis_reply seeds written" >&2
fi
echo "make_corpus: $(find "$out" -type f | wc -l) seeds in $out"
