#!/usr/bin/env bash
# RUSTC_WRAPPER=sccache cargo build of a real workspace (tests/rust/workspace: regex, serde derive,
# serde_json, a build script): after `cargo clean` every crate not built incrementally — libraries,
# build scripts, the serde_derive proc-macro — is a hit, each byte for byte what rustc built; another target directory still hits, and its dep-info files
# name only it; a changed source, --cfg (feature), env! variable or dependency misses.
source "$SCCACHE_TEST_LIB"
PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
require_tool cargo rustc
[[ -d /usr/share/cargo/registry/regex-1.7.1 ]] ||
  { echo "SKIP: Debian's crate sources are not installed (scripts/install-rust-deps.sh)" >&2; exit 77; }

cp -r "$(dirname "$SCCACHE_TEST_LIB")/../rust/workspace" ws
cd ws
export RUSTC_WRAPPER=$SCCACHE_BIN CARGO_TERM_COLOR=never
rust_hits() { stat_json '.stats.cache_hits.counts.Rust // 0'; }
rust_misses() { stat_json '.stats.cache_misses.counts.Rust // 0'; }
reason() { stat_json ".stats.not_cached[\"$1\"] // 0"; }
# Each miss's entry and manifest are stored after its answer: wait until all are, before the next
# step looks for hits.
settled() { wait_for_manifests "$(rust_misses)"; }
build() { cargo build "$@" > build.log 2>&1 || fail "cargo build $*: $(tail -n 30 build.log)"; settled; }
expected='{"greeting":"hello","built":true,"flavour":null,"words":["sccache","caches","rustc"]}'

# --- Dev profile, as a user gets it: 12 registry crates, their 8 build scripts and serde_derive (a
# proc-macro) cached; the workspace's members (mylib, its build script, app: incremental in dev)
# pass through under that reason.
build
misses=$(rust_misses)
((misses >= 21)) || fail "first build: only $misses Rust misses"
assert_eq 0 "$(rust_hits)" "first build: Rust hits"
assert_eq 3 "$(reason incremental)" "mylib, its build script and app refused for -C incremental, and only they"
assert_eq 0 "$(reason crate-type)" "no crate refused for its type"
assert_eq 0 "$(reason linker)" "no crate refused for its linker"
assert_eq "$expected" "$(./target/debug/app)" "the app built through the cache"
cp target/debug/app app.first
# (mylib is left out: compiled again, incrementally, not from the cache, it need not be the same.)
mkdir rlibs.first && cp target/debug/deps/*.rlib target/debug/deps/*.rmeta target/debug/deps/*.so rlibs.first/
rm rlibs.first/libmylib-*
mkdir scripts.first
for f in target/debug/build/*/build_script_build-*; do
  [[ $f == *.d || $f == */mylib-* ]] || cp "$f" scripts.first/
done
(($(ls scripts.first | wc -l) == 8)) || fail "8 registry build scripts: $(ls scripts.first)"

cargo clean 2>/dev/null
zero_stats
build
assert_eq "$misses" "$(rust_hits)" "after cargo clean: every cached crate a hit"
assert_eq 0 "$(rust_misses)" "after cargo clean: Rust misses"
assert_files_identical app.first target/debug/app "the binary linked from cache hits"
for f in rlibs.first/*; do
  assert_files_identical "$f" "target/debug/deps/$(basename "$f")" "$(basename "$f") from the cache"
done
for f in scripts.first/*; do
  built=$(echo target/debug/build/*/"$(basename "$f")")
  assert_files_identical "$f" "$built" "build script $(basename "$f") from the cache"
  [[ -x $built ]] || fail "build script $built from the cache is not executable"
done
assert_eq "$expected" "$(./target/debug/app)" "the app linked from cache hits runs"
grep -q '"\$message_type":"artifact"' build.log && fail "cargo printed rustc's JSON instead of reading it"

