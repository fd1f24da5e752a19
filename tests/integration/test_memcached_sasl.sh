#!/usr/bin/env bash
# memcached with SASL (memcached -S, a user in a sasldb made by saslpasswd2): with the right
# username and password (env, or [cache.memcached] in the config file) a server stores and another
# hits; a wrong password or none is refused by memcached, and the compile is still right, counted as
# a read error on the level, the refusal in the log; the password is never shown.
source "$SCCACHE_TEST_LIB"
require_tool memcached saslpasswd2

# memcached runs as nobody when we are root, and reads the sasldb itself: its own readable dir.
sasl=$(mktemp -d "${TMPDIR:-/tmp}/sccache-sasl.XXXXXX")
at_exit "rm -rf '$sasl'"
chmod 755 "$sasl"
printf 'mech_list: plain\nsasldb_path: %s/sasldb2\n' "$sasl" > "$sasl/memcached.conf"
printf '%s' 'correct horse' | saslpasswd2 -p -a memcached -c -f "$sasl/sasldb2" alice
chmod 644 "$sasl/sasldb2"

port=$(free_port)
user_flag=(); [[ $(id -u) -eq 0 ]] && user_flag=(-u nobody)  # memcached refuses to run as root
SASL_CONF_PATH=$sasl memcached "${user_flag[@]}" -S -vv -l 127.0.0.1 -p "$port" -U 0 -m 16 > "$WORK/memcached.log" 2>&1 &
mc_pid=$!
at_exit "kill $mc_pid 2>/dev/null; wait $mc_pid 2>/dev/null"
for ((n = 0; n < 200; n++)); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done
(exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null || fail "memcached did not start"
grep -q "Initialized SASL" "$WORK/memcached.log" || fail "memcached was not started with SASL: $(cat "$WORK/memcached.log")"

echo 'int s(void) { return 5; }' > s.c
gcc -c s.c -o ref.o
export SCCACHE_MEMCACHED="tcp://127.0.0.1:$port" SCCACHE_MEMCACHED_USERNAME=alice
export SCCACHE_MEMCACHED_PASSWORD='correct horse'

# Server A stores through an authenticated connection.
"$SCCACHE_BIN" gcc -c s.c -o a.o
assert_files_identical ref.o a.o
wait_for_writes 1
assert_eq 0 "$(stat_json '.cache_levels[1].write_errors')" "the authenticated write is not an error"
[[ $(stat_json '.cache_levels[1].writes') -ge 1 ]] || fail "the entry went to memcached"
shown=$("$SCCACHE_BIN" --show-config)
assert_contains "$shown" 'username = "alice"' "show-config names the SASL user"
[[ $shown != *"correct horse"* ]] || fail "show-config must not show the password"
[[ $("$SCCACHE_BIN" --show-stats) != *"correct horse"* ]] || fail "the stats must not show the password"
stop_server
grep -q "authenticated() in cmd 0x21 is true" "$WORK/memcached.log" ||
  fail "memcached logged no SASL authentication: $(tail -5 "$WORK/memcached.log")"

# Server B, an empty local cache, the credentials from the config file: a hit from memcached.
unset SCCACHE_MEMCACHED SCCACHE_MEMCACHED_USERNAME SCCACHE_MEMCACHED_PASSWORD
mkdir -p "$XDG_CONFIG_HOME/sccache"
cat > "$XDG_CONFIG_HOME/sccache/config" << EOF
[cache.memcached]
url = "tcp://127.0.0.1:$port"
username = "alice"
password = "correct horse"
EOF
export SCCACHE_DIR="$WORK/cache-b"
"$SCCACHE_BIN" gcc -c s.c -o b.o
assert_files_identical ref.o b.o
assert_eq 1 "$(hits)" "server B hits from memcached with the file's credentials"
[[ $(stat_json '.cache_levels[1].hits') -ge 1 ]] || fail "the hit is counted on level 2 (memcached)"
stop_server
rm "$XDG_CONFIG_HOME/sccache/config"

# A wrong password, then none: memcached refuses; the compile is right and the refusal counted.
export SCCACHE_MEMCACHED="tcp://127.0.0.1:$port"
for case in wrong none; do
  export SCCACHE_DIR="$WORK/cache-$case"
  if [[ $case == wrong ]]; then
    export SCCACHE_MEMCACHED_USERNAME=alice SCCACHE_MEMCACHED_PASSWORD='battery staple'
    hint="check SCCACHE_MEMCACHED_USERNAME and SCCACHE_MEMCACHED_PASSWORD"
  else
    unset SCCACHE_MEMCACHED_USERNAME SCCACHE_MEMCACHED_PASSWORD
    hint="this memcached asks for SASL credentials"
  fi
  : > "$SCCACHE_ERROR_LOG"
  "$SCCACHE_BIN" gcc -c s.c -o "$case.o"
  assert_files_identical ref.o "$case.o" "memcached refusing ($case password)"
  assert_eq 0 "$(hits)" "no hit through a refused connection ($case password)"
  # (A refused read can look like a miss to libmemcached; the write after the answer is refused.)
  errors() { stat_json '.cache_levels[1].read_errors + .cache_levels[1].write_errors'; }
  for ((n = 0; n < 100 && $(errors) < 1; n++)); do sleep 0.05; done
  [[ $(errors) -ge 1 ]] || fail "the refusal is counted as an error on the level ($case password)"
  grep -q "memcached .*AUTHENTICATION FAILURE.*$hint" "$SCCACHE_ERROR_LOG" ||
    fail "the log names memcached's refusal ($case password): $(grep -i memcached "$SCCACHE_ERROR_LOG" | tail -3)"
  ! grep -q "battery staple\|correct horse" "$SCCACHE_ERROR_LOG" || fail "the log shows a password"
  stop_server
done
echo "ok"
