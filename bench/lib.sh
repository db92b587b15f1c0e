# shellcheck shell=bash disable=SC2034
# What the bench scripts (bench/sync.sh, bench/digest.sh, bench/lookup.sh) share; not run on
# its own. A script sets `root` to the repository and sources it:
#   root=$(cd "$(dirname "$0")/.." && pwd)
#   . "$root/bench/lib.sh"
# It sets `build` (WXB_BUILD_DIR, default build/), `me` (the script's name, for messages) and
# `work` (a scratch folder), and installs an EXIT trap that stops the servers started with
# start_listener, calls the script's bench_on_exit if it defines one, stops the MariaDB
# started with start_db (unless keep_db=1) and removes $work.

build=${WXB_BUILD_DIR:-$root/build}
me=$(basename "$0")
tck=$(getconf CLK_TCK)

log() { echo "$me: $*" >&2; }
die() { log "$*"; exit 1; }

# The script's header comment (line 2 up to `set -euo pipefail`), for --help.
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

# For scripts set up by the environment alone: -h/--help prints the header, any other
# argument is a usage error (exit 2).
no_arguments() {
  case "${1-}" in
    "") ;;
    -h|--help) usage; exit 0 ;;
    *) log "unknown argument $1 (see --help; the settings are environment variables)"; exit 2 ;;
  esac
}

# need COMMAND...: each must be installed (scripts/setup installs them all).
need() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null || die "$c is missing (scripts/setup)"; done
}

# need_built TARGET...: each must already be built in $build.
need_built() {
  local t
  for t in "$@"; do [ -x "$build/$t" ] || die "$build/$t is missing; build first (scripts/build)"; done
}

# build_missing TARGET...: builds (RelWithDebInfo) those of the targets missing from $build.
build_missing() {
  local t targets=()
  for t in "$@"; do [ -x "$build/$t" ] || targets+=("$t"); done
  if [ ${#targets[@]} -gt 0 ]; then
    log "building ${targets[*]} in $build"
    WXB_BUILD_DIR="$build" WXB_TARGETS="${targets[*]}" "$root/scripts/build" >/dev/null
  fi
}

work=$(mktemp -d)
listeners=()   # names given to start_listener
db_dir=""      # start_db's folder
db_started=0   # 1 when start_db started the server (rather than reusing a running one)
keep_db=""     # 1: leave the MariaDB running on exit and reuse a running one (KEEP_DB=1);
               # empty: the script offers no KEEP_DB
bench_exit() {
  local name
  for name in "${listeners[@]}"; do stop_listener "$name"; done
  if declare -F bench_on_exit >/dev/null; then bench_on_exit || true; fi
  if [ "$db_started" = 1 ] && [ "$keep_db" != 1 ]; then
    "$root/scripts/mariadb" stop "$db_dir" || true
  fi
  rm -rf "$work"
}
trap bench_exit EXIT

# start_listener NAME COMMAND...: runs COMMAND in the background (stdout in $work/NAME.out,
# stderr in $work/NAME.err) and waits up to 60 s for its first line, "listening on
# 127.0.0.1:PORT". Sets NAME_pid and NAME_base (http://127.0.0.1:PORT); exits with the
# command's output when it did not start. stop_listener NAME, or the exit, stops it.
start_listener() {
  local name=$1 pid base; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pid=$!
  printf -v "${name}_pid" %s "$pid"
  [[ " ${listeners[*]} " == *" $name "* ]] || listeners+=("$name")
  for _ in $(seq 1200); do
    [ "$(wc -l <"$work/$name.out")" -gt 0 ] && break  # a whole line
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  base=$(head -1 "$work/$name.out" | sed -n 's/^listening on \(127\.0\.0\.1:[0-9]*\)$/http:\/\/\1/p')
  if [ -z "$base" ]; then
    log "${1##*/} did not start; stdout: $(head -c 300 "$work/$name.out")"
    cat "$work/$name.err" >&2
    exit 1
  fi
  printf -v "${name}_base" %s "$base"
}

# stop_listener NAME: SIGTERM to what start_listener NAME started, and wait for it.
stop_listener() {
  local var=${1}_pid pid
  pid=${!var:-}
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; fi
  printf -v "$var" %s ""
}

# db_running DIR: whether the MariaDB of DIR runs (its pid file names a live process).
db_running() {
  local pid
  pid=$(cat "$1/mysqld.pid" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# start_db DIR: a throwaway MariaDB (scripts/mariadb) with its data in DIR, on a fresh free
# port. One already running there is reused when keep_db=1 and refused otherwise: a second
# mariadbd must never start on the same data folder. Sets db_url (mysql://wxb@127.0.0.1:PORT,
# no database), db_port and db_pid; exports WXBRIDGE_STORE_PASSWORD for wxbridge.
start_db() {
  db_dir=$1
  need mariadbd mariadb-install-db mariadb-admin mariadb
  if db_running "$db_dir"; then
    if [ "$keep_db" != 1 ]; then
      local who="another $me?" hint="stop it with scripts/mariadb stop $db_dir"
      if [ -n "$keep_db" ]; then
        who="another $me, or one left by KEEP_DB=1?" hint="$hint, or set KEEP_DB=1 to reuse it"
      fi
      die "a MariaDB already runs in $db_dir ($who); $hint"
    fi
    log "reusing the MariaDB already running in $db_dir (KEEP_DB=1)"
  else
    rm -f "$db_dir/port"  # a fresh free port each start
    db_started=1
    "$root/scripts/mariadb" start "$db_dir"
  fi
  eval "$("$root/scripts/mariadb" env "$db_dir")"
  db_url=${WXB_TEST_MYSQL_URL%/*}
  db_port=${db_url##*:}
  db_pid=$(cat "$db_dir/mysqld.pid")
  export WXBRIDGE_STORE_PASSWORD=$WXB_TEST_MYSQL_PASSWORD
}

# The mariadb client on start_db's server as user wxb (LOAD DATA LOCAL INFILE allowed).
sql() {
  MYSQL_PWD=$WXB_TEST_MYSQL_PASSWORD mariadb --no-defaults --local-infile=1 -h127.0.0.1 \
    -P"$db_port" -uwxb "$@"
}

# fresh_db NAME: drops database NAME if it exists and creates it empty.
fresh_db() { sql -e "DROP DATABASE IF EXISTS $1; CREATE DATABASE $1"; }

# wxb_args DB [ARG...]: sets `args`, wxbridge's arguments for database DB and the fake-wechat
# at $fake_base as app wxfakeoa, then ARG..., then --set for each pair in the script's `sets`
# (last, so they override). Exports the fake's app secrets.
wxb_args() {
  export WXBRIDGE_WECHAT_OA_SECRET=oasecret WXBRIDGE_WECHAT_MP_SECRET=mpsecret
  args=(--set "store.url=$db_url/$1" --set "wechat.api_base=$fake_base"
    --set wechat.oa.appid=wxfakeoa "${@:2}")
  local s
  for s in "${sets[@]}"; do args+=(--set "$s"); done
}

# CPU time (user + system) of process PID so far, in clock ticks ($tck a second).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

now() { date +%s.%N; }
# seconds T0 T1: T1 - T0 (times from now) with two decimals.
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# rps WRK_OUTPUT: wrk's requests a second, whole.
rps() { awk '/^Requests\/sec:/ { printf "%d", $2 }' "$1"; }
