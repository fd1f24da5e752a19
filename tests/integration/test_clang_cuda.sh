#!/usr/bin/env bash
# clang's CUDA mode (`clang -x cuda`, .cu) as clang 14 can compile it here: the device side alone
# (--cuda-device-only: a cubin through CUDA's ptxas, -S: PTX), without CUDA's headers (-nocudainc:
# clang 14's wrappers do not build against CUDA 13's). Cached in the C family — miss, direct hit,
# the cubin equal to clang's own, a changed header misses — and counted as Mozilla counts it
# (CUDA). A full compile (host and device) fails at CUDA 13's fatbinary: clang's own failure is
# what the user gets, nothing stored.
source "$SCCACHE_TEST_LIB"
require_tool clang
[[ -x /usr/local/cuda/bin/ptxas ]] || { echo "SKIP: CUDA's ptxas (/usr/local/cuda/bin) is not installed" >&2; exit 77; }
PATH=/usr/local/cuda/bin:$PATH

cuda_hits() { stat_json '.stats.cache_hits.counts.CUDA // 0'; }
cuda_misses() { stat_json '.stats.cache_misses.counts.CUDA // 0'; }
cat > k.cu <<'CU'
#define __global__ __attribute__((global))
#include "k.h"
__global__ void k(int *p) { p[0] = VALUE; }
CU
echo '#define VALUE 1' > k.h
device=(-x cuda --cuda-gpu-arch=sm_75 -nocudainc -nocudalib --cuda-device-only)
sclang() { "$SCCACHE_BIN" clang "$@" 2> clang.err || fail "sccache clang $*: $(cat clang.err)"; }

zero_stats
sclang "${device[@]}" -c k.cu -o k.cubin
wait_for_manifests 1
assert_eq 1 "$(cuda_misses)" "the device-only compile: a CUDA miss"
clang "${device[@]}" -c k.cu -o direct.cubin 2> /dev/null || fail "clang's own device-only compile"
assert_files_identical direct.cubin k.cubin "the cubin of the miss"
rm k.cubin
sclang "${device[@]}" -c k.cu -o k.cubin
assert_eq 1 "$(cuda_hits)" "the device-only compile again: a CUDA hit"
assert_eq 1 "$(stat_json '.stats.direct_hits // 0')" "without running clang (direct mode)"
assert_files_identical direct.cubin k.cubin "the cubin of the hit"

echo '#define VALUE 2' > k.h
sclang "${device[@]}" -c k.cu -o k.cubin
assert_eq 2 "$(cuda_misses)" "a changed header: a miss"
clang "${device[@]}" -c k.cu -o direct.cubin 2> /dev/null || fail "clang's own compile of the changed header"
assert_files_identical direct.cubin k.cubin "the cubin of the changed header"

# PTX (-S) is an output of its own.
wait_for_manifests 2
sclang "${device[@]}" -S k.cu -o k.ptx
assert_contains "$(cat k.ptx)" ".visible .entry" "the PTX of the device side"
assert_eq 3 "$(cuda_misses)" "-S: a miss of its own"

# The full compile fails where clang fails, with clang's own message; nothing is stored.
w=$(stat_json .stats.cache_writes)
"$SCCACHE_BIN" clang -x cuda --cuda-gpu-arch=sm_75 -nocudainc -nocudalib -c k.cu -o full.o 2> full.err &&
  fail "a full CUDA compile through clang 14 and CUDA 13's fatbinary succeeded: extend this test"
clang -x cuda --cuda-gpu-arch=sm_75 -nocudainc -nocudalib -c k.cu -o full.o 2> direct.err || true
assert_eq "$(grep -v 'CUDA version' direct.err)" "$(grep -v 'CUDA version' full.err)" "clang's own error"
assert_eq "$w" "$(stat_json .stats.cache_writes)" "a failed compile stores nothing"
echo "ok"
