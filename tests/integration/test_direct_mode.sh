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

# Configure scripts write conftest.c and compile it at once: a file written right before the
# compile is trusted once the file system's clock has passed its times (the server waits the few
# ms that takes), so a rerun is all direct hits. (A fixed slack used to distrust them for 20 ms.)
d0=$(direct_hits) m0=$(misses) o0=$(manifest_outcomes)
for i in 1 2 3; do
  printf 'int xA = 1;\n' > conftest.c
  "$SCCACHE_BIN" gcc -O2 -c conftest.c -o conftest.o
  ((i > 1)) || wait_for_manifests $((o0 + 1))  # the miss's manifest lands after its answer
done
gcc -O2 -c conftest.c -o ref.o
assert_files_identical ref.o conftest.o "conftest.o"
assert_eq "$((m0 + 1)) $((d0 + 2))" "$(misses) $(direct_hits)" "conftest.c rewritten before each compile: a miss, then direct hits"
assert_eq 0 "$(not_recorded)" "every conftest compile recorded its manifest"
# And as configure runs them: each test writes conftest.c, compiles it, and deletes it (or writes
# the next one) at once, before the server records the manifest after answering. A second
# configure run is all direct hits, as with ccache.
configure_pass() {
  local i
  for i in 1 2 3 4 5; do
    printf '#define HAVE_%s 1\nint probe%s(void) { return %s; }\n' "$i" "$i" "$i" > conftest.c
    "$SCCACHE_BIN" gcc -g -O2 -c conftest.c -o conftest.o
    rm -f conftest.c conftest.o
  done
}
o0=$(manifest_outcomes) d0=$(direct_hits)
configure_pass
wait_for_manifests $((o0 + 5))
assert_eq 0 "$(not_recorded)" "every compile of the first configure pass recorded its manifest"
configure_pass
assert_eq $((d0 + 5)) "$(direct_hits)" "the second configure pass is all direct hits"

# A header written while the compile runs (after the preprocessor read it, before the compiler
# did): the object belongs to neither key, so it is not stored, and no manifest vouches for it.
make_gated_compiler gcc
echo '#define V 7' > inc2/v.h
age
"$SCCACHE_BIN" "$GATE/gcc" -Iinc1 -Iinc2 -c d.c -o during.o &
gated=$!
gate_wait_started >/dev/null
echo '#define V 8' > inc2/v.h  # the preprocessor saw 7, the compiler will see 8
gate_release
wait "$gated" || fail "the compile with a header changed under it failed"
gcc -Iinc1 -Iinc2 -c d.c -o ref8.o
assert_files_identical ref8.o during.o "the object of the compile itself"
assert_eq 1 "$(stat_json '.stats.manifest_not_recorded["a file changed during the compile"] // 0')" \
  "a header changed during the compile is counted"
echo '#define V 7' > inc2/v.h
age
"$SCCACHE_BIN" "$GATE/gcc" -Iinc1 -Iinc2 -c d.c -o d.o  # the same compiler (the shim no longer waits)
gcc -Iinc1 -Iinc2 -c d.c -o ref7.o
assert_files_identical ref7.o d.o "back to the header the preprocessor saw: not the object built from the other"
o0=$(manifest_outcomes)
"$SCCACHE_BIN" gcc -Iinc1 -Iinc2 -c d.c -o d.o  # gcc's own manifest learns this header (see below)
wait_for_manifests $((o0 + 1))

# A header dated in the future (clock skew, an archive's dates): no manifest can vouch for it, but
# the result is stored and found by the preprocessor, and the reason is named.
mkdir -p future && echo '#define V 9' > future/v.h && touch -d '+1 hour' future/v.h
age  # (its ctime is the present: older than the compile)
p0=$(pp_hits) o0=$(manifest_outcomes)
"$SCCACHE_BIN" gcc -Ifuture -c d.c -o d.o
wait_for_manifests $((o0 + 1))
"$SCCACHE_BIN" gcc -Ifuture -c d.c -o d.o
gcc -Ifuture -c d.c -o ref9.o
assert_files_identical ref9.o d.o "a header dated in the future"
assert_eq $((p0 + 1)) "$(pp_hits)" "a header dated in the future: a preprocessor hit"
assert_eq 2 "$(stat_json '.stats.manifest_not_recorded["a file is dated in the future"] // 0')" \
  "a header dated in the future is named as the reason"

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
