#!/usr/bin/env bash
# SCCACHE_BASEDIRS: one CMake project (absolute paths everywhere, as CMake writes them) in two
# checkouts at paths of different lengths. The second checkout's build hits wherever the output
# cannot differ — no -g, or -g with a prefix map that removes the checkout's path — and every
# object, dependency file and warning is what a build without the cache writes in THAT checkout;
# plain -g and an absolute __FILE__ keep the checkouts apart.
source "$SCCACHE_TEST_LIB"
require_tool cmake ninja

make_checkout() {  # dir
  mkdir -p "$1/src" "$1/include"
  cat > "$1/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(basedirs C CXX)
if(MAP)  # as projects write it: their own source dir out of the objects
  add_compile_options(-ffile-prefix-map=${CMAKE_SOURCE_DIR}=.)
endif()
add_library(lib STATIC src/a.c src/b.cpp src/c.c)
target_include_directories(lib PUBLIC include)
add_library(files STATIC src/file.c)
CMAKE
  printf '#pragma once\n#define A_VALUE 3\nint a(void);\n' > "$1/include/a.h"
  printf '#include "a.h"\nint a(void) { int unused; return A_VALUE; }\n' > "$1/src/a.c"  # a warning
  printf '#include "a.h"\n#include <string>\nint b() { return std::string("ab").size() + A_VALUE; }\n' > "$1/src/b.cpp"
  printf '#include "a.h"\nint c(void) { return a() * 2; }\n' > "$1/src/c.c"
  printf 'const char* where(void) { return __FILE__; }\n' > "$1/src/file.c"  # the path is in the object
  touch -d '10 seconds ago' "$1"/include/* "$1"/src/*
}
one="$WORK/checkouts/one"
two="$WORK/checkouts/second-longer"
make_checkout "$one"
make_checkout "$two"
export SCCACHE_BASEDIRS="$one:$two"

configure() {  # checkout build-dir launcher(sccache|none) cmake-args...
  local src=$1 dir=$2 launcher=$3
  shift 3
  local l=()
  [[ $launcher == sccache ]] && l=(-DCMAKE_C_COMPILER_LAUNCHER="$SCCACHE_BIN" -DCMAKE_CXX_COMPILER_LAUNCHER="$SCCACHE_BIN")
  cmake -S "$src" -B "$dir" -G Ninja "${l[@]}" "$@" > /dev/null
}
# (-d keepdepfile: CMake's rules have ninja read and delete each .o.d; the test compares them.)
build() { ninja -C "$1" -d keepdepfile > "$1.log" 2>&1 || fail "build in $1 failed: $(cat "$1.log")"; }
hits_and_misses() { echo "$(hits) $(misses)"; }

# Each configuration: a build without the cache in checkout two (the reference), then the cache
# filled from checkout one, then checkout two through the cache at the reference's build dir.
check() {  # name "hits misses" why cmake-args...
  local name=$1 expect=$2 why=$3
  shift 3
  configure "$two" "$two/build-$name" none "$@"
  build "$two/build-$name"
  mkdir -p "$WORK/ref-$name"
  (cd "$two/build-$name" && find . \( -name '*.o' -o -name '*.o.d' \) -exec cp --parents {} "$WORK/ref-$name" \;)
  [[ $(find "$WORK/ref-$name" -name '*.o.d' | wc -l) == 4 ]] || fail "$name: the reference build kept no dependency files"
  cp "$two/build-$name.log" "$WORK/ref-$name.log"
  rm -rf "$two/build-$name"
  configure "$one" "$one/build-$name" sccache "$@"
  build "$one/build-$name"
  wait_for_writes 4
  zero_stats
  configure "$two" "$two/build-$name" sccache "$@"
  build "$two/build-$name"
  assert_eq "$expect" "$(hits_and_misses)" "$name: checkout two's hits and misses ($why)"
  local f
  while IFS= read -r f; do
    assert_files_identical "$WORK/ref-$name/$f" "$two/build-$name/$f" "$name: $f as a build without the cache writes it"
  done < <(cd "$WORK/ref-$name" && find . -type f)
  if grep -rq "$one" "$two/build-$name" --include='*.d' --include='*.o'; then
    fail "$name: an output in checkout two names checkout one: $(grep -rl "$one" "$two/build-$name" --include='*.d' --include='*.o')"
  fi
  grep -q "$two/src/a.c" "$two/build-$name.log" || fail "$name: the warning does not name checkout two's a.c: $(cat "$two/build-$name.log")"
  [[ $(grep -c "$one" "$two/build-$name.log") == 0 ]] || fail "$name: checkout two's warnings name checkout one: $(cat "$two/build-$name.log")"
  stop_server
}

check release "3 1" "file.c's absolute __FILE__ is in its object" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS=-Wall
check mapped "4 0" "-ffile-prefix-map maps __FILE__ and the debug info" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS=-Wall -DMAP=ON
check debug "0 4" "plain -g: the objects name their checkout" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS=-Wall

# A header changed only in checkout two is a miss there, with checkout two's header in the object.
echo '#pragma once
#define A_VALUE 4
int a(void);' > "$two/include/a.h"
zero_stats
ninja -C "$two/build-release" > "$WORK/changed.log" 2>&1 || fail "rebuild failed: $(cat "$WORK/changed.log")"
# (c.c does not use the changed macro: its preprocessed text, and object, are the same: a hit.)
assert_eq "1 2" "$(hits_and_misses)" "the header changed in checkout two: a.c and b.cpp miss (hits misses)"
gcc -Wall -O3 -DNDEBUG -I"$two/include" -c "$two/src/a.c" -o "$WORK/a-ref.o" 2> /dev/null
assert_files_identical "$WORK/a-ref.o" "$two/build-release/CMakeFiles/lib.dir/src/a.c.o" "a.c with the new header"
echo "PASS"
