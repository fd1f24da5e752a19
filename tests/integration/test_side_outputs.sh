#!/usr/bin/env bash
# Compiles whose output is not just an object: -S (assembly), -gsplit-dwarf (a .dwo beside the
# object, named in it), coverage and profiling (a .gcno beside the output; the .gcda path, from the
# working directory and -o, inside the object). A miss and a hit write what the compiler writes,
# byte for byte, under this compile's names.
source "$SCCACHE_TEST_LIB"
require_tool readelf gcov llvm-cov

direct_hits() { stat_json '.stats.direct_hits // 0'; }
mkdir -p out
printf '#include "h.h"\nint twice(int x) { return H * x; }\n' > a.c
echo '#define H 2' > h.h
touch -d '10 seconds ago' a.c h.h

# through_cache <expected: miss|direct> <compiler> <args...>
through_cache() {
  local kind=$1 m0 d0 o0
  shift
  m0=$(misses) d0=$(direct_hits) o0=$(manifest_outcomes)
  "$SCCACHE_BIN" "$@"
  case $kind in
    miss)
      assert_eq $((m0 + 1)) "$(misses)" "$*: a miss"
      wait_for_manifests $((o0 + 1))
      ;;
    direct) assert_eq $((d0 + 1)) "$(direct_hits)" "$*: a direct hit" ;;
  esac
}

# ---- -S: the assembly is the output; keyed apart from the object ----
for cc in gcc clang; do
  "$cc" -O2 -S a.c -o ref.s && "$cc" -O2 -S -MD a.c -o ref-md.s
  rm -f a.s ref-md.d
  "$cc" -O2 -S -MD a.c && mv a.d ref-default.d  # without -o: a.s, and a rule naming a.o
  rm -f a.s
  through_cache miss "$cc" -O2 -S a.c
  assert_files_identical ref.s a.s "$cc -S: the assembly of the miss"
  rm a.s
  through_cache direct "$cc" -O2 -S a.c
  assert_files_identical ref.s a.s "$cc -S: the assembly of the hit"
  through_cache direct "$cc" -O2 -S a.c -o out/renamed.s
  assert_files_identical ref.s out/renamed.s "$cc -S -o: the assembly under another name"
  through_cache miss "$cc" -O2 -S -MD a.c
  through_cache direct "$cc" -O2 -S -MD a.c
  assert_files_identical ref-default.d a.d "$cc -S -MD: the dependency file names a.o"
  # The object of the same source is another result.
  through_cache miss "$cc" -O2 -c a.c -o obj.o
  "$cc" -O2 -c a.c -o ref.o
  assert_files_identical ref.o obj.o "$cc -c after -S: an object, not assembly"
  rm -f a.s a.d
done

# ---- -gsplit-dwarf: the .dwo is an output; the object names the .dwo of this -o ----
dwo_name() { readelf --debug-dump=info "$1" | sed -nE 's/.*DW_AT_(GNU_)?dwo_name *:.*: (.*)$/\2/p' | head -n1; }
for cc in gcc clang; do
  for flags in "-g -gsplit-dwarf" "-O2 -g -gsplit-dwarf"; do
    label="$cc $flags"
    # shellcheck disable=SC2086
    {
      "$cc" $flags -c a.c -o out/ref.o && mv out/ref.dwo out/keep.dwo && mv out/ref.o out/keep.o
      through_cache miss "$cc" $flags -c a.c -o out/ref.o
      assert_files_identical out/keep.dwo out/ref.dwo "$label: the .dwo of the miss"
      rm out/ref.o out/ref.dwo
      through_cache direct "$cc" $flags -c a.c -o out/ref.o
      assert_files_identical out/keep.dwo out/ref.dwo "$label: the .dwo restored by the hit"
      assert_files_identical out/keep.o out/ref.o "$label: the object restored by the hit"
      # Another output name: its object must name its own .dwo.
      "$cc" $flags -c a.c -o out/other.o && mv out/other.o out/other-ref.o && mv out/other.dwo out/other-ref.dwo
      "$SCCACHE_BIN" "$cc" $flags -c a.c -o out/other.o
      assert_eq out/other.dwo "$(dwo_name out/other.o)" "$label: the skeleton names this output's .dwo"
      assert_files_identical out/other-ref.o out/other.o "$label: the object under another name"
      assert_files_identical out/other-ref.dwo out/other.dwo "$label: the .dwo under another name"
    }
  done
