#!/usr/bin/env bash
# A throw-away Virtuoso Open Source server on loopback, for tests/test_remote.py.
#
#   bash .ci/virtuoso.sh start HTTP_PORT SQL_PORT DIR   # install if missing, start, wait, grant
#   bash .ci/virtuoso.sh stop [DIR]                     # shut it down (DIR defaults to the last start)
#
# A port given as `auto` is a free one chosen at start.
# `start` installs the Debian package virtuoso-opensource when virtuoso-t is missing (needs root,
# as on CI), writes DIR/virtuoso.ini from the packaged one with the database, temp database and
# logs inside DIR and both ports bound to 127.0.0.1 only, starts `virtuoso-t -f` in the
# background, waits until http://127.0.0.1:HTTP_PORT/sparql answers (at most 90 s), and grants
# SPARQL_UPDATE to the anonymous SPARQL user so kg can write through /sparql (this server is
# for tests only: never do that on a server others can reach). It prints the endpoint URL.
# The SQL port and DIR are remembered in DIR/ports and /tmp/kg-virtuoso.last for `stop`.
set -euo pipefail

INI_SRC=/etc/virtuoso-opensource-7/virtuoso.ini
LAST=/tmp/kg-virtuoso.last

die() { echo "virtuoso.sh: $*" >&2; exit 1; }

install_if_missing() {
  if command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null && [ -f "$INI_SRC" ]; then
    return
  fi
  [ "$(id -u)" = 0 ] || die "virtuoso-opensource is not installed and this is not root: apt-get install -y virtuoso-opensource"
  echo "virtuoso.sh: installing virtuoso-opensource (Debian package)" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq virtuoso-opensource >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq virtuoso-opensource >/dev/null
  fi
  # the package may start its own service on 8890/1111: the tests never use it
}

write_ini() {  # write_ini DIR HTTP_PORT SQL_PORT
  local dir=$1 http=$2 sql=$3
  awk -v dir="$dir" -v http="$http" -v sql="$sql" '
    /^\[/ { section = $0 }
    function set(key, value) { if ($1 == key) { print key " = " value; return 1 } return 0 }
    section == "[Database]" && (set("DatabaseFile", dir "/kg-test.db") || set("ErrorLogFile", dir "/kg-test.log") ||
      set("LockFile", dir "/kg-test.lck") || set("TransactionFile", dir "/kg-test.trx") ||
      set("xa_persistent_file", dir "/kg-test.pxa")) { next }
    section == "[TempDatabase]" && (set("DatabaseFile", dir "/kg-test-temp.db") ||
      set("TransactionFile", dir "/kg-test-temp.trx")) { next }
    section == "[Parameters]" && (set("ServerPort", "127.0.0.1:" sql) ||
      set("NumberOfBuffers", "170000") || set("MaxDirtyBuffers", "130000")) { next }
    section == "[HTTPServer]" && (set("ServerPort", "127.0.0.1:" http) ||
      set("ServerRoot", "/var/lib/virtuoso-opensource-7/vsp")) { next }
    section == "[URIQA]" && set("DefaultHost", "127.0.0.1:" http) { next }
    { print }
  ' "$INI_SRC" > "$dir/virtuoso.ini"
}

answers() {  # answers URL: the SPARQL endpoint replies to ASK {}
  python3 - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "?query=ASK%7B%7D", timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}

free_port() {  # a port nobody listens on now
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  [ $# = 3 ] || die "usage: start HTTP_PORT SQL_PORT DIR"
  local http=$1 sql=$2 dir
  [ "$http" = auto ] && http=$(free_port)
  [ "$sql" = auto ] && sql=$(free_port)
  [ "$http" != "$sql" ] || die "the HTTP and SQL ports must differ"
  install_if_missing
  mkdir -p "$3"
  dir=$(cd "$3" && pwd)
  port_free "$http" || die "port $http is in use on 127.0.0.1: choose another HTTP port"
  port_free "$sql" || die "port $sql is in use on 127.0.0.1: choose another SQL port"
  write_ini "$dir" "$http" "$sql"
  echo "$sql" > "$dir/ports"
  echo "$dir" > "$LAST"
  # exec: the background job is virtuoso-t itself, and it holds none of this script's output
  # (a caller reading `url=$(... start ...)` must not wait for the server to exit)
  (cd "$dir" && exec nohup virtuoso-t -f -c "$dir/virtuoso.ini" > "$dir/stdout.log" 2>&1 < /dev/null) &
  echo $! > "$dir/pid"
  local url="http://127.0.0.1:$http/sparql" i
  for i in $(seq 1 180); do
    if answers "$url"; then
      break
    fi
    if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
      tail -n 20 "$dir/kg-test.log" "$dir/stdout.log" >&2 2>/dev/null || true
      die "virtuoso-t exited during start-up (logs above, and in $dir)"
    fi
    [ "$i" = 180 ] && die "no answer from $url after 90 s (see $dir/kg-test.log)"
    sleep 0.5
  done
  isql-vt "$sql" dba dba exec='GRANT SPARQL_UPDATE TO "SPARQL";' >/dev/null \
    || die "could not grant SPARQL_UPDATE through isql-vt on port $sql"
  echo "$url"
}

stop() {
  local dir=${1:-}
  if [ -z "$dir" ]; then
    [ -f "$LAST" ] || { echo "virtuoso.sh: nothing to stop" >&2; return 0; }
    dir=$(cat "$LAST")
  fi
  [ -f "$dir/ports" ] || { echo "virtuoso.sh: no server started in $dir" >&2; return 0; }
  local sql pid i
  sql=$(cat "$dir/ports")
  pid=$(cat "$dir/pid" 2>/dev/null || echo "")
  isql-vt "$sql" dba dba exec='shutdown();' >/dev/null 2>&1 || true
  for i in $(seq 1 60); do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/ports"
  [ "$(cat "$LAST" 2>/dev/null)" = "$dir" ] && rm -f "$LAST"
  return 0
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: $0 start HTTP_PORT SQL_PORT DIR | stop [DIR]" ;;
esac
