#!/usr/bin/env bash
# A CMake project as users build it: CMAKE_<LANG>_COMPILER_LAUNCHER, Ninja, RelWithDebInfo (-O2 -g)
# and Release. After a clean, the rebuild is all direct-mode hits, and its objects and dependency
# files are those of the first build.
source "$SCCACHE_TEST_LIB"
require_tool cmake ninja

mkdir -p proj/src proj/include
cat > proj/CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(demo C CXX)
add_library(demo STATIC src/a.c src/b.cpp src/c.cpp)
target_include_directories(demo PUBLIC include)
add_executable(app src/main.cpp)
target_link_libraries(app demo)
CMAKE
echo 'int a_value(void);' > proj/include/a.h
printf '#include "a.h"\n#include <string.h>\nint a_value(void) { return (int)strlen("abc"); }\n' > proj/src/a.c
printf '#include <string>\n#include <vector>\nint b_value() { std::vector<std::string> v{"x"}; return v.size(); }\n' > proj/src/b.cpp
printf '#include <map>\nint c_value() { std::map<int, int> m{{1, 2}}; return m[1]; }\n' > proj/src/c.cpp
cat > proj/src/main.cpp <<'CPP'
extern "C" int a_value(void);
int b_value();
int c_value();
int main() { return a_value() + b_value() + c_value() == 6 ? 0 : 1; }
CPP
touch -d '10 seconds ago' proj/include/* proj/src/*

direct_hits() { stat_json '.stats.direct_hits // 0'; }
outputs_sum() { (cd "$1" && find . -name '*.o' -o -name '*.o.d' | sort | xargs cat | sha256sum); }

for type in RelWithDebInfo Release; do
  dir="build-$type"
  cmake -S proj -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" \
    -DCMAKE_C_COMPILER_LAUNCHER="$SCCACHE_BIN" -DCMAKE_CXX_COMPILER_LAUNCHER="$SCCACHE_BIN" > cmake.log ||
    fail "cmake configure ($type): $(cat cmake.log)"
  zero_stats
  cmake --build "$dir" > build.log || fail "first build ($type): $(cat build.log)"
  "./$dir/app" || fail "$type: the program built through the cache runs"
  first=$(outputs_sum "$dir")
  wait_for_manifests 4  # four compiles: their manifests land after the answers
  assert_eq 0 "$(not_recorded)" "$type: every compile recorded its manifest"
  cmake --build "$dir" --target clean > /dev/null
  zero_stats
  cmake --build "$dir" > build.log || fail "rebuild ($type): $(cat build.log)"
  assert_eq "4 4" "$(direct_hits) $(hits)" "$type: the clean rebuild is all direct hits"
  assert_eq "$first" "$(outputs_sum "$dir")" "$type: the rebuild's objects and .d files"
  "./$dir/app" || fail "$type: the program rebuilt from the cache runs"
done
echo "ok"
