#!/usr/bin/env bash
# Precompiled headers the compiler picks up by itself (-include foo.h with foo.h.gch for gcc,
# foo.h.pch for clang): the preprocessed text does not show them, so a new, changed or removed one
# must still miss — in preprocessor mode and in direct mode — and every object must equal the
# compiler's own.
source "$SCCACHE_TEST_LIB"

# Files must be older than the file clock's granularity (0.1 s) before direct mode trusts them.
age() { sleep 0.2; }
printf '#define PCHV 1\nstatic inline int pchf(void) { return PCHV; }\n' > foo.h
printf '#define PCHV 2\nstatic inline int pchf(void) { return PCHV; }\n' > alt.h
printf '#define PCHV 3\nstatic inline int pchf(void) { return PCHV; }\n' > alt3.h
echo 'int main(void) { return pchf(); }' > m.c

# compile <cc> <expected kind: hit|miss> <message>
compile() {
  local cc=$1 kind=$2 msg=$3 h0 m0
  h0=$(hits) m0=$(misses)
  "$SCCACHE_BIN" "$cc" -include foo.h -c m.c -o m.o
  "$cc" -include foo.h -c m.c -o ref.o
  assert_files_identical ref.o m.o "$cc, $msg: object"
  case $kind in
    hit) assert_eq "$((h0 + 1)) $m0" "$(hits) $(misses)" "$cc, $msg: a hit (hits misses)" ;;
    miss) assert_eq "$h0 $((m0 + 1))" "$(hits) $(misses)" "$cc, $msg: a miss (hits misses)" ;;
  esac
}

for cc in gcc clang; do
  suffix=gch
  [[ $cc == clang ]] && suffix=pch
  rm -f foo.h.gch foo.h.pch
  age
  for direct in true false; do
    export SCCACHE_DIRECT=$direct
    stop_server
    export SCCACHE_DIR="$WORK/cache-$cc-$direct"
    rm -f foo.h.$suffix
    age
    compile "$cc" miss "no precompiled header (direct=$direct)"
    compile "$cc" hit "the same (direct=$direct)"
    # A precompiled header appears, built from another text: the compiler uses it.
    "$cc" -x c-header alt.h -o foo.h.$suffix
    age
    compile "$cc" miss "a new foo.h.$suffix (direct=$direct)"
    compile "$cc" hit "the same again (direct=$direct)"
    # It is rebuilt with yet another content.
    "$cc" -x c-header alt3.h -o foo.h.$suffix
    age
    compile "$cc" miss "a changed foo.h.$suffix (direct=$direct)"
    # It is removed: back to the header's own text, an earlier result.
    rm foo.h.$suffix
    age
    compile "$cc" hit "foo.h.$suffix removed (direct=$direct)"
  done
done
echo "ok"