# --- Another target directory: the out-dir is not in the key; each dep-info file names its own.
zero_stats
build --target-dir "$WORK/other-target"
assert_eq "$misses" "$(rust_hits)" "another target dir: hits"
grep -l "$PWD/target" "$WORK"/other-target/debug/deps/*.d && fail "a dep-info file names the first target dir"
grep -q "$WORK/other-target/debug/deps/libregex-" "$WORK"/other-target/debug/deps/regex-*.d ||
  fail "regex's dep-info names its own target dir: $(head -c 300 "$WORK"/other-target/debug/deps/regex-*.d)"
assert_eq "$expected" "$("$WORK"/other-target/debug/app)" "the app of the other target dir"

# --- Another checkout at another path: with --remap-path-prefix taking the checkout's path out of
# what rustc writes, every crate hits — mylib too — and nothing built names the first checkout.
cp -r "$PWD" "$WORK/ws2"
zero_stats
(cd "$WORK/ws2" && rm -rf target && CARGO_INCREMENTAL=0 RUSTFLAGS="--remap-path-prefix=$PWD=/src" \
  cargo build > build.log 2>&1) || fail "the first checkout with a remap: $(tail -n 20 "$WORK/ws2/build.log")"
settled
assert_eq "$((misses + 2))" "$(rust_misses)" "a first checkout with a remap: every crate (mylib and its build script too) a miss"
cp -r "$WORK/ws2" "$WORK/ws3"
rm -rf "$WORK/ws3/target"
zero_stats
(cd "$WORK/ws3" && CARGO_INCREMENTAL=0 RUSTFLAGS="--remap-path-prefix=$WORK/ws3=/src" \
  cargo build > build.log 2>&1) || fail "the third checkout with a remap: $(tail -n 20 "$WORK/ws3/build.log")"
assert_eq "$((misses + 2))" "$(rust_hits)" "another checkout with a remap: every crate a hit"
assert_eq 0 "$(rust_misses)" "another checkout with a remap: no miss"
grep -rl "$WORK/ws2" "$WORK/ws3/target" && fail "an artifact of the third checkout names the second"
assert_eq "$expected" "$("$WORK/ws3/target/debug/app")" "the app of the third checkout"

# --- Release, without incremental: mylib is cached too; what reaches it is in its key.
export CARGO_INCREMENTAL=0
build --release
zero_stats
touch mylib/src/lib.rs  # (cargo rebuilds what depends on it; the content is the same: hits)
build --release
(($(rust_hits) >= 1)) || fail "mylib unchanged: a hit"
assert_eq 0 "$(rust_misses)" "mylib unchanged: no miss"

# option_env! reads SCCACHE_TEST_FLAVOUR: a changed value is a miss, and the app shows it.
zero_stats
SCCACHE_TEST_FLAVOUR=spicy build --release
assert_eq 1 "$(rust_misses)" "a changed env! variable: mylib misses"
assert_contains "$(SCCACHE_TEST_FLAVOUR=x ./target/release/app)" '"flavour":"spicy"' "the app of the changed variable"

# A changed source: a miss with rustc's own output.
zero_stats
sed -i 's/\[a-z\]+/[a-z]{2,}/' mylib/src/lib.rs
build --release
assert_eq 1 "$(rust_misses)" "a changed source: mylib misses"
assert_contains "$(./target/release/app)" '"words":["sccache","caches","rustc"]' "the app of the changed source"

# A changed --cfg (a feature of a registry crate): that crate misses. serde_json with its
# "float_roundtrip" feature, in a build of its own.
zero_stats
sed -i 's/^serde_json = .*/serde_json = { version = "1", features = ["float_roundtrip"] }/' app/Cargo.toml
build --release
(($(rust_misses) >= 1)) || fail "a changed feature: serde_json misses"

# --- cargo check (metadata only), then a build: rmeta entries of their own, both right.
cargo clean 2>/dev/null
zero_stats
cargo check > check.log 2>&1 || fail "cargo check: $(tail -n 20 check.log)"
settled
cargo clean 2>/dev/null
cargo check > check.log 2>&1 || fail "cargo check again: $(tail -n 20 check.log)"
(($(rust_hits) >= 12)) || fail "cargo check after clean: $(rust_hits) hits"
build
assert_eq "$expected" "$(./target/debug/app)" "the app built after cargo check"

