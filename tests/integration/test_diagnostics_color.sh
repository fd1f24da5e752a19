#!/usr/bin/env bash
# Coloured diagnostics: what reaches stderr is what the compiler prints for that command line and
# that stream. Colour asked for, colour refused, and auto (a pipe here, a terminal under script(1))
# each get exactly the compiler's own bytes, whichever of them filled the cache.
source "$SCCACHE_TEST_LIB"
require_tool script

printf 'int f(void) { int unused; return 0; }\n' > warn.c
printf '#include <vector>\nint g() { std::vector<int> v; int unused; return v.size(); }\n' > warn.cpp
touch -d '10 seconds ago' warn.c warn.cpp

# compare <label> <expected hit kind: miss|hit> <compiler> <flags...>: the compile through the
# cache prints exactly what the compiler prints, and was a miss or a hit as expected.
compare() {
  local label=$1 kind=$2 cc=$3 h0 m0
  shift 3
  h0=$(hits) m0=$(misses)
  "$cc" -Wall "$@" -c "$src" -o direct.o 2> direct.err
  "$SCCACHE_BIN" "$cc" -Wall "$@" -c "$src" -o cached.o 2> cached.err
  assert_files_identical direct.err cached.err "$cc $src $label: stderr"
  assert_files_identical direct.o cached.o "$cc $src $label: object"
  case $kind in
    miss) assert_eq $((m0 + 1)) "$(misses)" "$cc $src $label: a miss" ;;
    hit) assert_eq $((h0 + 1)) "$(hits)" "$cc $src $label: a hit" ;;
  esac
}

# in_terminal <output file> <command...>: runs the command with its stdout and stderr on a
# pseudo-terminal (TERM=xterm) and saves what the terminal received.
in_terminal() {
  local out=$1
  shift
  TERM=xterm script -qec "$(printf '%q ' "$@")" /dev/null > "$out"
}

for cc in gcc g++ clang clang++; do
  case $cc in *++) src=warn.cpp ;; *) src=warn.c ;; esac
  case $cc in g*) on=-fdiagnostics-color=always off=-fdiagnostics-color=never ;;
    *) on=-fcolor-diagnostics off=-fno-color-diagnostics ;; esac
  grep -q $'\e\[' <<< "$("$cc" -Wall $on -c "$src" -o /dev/null 2>&1)" || fail "$cc: $on should colour"
  compare "colour on" miss "$cc" $on
  compare "colour off" miss "$cc" $off  # stored plain, apart from the coloured entry
  compare "colour on again" hit "$cc" $on
  compare "colour off again" hit "$cc" $off
  # No flag, and auto, into a pipe: no colour, from the entry the coloured compile stored.
  compare "no colour flag" hit "$cc"
  compare "auto" hit "$cc" -fdiagnostics-color=auto
  # On a terminal, auto colours: the compiler's own bytes, from the same entry.
  h0=$(hits)
  in_terminal direct.tty "$cc" -Wall -c "$src" -o direct.o
  in_terminal cached.tty "$SCCACHE_BIN" "$cc" -Wall -c "$src" -o cached.o
  grep -q $'\e\[' direct.tty || fail "$cc: auto on a terminal should colour"
  assert_files_identical direct.tty cached.tty "$cc $src: auto on a terminal"
  assert_eq $((h0 + 1)) "$(hits)" "$cc $src: auto on a terminal is a hit"
  # A terminal that cannot show colour gets none.
  TERM=dumb script -qec "$(printf '%q ' "$SCCACHE_BIN" "$cc" -Wall -c "$src" -o cached.o)" /dev/null > dumb.tty
  ! grep -q $'\e\[' dumb.tty || fail "$cc: TERM=dumb gets no colour"
done
echo "ok"
