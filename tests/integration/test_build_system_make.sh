#!/usr/bin/env bash
# A real project through the cache as users build it: Lua from Debian's source archive with its
# own Makefile and CC="sccache gcc" (about 20 s). The short member of the build-systems suite;
# tests/build_systems/run.sh runs all of them (make, configure, CMake, Meson).
exec bash "$(dirname "${BASH_SOURCE[0]}")/../build_systems/test_lua_make.sh"
