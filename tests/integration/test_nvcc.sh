#!/usr/bin/env bash
# `sccache nvcc`: a miss then a direct-mode hit (no nvcc run) whose object is the stored one and,
# but for nvcc's temporary names, a direct nvcc compile's; no false hit when only host-side code
# (#ifndef __CUDA_ARCH__, sccache #2299), only device code, a header (one both sides include, one
# only the host's, one only the device's), or a new header shadowing an old one earlier on the -I
# path changes; the -MD file restored on a direct hit; SCCACHE_DIRECT=0
# and __TIME__ keep to the preprocessor's key; two -gencode variants are two entries;
# NVCC_APPEND_FLAGS and -ccbin reach the key; a failed compile is not stored; -E and linking pass
# through. (No sleeps for the file clock: the server waits until the source it is given has
# settled, and every file here is written before the source it goes with is rewritten or touched.)
source "$SCCACHE_TEST_LIB"
[[ -x /usr/local/cuda/bin/nvcc ]] || { echo "SKIP: /usr/local/cuda/bin/nvcc is not installed" >&2; exit 77; }
PATH=/usr/local/cuda/bin:$PATH
require_tool nm objdump perl

cuda_hits() { stat_json '.stats.cache_hits.counts.CUDA // 0'; }
cuda_misses() { stat_json '.stats.cache_misses.counts.CUDA // 0'; }
direct_hits() { stat_json '.stats.direct_hits // 0'; }
pp_hits() { stat_json '.stats.preprocessor_hits // 0'; }
writes() { stat_json .stats.cache_writes; }
snv() { "$SCCACHE_BIN" nvcc "$@" || fail "sccache nvcc $*"; }
# A miss then (once its entry and its manifest are written) nothing else.
expect_miss() {  # message, then the nvcc arguments
  local message=$1 m w o
  shift
  m=$(cuda_misses) w=$(writes) o=$(manifest_outcomes)
  snv "$@"
  assert_eq $((m + 1)) "$(cuda_misses)" "$message: a miss"
  wait_for_writes $((w + 1))
  wait_for_manifests $((o + 1))
}
expect_hit() {  # message, kind (direct|preprocessor), then the nvcc arguments
  local message=$1 kind=$2 h d p o
  shift 2
  h=$(cuda_hits) d=$(direct_hits) p=$(pp_hits) o=$(manifest_outcomes)
  snv "$@"
  assert_eq $((h + 1)) "$(cuda_hits)" "$message: a hit"
  if [[ $kind == direct ]]; then
    assert_eq "$((d + 1)) $p" "$(direct_hits) $(pp_hits)" "$message: a direct-mode hit"
  else
    assert_eq "$d $((p + 1))" "$(direct_hits) $(pp_hits)" "$message: a preprocessor-mode hit"
    [[ -n "${SCCACHE_DIRECT:-}" ]] || wait_for_manifests $((o + 1))  # found without nvcc next time
  fi
}
# The same object as nvcc's own but for the temporary's name in the symbol table (2 bytes).
masked() { perl -pe 's/tmpxft_[0-9a-f]{8}_[0-9a-f]{8}-/tmpxft_XXXXXXXX_XXXXXXXX-/g' "$1"; }
assert_like_nvcc() {  # object, message, then nvcc's arguments less -o
  local object=$1 message=$2
  shift 2
  nvcc "$@" -o reference.o
  cmp -s <(masked reference.o) <(masked "$object") || fail "$message: $object is not nvcc's object"
}
# The .data section's bytes (host_only's value lives there).
data_of() { objdump -s -j .data "$1"; }
# (Never `tool | grep -q`: with pipefail, grep's early exit fails the tool by SIGPIPE.)
has() { [[ "$1" == *"$2"* ]]; }

cat > h.h <<'EOF2'
#define HEADER_VALUE 0x0a0b0c0d
EOF2
write_source() {  # host value, device value
  cat > k.cu <<EOF2
#include "h.h"
__global__ void k(int *p) { *p = $2; }
#ifndef __CUDA_ARCH__
int host_only = $1;
int header_value() { return HEADER_VALUE; }
#endif
EOF2
}
write_source 0x11223344 7

