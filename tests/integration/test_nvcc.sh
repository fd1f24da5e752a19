#!/usr/bin/env bash
# `sccache nvcc`: a miss then a hit whose object is the stored one and has the symbols of a direct
# nvcc compile; no false hit when only host-side code (#ifndef __CUDA_ARCH__, sccache #2299),
# only device code or a header changes; the -MD file restored on a hit; two -gencode variants are
# two entries; NVCC_APPEND_FLAGS and -ccbin reach the key; a failed compile is not stored; -E and
# linking pass through.
source "$SCCACHE_TEST_LIB"
[[ -x /usr/local/cuda/bin/nvcc ]] || { echo "SKIP: /usr/local/cuda/bin/nvcc is not installed" >&2; exit 77; }
PATH=/usr/local/cuda/bin:$PATH
require_tool nm objdump

cuda_hits() { stat_json '.stats.cache_hits.counts.CUDA // 0'; }
cuda_misses() { stat_json '.stats.cache_misses.counts.CUDA // 0'; }
writes() { stat_json .stats.cache_writes; }
snv() { "$SCCACHE_BIN" nvcc "$@" || fail "sccache nvcc $*"; }
# A miss then (once its entry is written) nothing else: one more miss, one more write.
expect_miss() {  # message, then the nvcc arguments
  local message=$1 m w
  shift
  m=$(cuda_misses) w=$(writes)
  snv "$@"
  assert_eq $((m + 1)) "$(cuda_misses)" "$message: a miss"
  wait_for_writes $((w + 1))
}
expect_hit() {  # message, then the nvcc arguments
  local message=$1 h
  shift
  h=$(cuda_hits)
  snv "$@"
  assert_eq $((h + 1)) "$(cuda_hits)" "$message: a hit"
}
# The .data section's bytes (host_only's value lives there).
data_of() { objdump -s -j .data "$1"; }
# (Never `tool | grep -q`: with pipefail, grep's early exit fails the tool by SIGPIPE.)
has() { [[ "$1" == *"$2"* ]]; }

cat > h.h <<'EOF'
#define HEADER_VALUE 0x0a0b0c0d
EOF
write_source() {  # host value, device value
  cat > k.cu <<EOF
#include "h.h"
__global__ void k(int *p) { *p = $2; }
#ifndef __CUDA_ARCH__
int host_only = $1;
int header_value() { return HEADER_VALUE; }
#endif
EOF
  sleep 0.05  # (older than the compile's start on the file clock, so the miss is stored)
}
write_source 0x11223344 7

# --- Miss, then hit: the stored object, byte for byte; the symbols of nvcc's own.
expect_miss "first compile" -c k.cu -o k.o
cp k.o miss.o
expect_hit "same compile" -c k.cu -o k.o
assert_files_identical miss.o k.o "the hit's object is the stored one"
nvcc -c k.cu -o direct.o
assert_eq "$(nm direct.o)" "$(nm k.o)" "the hit's symbols and nvcc's"
has "$(data_of k.o)" 44332211 || fail "the object holds host_only: $(data_of k.o)"

# --- #2299: host-only code changed (invisible to `nvcc -E`): a miss, and the new value.
write_source 0x55667788 7
expect_miss "host-only change" -c k.cu -o k.o
has "$(data_of k.o)" 88776655 || fail "the object holds the new host_only: $(data_of k.o)"
has "$(data_of k.o)" 44332211 && fail "the object still holds the old host_only"
expect_hit "host-only change, again" -c k.cu -o k.o

# --- Device-only change: a miss.
write_source 0x55667788 9
expect_miss "device-only change" -c k.cu -o k.o

# --- A header changed: a miss.
echo '#define HEADER_VALUE 0x0e0f0a0b' > h.h
sleep 0.05
expect_miss "header change" -c k.cu -o k.o
has "$(objdump -d k.o)" '0xe0f0a0b' || fail "header_value returns the new value: $(objdump -d k.o | grep -A4 header_value)"

# --- -MD -MF: the dependency file restored on a hit, as the miss wrote it.
expect_miss "-MD" -c k.cu -o k.o -MD -MF k.d
grep -q 'h\.h' k.d || fail "the .d names h.h: $(head -c 300 k.d)"
cp k.d miss.d
rm k.d k.o
expect_hit "-MD" -c k.cu -o k.o -MD -MF k.d
assert_files_identical miss.d k.d "the hit's .d"

# --- Two -gencode variants: two entries, each then a hit.
expect_miss "sm_75" -c k.cu -o g.o -gencode arch=compute_75,code=sm_75
cp g.o g75.o
expect_miss "sm_80" -c k.cu -o g.o -gencode arch=compute_80,code=sm_80
cp g.o g80.o
cmp -s g75.o g80.o && fail "the sm_75 and sm_80 objects are the same"
expect_hit "sm_75 again" -c k.cu -o g.o -gencode arch=compute_75,code=sm_75
assert_files_identical g75.o g.o "the sm_75 hit"
expect_hit "sm_80 again" -c k.cu -o g.o -gencode arch=compute_80,code=sm_80
assert_files_identical g80.o g.o "the sm_80 hit"

# --- NVCC_APPEND_FLAGS takes part in the key.
NVCC_APPEND_FLAGS='-DEXTRA=1' expect_miss "NVCC_APPEND_FLAGS" -c k.cu -o k.o
NVCC_APPEND_FLAGS='-DEXTRA=1' expect_hit "NVCC_APPEND_FLAGS again" -c k.cu -o k.o

# --- -ccbin names the host compiler: its own entry, then a hit.
expect_miss "-ccbin" -c k.cu -o k.o -ccbin g++
expect_hit "-ccbin again" -c k.cu -o k.o -ccbin g++

# --- A compile error: nvcc's exit code and message, nothing stored.
printf '__global__ void bad(int *p) { *p = undeclared_name; }\n' > bad.cu
w=$(writes)
set +e
"$SCCACHE_BIN" nvcc -c bad.cu -o bad.o 2> bad.err
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "a failing compile exits non-zero through sccache"
assert_contains "$(cat bad.err)" "undeclared_name" "nvcc's error message"
(($(stat_json .stats.compile_fails) >= 1)) || fail "the failed compile is counted"
sleep 0.3
assert_eq "$w" "$(writes)" "a failed compile is not stored"

# --- Not cached: -E (a reason), linking (not a compile).
before=$(stat_json '.stats.not_cached["-E"] // 0')
snv -E k.cu > k.ii
assert_eq $((before + 1)) "$(stat_json '.stats.not_cached["-E"] // 0')" "-E counted as not cacheable"
grep -q 'host_only' k.ii && fail "-E output is the device side (host_only absent)"
before=$(stat_json .stats.requests_not_compile)
echo 'int main() { return 0; }' > main.cu
snv main.cu -o app
[[ -x app ]] || fail "linking through sccache made no executable"
assert_eq $((before + 1)) "$(stat_json .stats.requests_not_compile)" "linking counted as not a compile"
echo "ok"
