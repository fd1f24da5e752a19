#!/usr/bin/env bash
# GNU make's jobserver: a compile the server runs for a client under `make -jN` runs at once (the
# client holds make's job slot; one more token would deadlock a full make) with make's jobserver
# reopened for the compiler (fds 3,4, MAKEFLAGS naming them); without a jobserver the server runs
# at most its slot count (the cores) at once; a jobserver whose descriptors are closed is none, and
# the server holds no descriptor of a client (`make | cat` ends while the server lives on).
source "$SCCACHE_TEST_LIB"
require_tool make timeout
unset MAKEFLAGS MFLAGS MAKELEVEL

# A compiler that, for a compile (-c, not -E), says what jobserver it got, shows it is running
# (a directory per process, and a line on $D/started), and waits for a line on $D/go.
D="$WORK/jcc"
mkdir -p "$D/running"
mkfifo "$D/started" "$D/go"
exec {started_fd}<>"$D/started" {go_fd}<>"$D/go"  # (held open: writers and readers never block on open)
cat > "$D/jcc" <<SHIM
#!/usr/bin/env bash
for a in "\$@"; do [[ \$a == -E ]] && exec gcc "\$@"; done
for a in "\$@"; do
  if [[ \$a == -c ]]; then
    if [[ \${MAKEFLAGS:-} == *--jobserver-auth=3,4* && -p /proc/self/fd/3 && -p /proc/self/fd/4 ]]; then
      echo "jobserver \$\$" >> "$D/log"
    else
      echo "none \$\$ MAKEFLAGS=\${MAKEFLAGS:-}" >> "$D/log"
    fi
    mkdir "$D/running/\$\$"
    echo "\$\$" > "$D/started"
    read -r -t 60 _ < "$D/go" || exit 99
    rmdir "$D/running/\$\$"
    break
  fi
done
exec gcc "\$@"
SHIM
chmod +x "$D/jcc"
await_started() {  # count: waits (bounded) for that many compiles to have started
  local i line
  for ((i = 0; i < $1; i++)); do
    read -r -t 30 -u "$started_fd" line || fail "only $i of $1 compiles started within 30 s ($(ls "$D/running" | wc -l) running)"
  done
}
release() { local i; for ((i = 0; i < $1; i++)); do echo go >&"$go_fd"; done; }

"$SCCACHE_BIN" --start-server > /dev/null
slots=$(stat_json .stats.compile_slots)
[[ $slots -ge 1 ]] || fail "the server reports $slots job slots"
n=$((slots + 2))
for ((i = 0; i < n; i++)); do echo "int f$i(void) { return $i; }" > "f$i.c"; done

# 1. make -j$n with the jobserver passed to the recipes ('+', as for gcc -flto=jobserver; make 4.3
#    closes its descriptors for other recipes): every compile runs at once, each with make's
#    jobserver (more than the slots: make's -j is the bound, not the server's cores).
{
  echo "all: $(for ((i = 0; i < n; i++)); do printf 'f%d.o ' "$i"; done)"
  echo "%.o: %.c"
  printf '\t+%s %s -O2 -c $< -o $@\n' "$SCCACHE_BIN" "$D/jcc"
} > Makefile
timeout 120 make -j"$n" > "$WORK/make.log" 2>&1 &
make_pid=$!
await_started "$n"
assert_eq "$n" "$(ls "$D/running" | wc -l)" "every compile of make -j$n runs at once"
release "$n"
wait "$make_pid" || fail "make failed: $(cat "$WORK/make.log")"
assert_eq "$n" "$(grep -c '^jobserver' "$D/log")" "every compiler got make's jobserver on fds 3,4: $(cat "$D/log")"
for ((i = 0; i < n; i++)); do
  gcc -O2 -c "f$i.c" -o ref.o
  assert_files_identical ref.o "f$i.o" "f$i.o"
done
[[ $(stat_json .stats.jobserver_compiles) -ge $n ]] || fail "the compiles are counted as under the jobserver"
assert_eq 0 "$(stat_json .stats.slot_waits)" "no compile under make waited for a slot"

# 2. No jobserver: at most $slots at once; the rest wait (counted) and then run.
rm -f "$D/log" f*.o
for ((i = 0; i < n; i++)); do echo "int g$i(void) { return $i; }" > "g$i.c"; done
pids=()
for ((i = 0; i < n; i++)); do
  "$SCCACHE_BIN" "$D/jcc" -O2 -c "g$i.c" -o "g$i.o" &
  pids+=($!)
done
await_started "$slots"
for ((t = 0; t < 200 && $(stat_json .stats.slot_waits) < 2; t++)); do sleep 0.05; done
assert_eq 2 "$(stat_json .stats.slot_waits)" "two compiles wait for a slot"
assert_eq "$slots" "$(ls "$D/running" | wc -l)" "no more than the slots run at once"
release "$n"
await_started 2
for pid in "${pids[@]}"; do wait "$pid" || fail "a compile failed"; done
for ((i = 0; i < n; i++)); do
  gcc -O2 -c "g$i.c" -o ref.o
  assert_files_identical ref.o "g$i.o" "g$i.o"
done
[[ $(grep -c '^none' "$D/log") -eq $n ]] || fail "a compile without a jobserver got one: $(cat "$D/log")"

# 3. MAKEFLAGS naming descriptors the client does not have (make 4.3's ordinary recipes): no
#    jobserver, no hang, and the compiler sees MAKEFLAGS without the option.
rm -f "$D/log"
echo 'int h(void) { return 8; }' > h.c
release 1
MAKEFLAGS="-k --jobserver-auth=8,9" timeout 60 "$SCCACHE_BIN" "$D/jcc" -O2 -c h.c -o h.o
await_started 1
gcc -O2 -c h.c -o ref.o
assert_files_identical ref.o h.o
assert_contains "$(cat "$D/log")" "none" "closed descriptors are no jobserver"
[[ $(cat "$D/log") != *jobserver-auth* ]] || fail "the dead jobserver option reached the compiler: $(cat "$D/log")"

# 4. A server started by a compile under `make | cat` holds none of make's descriptors: the pipe
#    closes when make ends, though the server lives on.
stop_server
rm -f ./*.o
printf 'all: a.o\na.o: f0.c\n\t%s gcc -O2 -c f0.c -o a.o\n' "$SCCACHE_BIN" > Makefile.pipe
timeout 60 bash -c "make -j2 -f Makefile.pipe 2>&1 | cat > '$WORK/pipe.log'" ||
  fail "make | cat did not end: the server holds the pipe? $(cat "$WORK/pipe.log")"
[[ -n $(server_pids) ]] || fail "the server started under make is not running"
gcc -O2 -c f0.c -o ref.o
assert_files_identical ref.o a.o
echo "PASS"
