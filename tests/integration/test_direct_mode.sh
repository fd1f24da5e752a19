#!/usr/bin/env bash
# Direct mode: a second compile is served without the preprocessor, and every change that could
# alter the result misses instead — including headers that newly shadow old ones.
source "$SCCACHE_TEST_LIB"

# Files must be older than the file clock's granularity (0.1 s) before direct mode trusts them.
age() { sleep 0.2; }
direct_hits() { stat_json '.stats.direct_hits // 0'; }
pp_hits() { stat_json '.stats.preprocessor_hits // 0'; }

mkdir -p inc1 inc2 inc
echo '#define V 2' > inc2/v.h
printf '#include "v.h"\nint v(void) { return V; }\n' > d.c
age

check() {  # message, expected kind (direct|preprocessor|miss), compiler args...
  local msg=$1 kind=$2 d0 p0 m0
  shift 2
  d0=$(direct_hits) p0=$(pp_hits) m0=$(misses)
  "$SCCACHE_BIN" gcc "$@" -c d.c -o d.o
  gcc "$@" -c d.c -o ref.o
  assert_files_identical ref.o d.o
  case $kind in
    direct) assert_eq $((d0 + 1)) "$(direct_hits)" "$msg: direct hit" ;;
    preprocessor) assert_eq $((p0 + 1)) "$(pp_hits)" "$msg: preprocessor hit" ;;
    miss) assert_eq $((m0 + 1)) "$(misses)" "$msg: miss" ;;
  esac
}

check "first compile" miss -Iinc1 -Iinc2
check "same compile" direct -Iinc1 -Iinc2
# A header created earlier on the include path shadows the old one.
echo '#define V 1' > inc1/v.h
check "shadowing header in an earlier -I" miss -Iinc1 -Iinc2
rm inc1/v.h
age
check "shadow removed again" direct -Iinc1 -Iinc2
# The directory of the shadowing header did not even exist at the first compile.
check "with a missing -I directory" miss -Inew -Iinc2
age
check "again" direct -Inew -Iinc2
mkdir new
echo '#define V 3' > new/v.h
check "header in a directory created since" miss -Inew -Iinc2
# -I order.
check "reordered -I" miss -Iinc2 -Iinc1
# A changed header.
age
check "before the change" direct -Iinc1 -Iinc2
echo '#define V 4' > inc2/v.h
check "changed header" miss -Iinc1 -Iinc2
# A symlinked header retargeted.
echo '#define V 5' > inc/a.h
echo '#define V 6' > inc/b.h
ln -s a.h inc/v.h
age
check "through a symlink" miss -Iinc
check "through a symlink again" direct -Iinc
ln -sfn b.h inc/v.h
check "symlink retargeted" miss -Iinc
# Environment the preprocessor reads.
age
CPATH=inc1 check "CPATH set" miss -Iinc2
CPATH=inc1 check "CPATH set again" direct -Iinc2

# A header written right before the compile starts (within the file clock's slack) is not trusted
# for the manifest: the next compile still preprocesses.
p0=$(pp_hits) m0=$(misses) w0=$(stat_json .stats.cache_writes)
echo '#define V 7' > inc2/v.h && "$SCCACHE_BIN" gcc -Iinc1 -Iinc2 -c d.c -o d.o
wait_for_writes $((w0 + 1))  # the entry lands after the answer
"$SCCACHE_BIN" gcc -Iinc1 -Iinc2 -c d.c -o d.o
gcc -Iinc1 -Iinc2 -c d.c -o ref.o
assert_files_identical ref.o d.o
assert_eq "$((m0 + 1)) $((p0 + 1))" "$(misses) $(pp_hits)" "fresh header: a miss, then a preprocessor hit"

# __DATE__/__TIME__ make a source unfit for direct mode; preprocessor mode still caches it.
printf 'const char* when(void) { return __DATE__; }\n' > date.c
age
"$SCCACHE_BIN" gcc -c date.c -o date.o
d0=$(direct_hits)
"$SCCACHE_BIN" gcc -c date.c -o date.o
assert_eq "$d0" "$(direct_hits)" "__DATE__: no direct hit"

# __has_include: a header that did not exist decides the object as much as one that did. Creating
# it, in the source's directory or in an -I directory that did not exist yet, must miss.
cat > probe.c <<'C'
#if __has_include("probe_opt.h")
#include "probe_opt.h"
#endif
#if __has_include(<probe_sys.h>)
int sys(void) { return 1; }
#endif
int probe(void) { return 1; }
C
age
probe() {  # message, expected kind (direct|miss)
  local d0=$(direct_hits) m0=$(misses)
  "$SCCACHE_BIN" gcc -Iprobe_inc -c probe.c -o probe.o
  gcc -Iprobe_inc -c probe.c -o probe_ref.o
  assert_files_identical probe_ref.o probe.o "$1: object"
  case $2 in
    direct) assert_eq $((d0 + 1)) "$(direct_hits)" "$1: direct hit" ;;
    miss) assert_eq $((m0 + 1)) "$(misses)" "$1: miss" ;;
  esac
}
probe "__has_include, first" miss
probe "__has_include, again" direct
echo 'int opt(void) { return 2; }' > probe_opt.h
probe "__has_include(\"...\") now finds a header" miss
age
probe "__has_include(\"...\") again" direct
mkdir probe_inc && echo '' > probe_inc/probe_sys.h
probe "__has_include(<...>) in a directory created since" miss
rm probe_opt.h
probe "__has_include'd header removed" miss

# SCCACHE_DIRECT=false turns it off per compile.
age
check "direct on" direct -Iinc1 -Iinc2
SCCACHE_DIRECT=false check "direct off" preprocessor -Iinc1 -Iinc2
assert_contains "$("$SCCACHE_BIN" --show-stats)" "Cache hits (direct mode)" "stats name direct hits"
echo "ok"