# --- cargo clippy (RUSTC_WORKSPACE_WRAPPER=clippy-driver: `sccache clippy-driver rustc ...`): the
# workspace crates pass through under "clippy", never as "multiple input files"; the build is green.
if command -v cargo-clippy > /dev/null && command -v clippy-driver > /dev/null; then
  zero_stats
  cargo clippy > clippy.log 2>&1 || fail "cargo clippy: $(tail -n 20 clippy.log)"
  (($(reason clippy) >= 2)) || fail "clippy-driver's calls counted under clippy: $(reason clippy)"
  assert_eq 0 "$(reason "multiple input files")" "clippy-driver's rustc argument is no second input"
else
  echo "note: clippy is not installed; cargo clippy not tried" >&2
fi

# --- `sccache rustc ...` by hand (rustc found on PATH, a rustup proxy here): a miss, then a hit
# with the same rlib; probes and non-compiles pass through.
mkdir -p "$WORK/by-hand" && cd "$WORK/by-hand"
printf 'pub fn answer() -> u32 { 42 }\n' > lib.rs
by_hand() { "$SCCACHE_BIN" rustc --crate-name byhand --crate-type lib --emit=link,metadata --out-dir out lib.rs && settled; }
zero_stats
by_hand || fail "sccache rustc, first"
cp out/libbyhand.rlib first.rlib
rm -rf out
by_hand || fail "sccache rustc, again"
assert_eq 1 "$(rust_hits)" "sccache rustc by hand: the second a hit"
assert_files_identical first.rlib out/libbyhand.rlib "the rlib of the hit"
# What rustc itself writes (a dep-info emit added to the compile would change the rlib: the key's
# dep-info comes from a run of its own when the command line asks for none).
rustc --crate-name byhand --crate-type lib --emit=link,metadata --out-dir plain lib.rs
assert_files_identical plain/libbyhand.rlib first.rlib "the rlib of the miss, as rustc writes it"
assert_files_identical plain/libbyhand.rmeta out/libbyhand.rmeta "the rmeta of the hit, as rustc writes it"
assert_contains "$("$SCCACHE_BIN" rustc --version)" "rustc " "sccache rustc --version"

# A crate over it (--extern): a hit while the dependency is the same, rebuilt or not; a miss when
# the dependency changed.
printf 'pub fn twice() -> u32 { byhand::answer() * 2 }\n' > user.rs
user() {
  "$SCCACHE_BIN" rustc --crate-name user --crate-type lib --emit=link --out-dir out \
    --extern byhand=out/libbyhand.rlib user.rs 2> user.err || fail "the dependent crate: $(cat user.err)"
  settled
}
zero_stats
user && user
assert_eq "1 1" "$(rust_misses) $(rust_hits)" "the dependent crate: a miss, then a hit"
by_hand && user
assert_eq "1 3" "$(rust_misses) $(rust_hits)" "the dependency rebuilt the same: both hit"
printf 'pub fn answer() -> u32 { 43 }\n' > lib.rs
by_hand && user
assert_eq "3 3" "$(rust_misses) $(rust_hits)" "a changed dependency: it and the crate over it miss"

# --- cargo's jobserver (CARGO_MAKEFLAGS: descriptors of the client) reaches rustc as its 3 and 4,
# the same pipe, so that rustc's threads share cargo's tokens; one the client does not hold is
# dropped, without rustc's warning. A rustc that reports what its compile (not the dep-info run)
# was given, then runs the real one.
real_rustc="$(rustc --print sysroot)/bin/rustc"
mkdir -p "$WORK/reporting" && cat > "$WORK/reporting/rustc" <<SH
#!/bin/sh
case "\$*" in *--emit=link*) { echo "\$CARGO_MAKEFLAGS"; readlink /proc/\$\$/fd/3 /proc/\$\$/fd/4; } > "$WORK/js.report" ;; esac
exec "$real_rustc" "\$@"
SH
chmod +x "$WORK/reporting/rustc"
mkfifo "$WORK/js.fifo"
exec 8<> "$WORK/js.fifo"
printf '++' >&8
js_compile() {
  rm -rf out "$WORK/js.report"
  CARGO_MAKEFLAGS="$1" "$SCCACHE_BIN" "$WORK/reporting/rustc" --crate-name jsc --crate-type lib \
    --emit=link --out-dir out lib.rs 2> js.err || fail "rustc with CARGO_MAKEFLAGS=$1: $(cat js.err)"
  [[ $(cat js.err) != *jobserver* ]] || fail "rustc warned about the jobserver: $(cat js.err)"
  settled
}
SCCACHE_RECACHE=1 js_compile "-j --jobserver-fds=8,8 --jobserver-auth=8,8"
assert_eq "-j --jobserver-fds=3,4 --jobserver-auth=3,4
$WORK/js.fifo
$WORK/js.fifo" "$(cat "$WORK/js.report")" "rustc's jobserver: the client's, as its descriptors 3 and 4"
read -r -t 5 -N 2 -u 8 tokens || fail "the jobserver's tokens did not come back"
assert_eq "++" "$tokens" "the jobserver's tokens, all back"
SCCACHE_RECACHE=1 js_compile "-j --jobserver-fds=50,51 --jobserver-auth=50,51"
assert_eq "" "$(head -n 1 "$WORK/js.report")" "a jobserver the client does not hold: dropped"
exec 8>&-

