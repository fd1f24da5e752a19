#!/usr/bin/env bash
# Install and package: `cmake --install` puts bin/sccache, its man page and docs under a prefix, and
# the installed binary caches; `cpack -G DEB` makes a .deb with /usr/bin/sccache and its
# dependencies declared, which dpkg installs (into a private root whose package database is a copy
# of this machine's, so the system's own sccache stays) and whose binary runs and caches.
source "$SCCACHE_TEST_LIB"
require_tool cmake cpack dpkg dpkg-deb man
build=$(dirname "$SCCACHE_BIN")
[[ -f $build/CMakeCache.txt ]] || { echo "SKIP: $SCCACHE_BIN is not in a CMake build directory" >&2; exit 77; }

cat > i.c <<'C'
int i(void) { return 11; }
C
gcc -O2 -c i.c -o ref.o

# A compile through an installed binary: the server it starts is that binary too.
compile_with() {  # binary output
  at_exit "\"$1\" --stop-server > /dev/null 2>&1 || true"  # (if the suite fails before the stop below)
  "$1" gcc -O2 -c i.c -o "$2"
  assert_files_identical ref.o "$2" "the object compiled through $1"
  "$1" --stop-server > /dev/null
}

# 1. cmake --install.
cmake --install "$build" --prefix "$WORK/prefix" > "$WORK/install.log"
for f in bin/sccache share/man/man1/sccache.1 share/doc/sccache-cpp/README.md; do
  [[ -s $WORK/prefix/$f ]] || fail "cmake --install did not install $f"
done
assert_contains "$("$WORK/prefix/bin/sccache" --version)" "sccache 0." "the installed binary runs"
page=$(MANWIDTH=80 man --warnings -l "$WORK/prefix/share/man/man1/sccache.1" 2> "$WORK/man.err")
[[ ! -s $WORK/man.err ]] || fail "the man page has roff warnings: $(cat "$WORK/man.err")"
assert_contains "$page" "--show-config" "the man page documents the commands"
assert_contains "$page" "SCCACHE_CONF" "the man page documents the config file"
export SCCACHE_DIR="$WORK/cache-installed"
compile_with "$WORK/prefix/bin/sccache" a.o

# 2. cpack -G DEB, out of the build tree.
(cd "$WORK" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$WORK/pkg" > "$WORK/cpack.log" 2>&1) ||
  fail "cpack failed: $(tail -5 "$WORK/cpack.log")"
deb=$(ls "$WORK"/pkg/sccache-cpp_*.deb)
contents=$(dpkg-deb -c "$deb")
assert_contains "$contents" "./usr/bin/sccache" "the package holds /usr/bin/sccache"
assert_contains "$contents" "./usr/share/man/man1/sccache.1" "and the man page"
depends=$(dpkg-deb -f "$deb" Depends)
assert_contains "$depends" "libc6" "libc is a dependency"
assert_contains "$depends" "libssl3" "libcrypto (loaded by the server) is a dependency"
assert_contains "$(dpkg-deb -f "$deb" Conflicts)" "sccache" "it replaces Debian's sccache, whose path it takes"

# 3. dpkg -i into a private root, with this machine's package database: dependencies are checked
#    against what is installed here, the conflicting sccache is removed there, not here.
root="$WORK/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
cp /var/lib/dpkg/status "$root/var/lib/dpkg/status"
touch "$root/var/lib/dpkg/available"
dpkg --root="$root" --force-not-root --log=/dev/null -i "$deb" > "$WORK/dpkg.log" 2>&1 ||
  fail "dpkg -i failed: $(grep -v 'files list file' "$WORK/dpkg.log" | tail -5)"
[[ $(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' sccache-cpp) == "install ok installed" ]] ||
  fail "dpkg does not list sccache-cpp as installed"
assert_contains "$("$root/usr/bin/sccache" --version)" "sccache 0." "the packaged binary runs"
export SCCACHE_DIR="$WORK/cache-packaged"
compile_with "$root/usr/bin/sccache" b.o
echo "PASS"