# --- Miss, then a direct hit: the stored object, byte for byte; nvcc's own but for tmpxft.
expect_miss "first compile" -c k.cu -o k.o
cp k.o miss.o
expect_hit "same compile" direct -c k.cu -o k.o
assert_files_identical miss.o k.o "the hit's object is the stored one"
assert_like_nvcc k.o "the direct hit" -c k.cu
nvcc -c k.cu -o direct.o
assert_eq "$(nm direct.o)" "$(nm k.o)" "the hit's symbols and nvcc's"
has "$(data_of k.o)" 44332211 || fail "the object holds host_only: $(data_of k.o)"

# --- #2299: host-only code changed (invisible to `nvcc -E`): a miss, and the new value.
write_source 0x55667788 7
expect_miss "host-only change" -c k.cu -o k.o
has "$(data_of k.o)" 88776655 || fail "the object holds the new host_only: $(data_of k.o)"
has "$(data_of k.o)" 44332211 && fail "the object still holds the old host_only"
expect_hit "host-only change, again" direct -c k.cu -o k.o
assert_like_nvcc k.o "host-only change, direct hit" -c k.cu

# --- Device-only change: a miss, then a direct hit.
write_source 0x55667788 9
expect_miss "device-only change" -c k.cu -o k.o
expect_hit "device-only change, again" direct -c k.cu -o k.o
assert_like_nvcc k.o "device-only change, direct hit" -c k.cu

# --- A header changed (the source only touched): a miss with the new value, then a direct hit.
echo '#define HEADER_VALUE 0x0e0f0a0b' > h.h
touch k.cu
expect_miss "header change" -c k.cu -o k.o
has "$(objdump -d k.o)" '0xe0f0a0b' || fail "header_value returns the new value: $(objdump -d k.o | grep -A4 header_value)"
assert_like_nvcc k.o "header change" -c k.cu
expect_hit "header change, again" direct -c k.cu -o k.o

# --- A header only the host side includes, and one only the device side does: each is in the
# manifest (neither pass reads both), so changing either misses.
echo '#define HOST_VALUE 0x3333' > host_side.h
echo '#define DEVICE_VALUE 0x4444' > device_side.h
cat > u.cu <<'EOF2'
#ifndef __CUDA_ARCH__
#include "host_side.h"
int host_value() { return HOST_VALUE; }
#else
#include "device_side.h"
#endif
__global__ void u(int *p) {
#ifdef __CUDA_ARCH__
  *p = DEVICE_VALUE;
#endif
}
EOF2
expect_miss "one-sided headers, first" -c u.cu -o u.o
expect_hit "one-sided headers, again" direct -c u.cu -o u.o
echo '#define HOST_VALUE 0x5555' > host_side.h
touch u.cu
expect_miss "a host-only header changed" -c u.cu -o u.o
has "$(objdump -d u.o)" '0x5555' || fail "host_value returns the new value"
expect_hit "a host-only header changed, again" direct -c u.cu -o u.o
echo '#define DEVICE_VALUE 0x6666' > device_side.h
touch u.cu
expect_miss "a device-only header changed" -c u.cu -o u.o
assert_like_nvcc u.o "a device-only header changed" -c u.cu
expect_hit "a device-only header changed, again" direct -c u.cu -o u.o

# --- A new header earlier on the -I path shadows the old one: a miss, and its value.
mkdir -p inc1 inc2
echo '#define V 0x1111' > inc2/v.h
printf '#include "v.h"\n__global__ void s(int *p) { *p = V; }\nint host_v() { return V; }\n' > s.cu
expect_miss "-I shadowing, first" -c s.cu -o s.o -Iinc1 -Iinc2
expect_hit "-I shadowing, again" direct -c s.cu -o s.o -Iinc1 -Iinc2
echo '#define V 0x2222' > inc1/v.h
touch s.cu
expect_miss "a shadowing header in an earlier -I" -c s.cu -o s.o -Iinc1 -Iinc2
has "$(objdump -d s.o)" '0x2222' || fail "host_v returns the shadowing header's value"
assert_like_nvcc s.o "the shadowing header" -c s.cu -Iinc1 -Iinc2
expect_hit "a shadowing header, again" direct -c s.cu -o s.o -Iinc1 -Iinc2