# A module found as m.rs: once m/mod.rs exists too, rustc refuses the crate (E0761) — no hit.
mkdir -p twin && printf 'pub mod m;\n' > twin/lib.rs && printf 'pub fn f() {}\n' > twin/m.rs
twin() { "$SCCACHE_BIN" rustc --crate-name twin --crate-type lib --emit=link --out-dir out twin/lib.rs 2> twin.err && settled; }
zero_stats
twin || fail "the twin crate, first: $(cat twin.err)"
twin || fail "the twin crate, again: $(cat twin.err)"
assert_eq 1 "$(rust_hits)" "the twin crate: a hit"
mkdir twin/m && printf 'pub fn g() {}\n' > twin/m/mod.rs
twin && fail "m.rs and m/mod.rs: rustc refuses the crate, and so must a cache"
assert_contains "$(cat twin.err)" "E0761" "rustc's own error for the module twin"

# --- A build script linked against a shared library (the linker's inputs are in the key): a hit
# while the library is the same, a miss that links the new one when it changes. (Only build
# scripts among programs are cached: a package's own programs pass through, as Mozilla's sccache
# passes them.)
mkdir -p native
printf 'int answer(void) { return 42; }\n' > native/answer.c
gcc -shared -fPIC -o native/libanswer.so native/answer.c
cat > prog.rs <<'RS'
extern "C" { fn answer() -> i32; }
fn main() { println!("{}", unsafe { answer() }); }
RS
prog() {
  "$SCCACHE_BIN" rustc --crate-name build_script_prog --crate-type bin --emit=link --out-dir bin -L native=native \
    -l dylib=answer prog.rs 2> prog.err || fail "sccache rustc prog: $(cat prog.err)"
  settled
}
zero_stats
prog && cp bin/build_script_prog prog.first
rm bin/build_script_prog
prog
assert_eq 1 "$(rust_hits)" "the program linked again: a hit"
assert_files_identical prog.first bin/build_script_prog "the program from the cache"
assert_eq 42 "$(LD_LIBRARY_PATH=native bin/build_script_prog)" "the program from the cache runs"
printf 'int answer(void) { return 43; }\nint other(void) { return 1; }\n' > native/answer.c
gcc -shared -fPIC -o native/libanswer.so native/answer.c
zero_stats
prog
assert_eq 0 "$(rust_hits)" "a changed shared library: no hit"
assert_eq 1 "$(rust_misses)" "a changed shared library: a miss"
assert_eq 43 "$(LD_LIBRARY_PATH=native bin/build_script_prog)" "the program linked with the new library"
# Another library directory first on the search path: the library found there is another input.
mkdir -p native2
printf 'int answer(void) { return 44; }\n' > native/answer.c
gcc -shared -fPIC -o native2/libanswer.so native/answer.c
zero_stats
"$SCCACHE_BIN" rustc --crate-name build_script_prog --crate-type bin --emit=link --out-dir bin \
  -L native=native2 -L native=native -l dylib=answer prog.rs 2> prog.err || fail "prog over native2: $(cat prog.err)"
assert_eq 0 "$(rust_hits)" "a library directory ahead of the old one: no hit"
assert_eq 44 "$(LD_LIBRARY_PATH=native2 bin/build_script_prog)" "the program linked with native2's library"
echo "ok"
