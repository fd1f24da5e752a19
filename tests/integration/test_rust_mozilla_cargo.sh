#!/usr/bin/env bash
# What Mozilla sccache's own Rust tests (tests/sccache_cargo.rs) ask, on the same shape of crate:
# a lib with an env! variable and a dependency (itoa), a bin; CARGO_INCREMENTAL=0, a target dir of
# its own. `cargo build` and `cargo check` twice around `cargo clean` give exactly the Rust hits
# their JSON check expects, with cargo's colour as asked; a changed env! variable misses its crate
# only, and the program prints the new value.
source "$SCCACHE_TEST_LIB"
PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
require_tool cargo rustc
[[ -d /usr/share/cargo/registry/itoa-1.0.1 ]] ||
  { echo "SKIP: Debian's crate sources are not installed (scripts/install-rust-deps.sh)" >&2; exit 77; }

mkdir -p crate/src crate/.cargo
cp "$(dirname "$SCCACHE_TEST_LIB")/../rust/workspace/.cargo/config.toml" crate/.cargo/
cat > crate/Cargo.toml <<'EOF'
[package]
name = "test-crate"
version = "0.1.0"
edition = "2021"

[lib]
name = "mylib"
path = "src/lib.rs"

[[bin]]
name = "mybin"
path = "src/bin.rs"

[dependencies]
itoa = "1"
EOF
cat > crate/src/lib.rs <<'EOF'
pub fn env_dep_test() {
    let mut buffer = itoa::Buffer::new();
    println!("Env var: {} ({})", env!("TEST_ENV_VAR"), buffer.format(42));
}
EOF
printf 'fn main() {\n    mylib::env_dep_test();\n}\n' > crate/src/bin.rs
cd crate
export RUSTC_WRAPPER=$SCCACHE_BIN CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=$WORK/cargo TEST_ENV_VAR=1
cargo generate-lockfile --offline > /dev/null 2>&1 || fail "cargo generate-lockfile"
json_stats() { "$SCCACHE_BIN" --show-stats --stats-format=json; }
escape=$'\x1b['

# cargo <cmd> --color=never, clean, cargo <cmd> --color=always: two misses, then two hits.
twice() {
  local cmd=$1
  stop_server  # (waits until it has exited: a draining one still holds the socket)
  export SCCACHE_DIR="$WORK/cache-$cmd"
  "$SCCACHE_BIN" --start-server > /dev/null 2>&1 || fail "--start-server"
  cargo clean 2> /dev/null
  cargo "$cmd" --color=never 2> never.err || fail "cargo $cmd: $(cat never.err)"
  [[ $(cat never.err) != *"$escape"* ]] || fail "cargo $cmd --color=never printed colour"
  cargo clean 2> /dev/null
  cargo "$cmd" --color=always 2> always.err || fail "cargo $cmd --color=always: $(cat always.err)"
  [[ $(cat always.err) == *"$escape"* ]] || fail "cargo $cmd --color=always printed no colour"
  assert_contains "$(json_stats)" '"cache_hits":{"counts":{"Rust":2}}' "cargo $cmd: two Rust hits"
  assert_contains "$(json_stats)" '"cache_misses":{"counts":{"Rust":2}}' "cargo $cmd: two Rust misses"
}
twice build
twice check

# env-dep: the crate reading TEST_ENV_VAR misses when it changes; itoa still hits.
stop_server
export SCCACHE_DIR="$WORK/cache-run"
"$SCCACHE_BIN" --start-server > /dev/null 2>&1 || fail "--start-server"
cargo clean 2> /dev/null
assert_contains "$(cargo run --color=never 2> run1.err)" "Env var: 1 (42)" "cargo run"
cargo clean 2> /dev/null
assert_contains "$(TEST_ENV_VAR=OTHER_VALUE cargo run --color=always 2> run2.err)" \
  "Env var: OTHER_VALUE (42)" "cargo run with the changed variable"
assert_contains "$(json_stats)" '"cache_hits":{"counts":{"Rust":1}}' "only itoa hits"
assert_contains "$(json_stats)" '"cache_misses":{"counts":{"Rust":3}}' "mylib misses again"
echo "ok"