# --- -MD -MF: the dependency file restored on a direct hit, as the miss wrote it.
expect_miss "-MD" -c k.cu -o k.o -MD -MF k.d
grep -q 'h\.h' k.d || fail "the .d names h.h: $(head -c 300 k.d)"
cp k.d miss.d
rm k.d k.o
expect_hit "-MD" direct -c k.cu -o k.o -MD -MF k.d
assert_files_identical miss.d k.d "the direct hit's .d"
nvcc -c k.cu -o reference.o -MD -MF reference.d
assert_eq "$(sed 's/reference\.o/k.o/' reference.d)" "$(cat k.d)" "the direct hit's .d and nvcc's"

# --- SCCACHE_DIRECT=0: the preprocessor's key, and its hit.
SCCACHE_DIRECT=0 expect_hit "SCCACHE_DIRECT=0" preprocessor -c k.cu -o k.o

# --- __TIME__: direct mode says why it cannot vouch for the source, the compile still works.
printf '__global__ void t(int *p) { *p = 1; }\nconst char *when = __TIME__;\n' > t.cu
reason='.stats.manifest_not_recorded["a file uses __DATE__ or __TIME__"] // 0'
before=$(stat_json "$reason")
snv -c t.cu -o t.o
assert_eq $((before + 1)) "$(stat_json "$reason")" "__TIME__ counted as not recorded"
[[ -s t.o ]] || fail "the __TIME__ compile made no object"

# --- Two -gencode variants: two entries, each then a hit.
expect_miss "sm_75" -c k.cu -o g.o -gencode arch=compute_75,code=sm_75
cp g.o g75.o
expect_miss "sm_80" -c k.cu -o g.o -gencode arch=compute_80,code=sm_80
cp g.o g80.o
cmp -s g75.o g80.o && fail "the sm_75 and sm_80 objects are the same"
expect_hit "sm_75 again" direct -c k.cu -o g.o -gencode arch=compute_75,code=sm_75
assert_files_identical g75.o g.o "the sm_75 hit"
expect_hit "sm_80 again" direct -c k.cu -o g.o -gencode arch=compute_80,code=sm_80
assert_files_identical g80.o g.o "the sm_80 hit"

# --- NVCC_APPEND_FLAGS takes part in the key.
NVCC_APPEND_FLAGS='-DEXTRA=1' expect_miss "NVCC_APPEND_FLAGS" -c k.cu -o k.o
NVCC_APPEND_FLAGS='-DEXTRA=1' expect_hit "NVCC_APPEND_FLAGS again" direct -c k.cu -o k.o

# --- -ccbin names the host compiler: its own entry, then a hit.
expect_miss "-ccbin" -c k.cu -o k.o -ccbin g++
expect_hit "-ccbin again" direct -c k.cu -o k.o -ccbin g++

# --- A compile error: nvcc's exit code and message, nothing stored.
printf '__global__ void bad(int *p) { *p = undeclared_name; }\n' > bad.cu
w=$(writes)
rc=0
"$SCCACHE_BIN" nvcc -c bad.cu -o bad.o 2> bad.err || rc=$?
[[ $rc -ne 0 ]] || fail "a failing compile exits non-zero through sccache"
assert_contains "$(cat bad.err)" "undeclared_name" "nvcc's error message"
(($(stat_json .stats.compile_fails) >= 1)) || fail "the failed compile is counted"
# A compile after it is stored; the failed one (answered first) added no write of its own.
expect_miss "after the failure" -c k.cu -o after.o
assert_eq $((w + 1)) "$(writes)" "a failed compile is not stored"

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