done
# clang writes no .dwo without debug information: an old one lying there is not stored as if it had.
echo 'stale' > out/nodebug.dwo
touch -d '1 hour ago' out/nodebug.dwo
through_cache miss clang -gsplit-dwarf -c a.c -o out/nodebug.o
rm out/nodebug.o out/nodebug.dwo
through_cache direct clang -gsplit-dwarf -c a.c -o out/nodebug.o
[[ ! -e out/nodebug.dwo ]] || fail "a .dwo the compiler did not write was stored and replayed"

# ---- coverage: the .gcno is an output; the cwd and -o are in the key ----
cat > main.c <<'C'
int twice(int x);
int main(int argc, char** argv) { (void)argv; return twice(argc) == 2 ? 0 : 1; }
C
touch -d '10 seconds ago' main.c
for cc in gcc clang; do
  rm -f out/*.gcno out/*.gcda
  through_cache miss "$cc" --coverage -c a.c -o out/cov.o
  cp out/cov.o miss.o && cp out/cov.gcno miss.gcno
  rm out/cov.o out/cov.gcno
  through_cache direct "$cc" --coverage -c a.c -o out/cov.o
  assert_files_identical miss.o out/cov.o "$cc --coverage: the object restored by the hit"
  assert_files_identical miss.gcno out/cov.gcno "$cc --coverage: the .gcno restored by the hit"
  # The restored pair works: the program writes its .gcda where the object says, gcov reads both.
  "$cc" --coverage main.c out/cov.o -o prog && ./prog
  [[ -f out/cov.gcda ]] || fail "$cc --coverage: the .gcda is written beside the object"
  gcov_tool=(gcov)
  [[ $cc == clang ]] && gcov_tool=(llvm-cov gcov)  # clang writes LLVM's .gcno format
  "${gcov_tool[@]}" -o out/cov.o a.c > gcov.out 2>&1 || fail "$cc --coverage: gcov failed: $(cat gcov.out)"
  grep -q 'stamp mismatch\|cannot open' gcov.out && fail "$cc --coverage: gcov: $(cat gcov.out)"
  grep -qE '^ +1: +2:int twice' a.c.gcov || fail "$cc --coverage: gcov counts: $(head -5 a.c.gcov)"
  rm -f ./*.gcov out/cov.gcda
  # The same compile in another directory names other files: a miss, not this object.
  mkdir -p elsewhere/out && cp -p a.c h.h elsewhere/
  (cd elsewhere && through_cache miss "$cc" --coverage -c a.c -o out/cov.o)
  strings elsewhere/out/cov.o | grep -q "$PWD/elsewhere/out/cov.gcda" ||
    fail "$cc --coverage elsewhere: the object names its own .gcda"
  rm -rf elsewhere
done
# Profiling without notes: gcc's -fprofile-generate puts the .gcda path in the object.
for flags in "-fprofile-generate" "-fprofile-arcs"; do
  # shellcheck disable=SC2086
  {
    through_cache miss gcc $flags -O2 -c a.c -o out/prof.o
    cp out/prof.o prof-miss.o && rm out/prof.o
    through_cache direct gcc $flags -O2 -c a.c -o out/prof.o
    assert_files_identical prof-miss.o out/prof.o "gcc $flags: the object restored by the hit"
    through_cache miss gcc $flags -O2 -c a.c -o out/prof2.o  # another name: another .gcda
    strings out/prof2.o | grep -q "$PWD/out/prof2.gcda" || fail "gcc $flags: the object names its own .gcda"
  }
done
echo "ok"
