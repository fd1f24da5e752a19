#!/usr/bin/env bash
# WebDAV behind the local disk, against nginx's dav module: one server fills it, another with an
# empty local cache hits from it; basic auth; read-only writes nothing; nginx down never fails a build.
source "$SCCACHE_TEST_LIB"
require_tool nginx

port=$(free_port)
mkdir -p "$WORK/dav" "$WORK/nginx"
user_line=""
[[ $(id -u) -eq 0 ]] && user_line="user root;"  # workers must write the test's own directory
# user:secret, hashed with openssl's apr1 (nginx's auth_basic_user_file format)
echo "user:$(openssl passwd -apr1 secret)" > "$WORK/nginx/htpasswd"
cat > "$WORK/nginx/nginx.conf" <<CONF
$user_line
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  client_max_body_size 64m;
  server {
    listen 127.0.0.1:$port;
    root $WORK/dav;
    location / {
      dav_methods PUT DELETE;
      create_full_put_path on;
      auth_basic "cache";
      auth_basic_user_file $WORK/nginx/htpasswd;
    }
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
nginx_pid=$!
stop_nginx() { pkill -CONT -P "$nginx_pid" 2>/dev/null || true; kill -CONT "$nginx_pid" 2>/dev/null || true; kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; }
at_exit stop_nginx
for ((n = 0; n < 200; n++)); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done
(exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null || fail "nginx did not start: $(cat "$WORK/nginx/error.log")"

echo 'int w(void) { return 5; }' > w.c
gcc -c w.c -o ref.o
export SCCACHE_WEBDAV_ENDPOINT="http://127.0.0.1:$port/" SCCACHE_WEBDAV_KEY_PREFIX=cache/ \
  SCCACHE_WEBDAV_USERNAME=user SCCACHE_WEBDAV_PASSWORD=secret

"$SCCACHE_BIN" gcc -c w.c -o a.o
assert_files_identical ref.o a.o
stop_server  # (its WebDAV writes finish while it drains)
stored=$(find "$WORK/dav/cache" -type f | wc -l)
[[ $stored -ge 1 ]] || fail "nothing was PUT to the WebDAV server"

export SCCACHE_DIR="$WORK/cache-b"
"$SCCACHE_BIN" gcc -c w.c -o b.o
assert_files_identical ref.o b.o
assert_eq 1 "$(hits)" "server B hits from WebDAV"
assert_contains "$("$SCCACHE_BIN" --show-stats)" "WebDAV: http://127.0.0.1:$port" "stats name the WebDAV level"
stop_server

# Wrong password: a counted read error, and the compile still succeeds.
export SCCACHE_DIR="$WORK/cache-c" SCCACHE_WEBDAV_PASSWORD=wrong
"$SCCACHE_BIN" gcc -c w.c -o c.o
assert_files_identical ref.o c.o
[[ $(stat_json .stats.cache_read_errors) -ge 1 ]] || fail "a refused login is a counted read error"
stop_server
export SCCACHE_WEBDAV_PASSWORD=secret

# Read-only: nothing new is stored.
export SCCACHE_DIR="$WORK/cache-d" SCCACHE_WEBDAV_RW_MODE=READ_ONLY
echo 'int other(void) { return 6; }' > o.c
"$SCCACHE_BIN" gcc -c o.c -o o.o
stop_server
assert_eq "$stored" "$(find "$WORK/dav/cache" -type f | wc -l)" "read-only mode writes nothing"
unset SCCACHE_WEBDAV_RW_MODE

# nginx frozen (master and workers stopped): timeouts, then the level is skipped; builds stay right.
frozen_remote_check WebDAV w.c ref.o "$nginx_pid" $(pgrep -P "$nginx_pid")

# nginx down: compiles go on and are right.
stop_nginx
export SCCACHE_DIR="$WORK/cache-e"
"$SCCACHE_BIN" gcc -c w.c -o e.o
assert_files_identical ref.o e.o
echo "ok"
