#!/usr/bin/env bash
# Lookup throughput of `wxbridge serve` on MariaDB: GET /v1/accounts/{unionid} against a table
# of ACCOUNTS accounts, half known and half unknown unionids picked at random, with wrk at
# keep-alive concurrency CONNECTIONS; then GET /healthz on the same server in the same run, the
# ceiling (HTTP, routing and metrics without auth or the store). Target: lookups at >= 60% of
# the /healthz rate with p99 under 10 ms.
#
# Starts its own MariaDB (scripts/mariadb, data under $BUILD/bench-mariadb, stopped on exit),
# loads the accounts with LOAD DATA LOCAL INFILE, starts serve on a free port, warms up, runs
# wrk twice (bench/lookup.lua), checks that every response was a 200 or a 404 (about half
# each), prints wrk's reports on stderr and one JSON line last on stdout:
#   {"bench":"lookup","accounts":N,"lookup_rps":..,"lookup_p50_ms":..,"lookup_p99_ms":..,
#    "healthz_rps":..,"healthz_p50_ms":..,"healthz_p99_ms":..,"ratio":..,"errors":..,...}
# The rest of the line: CPU microseconds per request of serve, mariadbd and wrk (they share the
# machine, so these say where the time goes), the share of CPU other processes took during each
# wrk run (others_cpu_pct: figures with a high one are not comparable), and the settings.
# Exits 1 when any response was neither 200 nor 404 or a socket error occurred.
# Figures and what limits them: docs/benchmarks.md, section "lookup".
#
# Usage: bench/lookup.sh [--duration S] [--accounts N]
# Environment: WXB_BUILD_DIR (default build/; wxbridge is built there if missing),
# HTTP_THREADS (72), POOL_SIZE (8, the default: lookups are batched over two connections at
# most), CONNECTIONS (64), WRK_THREADS (2), WARMUP (5 s),
# LOG_LEVEL (warning: root logger level, which silences the information-level access log;
# "default" keeps the production logging: the access log on serve's stderr, here a file),
# SEED (1),
# LOOKUP_SETS (extra --set pairs for serve, space-separated, e.g. "http.queue=512"),
# PERF_OUT (a file: record a perf profile of serve and mariadbd during the lookup run).
# wrk is one client on one address, so http.max_connections_per_ip is raised above CONNECTIONS
# (with room for the previous run's connections that may still be closing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
duration=30
accounts=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=${2:?--duration needs seconds}; shift 2 ;;
    --accounts) accounts=${2:?--accounts needs a number}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) log "unknown argument $1 (see --help)"; exit 2 ;;
  esac
done
http_threads=${HTTP_THREADS:-72}
pool_size=${POOL_SIZE:-8}
connections=${CONNECTIONS:-64}
wrk_threads=${WRK_THREADS:-2}
warmup=${WARMUP:-5}
log_level=${LOG_LEVEL:-warning}
seed=${SEED:-1}
read -r -a extra_sets <<<"${LOOKUP_SETS:-}"
bin=$build/wxbridge
db=wxb_lookup_bench

need wrk curl mariadb sha256sum
build_missing wxbridge

# Runs on exit (bench/lib.sh) after serve has stopped, before MariaDB stops.
bench_on_exit() { [ -z "${db_port:-}" ] || sql -e "DROP DATABASE IF EXISTS $db" 2>/dev/null; }
start_db "$build/bench-mariadb"
fresh_db "$db"
url=$db_url/$db
"$bin" --set store.url="$url" migrate >"$work/migrate.out"

# The ids must match ident() in bench/lookup.lua (see there): accounts 0..N-1 are loaded,
# N..2N-1 are the unknown ones. oa_openid uses another salt; 90% subscribed.
gen_accounts() {
  awk -v n="$accounts" 'BEGIN {
    a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for (k = 0; k < 64; k++) ch[k] = substr(a, k + 1, 1)
    for (i = 0; i < n; i++)
      printf "%s\t%s\t%d\t%d\n", ident(i, 1), ident(i, 2), (i % 10 != 0), 1700000000000 + i
  }
  function enc(x, m,   r) { r = ""; for (; m > 0; m--) { r = r ch[x % 64]; x = int(x / 64) }; return r }
  function ident(i, salt,   s, t, r, k) {
    s = ((i + 1) * 48271) % 2147483647
    r = "o" enc(s, 6); t = s
    for (k = 0; k < 4; k++) { t = (t * 48271 + salt) % 2147483647; r = r enc(t, 5) }
    t = (t * 48271 + salt) % 2147483647
    return r enc(t, 1)
  }'
}
started=$(date +%s)
gen_accounts >"$work/accounts.tsv"
sql "$db" -e "SET unique_checks = 0;
  LOAD DATA LOCAL INFILE '$work/accounts.tsv' INTO TABLE accounts
  (unionid, oa_openid, subscribed, synced_at);"
loaded=$(sql -N "$db" -e "SELECT COUNT(*) FROM accounts")
[ "$loaded" = "$accounts" ] || { log "loaded $loaded accounts, wanted $accounts"; exit 1; }
log "loaded $loaded accounts in $(($(date +%s) - started)) s"
first_unionid=$(head -1 "$work/accounts.tsv" | cut -f1)
rm -f "$work/accounts.tsv"

key="lookup-bench-$seed-$RANDOM$RANDOM"
key_sha=$(printf %s "$key" | sha256sum | cut -d' ' -f1)
sets=()
[ "$log_level" = default ] || sets+=(--set logging.loggers.root.level="$log_level")
for pair in "${extra_sets[@]}"; do sets+=(--set "$pair"); done
start_listener serve "$bin" --set store.url="$url" --set store.pool_size="$pool_size" \
  --set http.port=0 --set http.threads="$http_threads" --set http.api_keys_sha256="$key_sha" \
  --set http.drain_seconds=2 --set http.max_connections_per_ip=$((2 * connections + 16)) \
  "${sets[@]}" serve
base=$serve_base
auth=(-H "Authorization: Bearer $key")
curl -sf "${auth[@]}" "$base/v1/accounts/$first_unionid" | grep -q '"subscribed":false' ||
  { log "the first loaded account was not found"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$base/v1/accounts/oUnknownUnionid")" = 404 ] ||
  { log "an unknown unionid did not get 404"; exit 1; }

# CPU time (user + system, clock ticks) of the whole machine so far (busy, total over all
# cores); cpu_ticks (bench/lib.sh) gives a process's. Per request it shows where the time goes however busy the
# machine was; what the machine spent beyond serve, mariadbd and wrk is other people's load.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
run_wrk() {  # MODE PATH SECONDS OUT; writes OUT.cpu: serve mariadbd wrk machine_busy machine_total
  local s0 m0 b0 t0 b1 t1 wrk_cpu TIMEFORMAT='%U %S'
  s0=$(cpu_ticks "$serve_pid") m0=$(cpu_ticks "$db_pid")
  read -r b0 t0 < <(machine_ticks)
  wrk_cpu=$({ time wrk -t"$wrk_threads" -c"$connections" -d"${3}s" --latency \
    -s "$root/bench/lookup.lua" "$base$2" -- "$1" "$key" "$accounts" "$seed" >"$4"; } 2>&1)
  read -r b1 t1 < <(machine_ticks)
  echo "$(($(cpu_ticks "$serve_pid") - s0)) $(($(cpu_ticks "$db_pid") - m0))" \
    "$(awk -v c="$wrk_cpu" -v t="$tck" 'BEGIN { split(c, a, " "); printf "%d", (a[1] + a[2]) * t }')" \
    "$((b1 - b0)) $((t1 - t0))" >"$4.cpu"
}
# CPU microseconds per request of serve (field 1), mariadbd (2) or wrk (3) during a wrk run.
cpu_us() {
  awk -v f="$2" -v tck="$tck" -v n="$(awk '/ requests in / { print $1 }' "$1")" \
    '{ printf "%.1f", n ? $f * 1e6 / tck / n : 0 }' "$1.cpu"
}
# Share of the machine's CPU (all cores) busy with other processes during a wrk run, in %.
others_pct() { awk '{ printf "%d", $5 ? 100 * ($4 - $1 - $2 - $3) / $5 : 0 }' "$1.cpu"; }
# wrk prints latencies as 512.00us, 1.23ms or 1.05s; convert to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.3f", n }'; }
pct() { to_ms "$(awk -v p="$2" '$1 == p { print $2 }' "$1")"; }
status() { sed -n "s/^status: .*$2=\([0-9]*\).*/\1/p" "$1"; }
socket_errors() { awk '/Socket errors/ { gsub(",", ""); s = $4 + $6 + $8 + $10 } END { print s + 0 }' "$1"; }

load=$(cut -d' ' -f1 /proc/loadavg)
log "warming up for $warmup s; load average before: $load"
run_wrk lookup /v1/accounts/ "$warmup" "$work/warmup.out"
log "lookup for $duration s: $connections connections, http.threads=$http_threads, store.pool_size=$pool_size"
perf_pid=""
if [ -n "${PERF_OUT:-}" ]; then
  perf record -F 999 -g -o "$PERF_OUT" -p "$serve_pid,$db_pid" \
    -- sleep "$duration" 2>"$work/perf.err" &
  perf_pid=$!
fi
run_wrk lookup /v1/accounts/ "$duration" "$work/lookup.out"
if [ -n "$perf_pid" ]; then wait "$perf_pid" || log "perf failed: $(cat "$work/perf.err")"; fi
cat "$work/lookup.out" >&2
log "healthz for $duration s"
run_wrk healthz /healthz "$duration" "$work/healthz.out"
cat "$work/healthz.out" >&2
log_lines=$(wc -l <"$work/serve.err")

found=$(status "$work/lookup.out" 200)
missing=$(status "$work/lookup.out" 404)
errors=$(($(status "$work/lookup.out" other) + $(status "$work/healthz.out" other) +
  $(status "$work/healthz.out" 404) + $(socket_errors "$work/lookup.out") +
  $(socket_errors "$work/healthz.out")))
lookup_rps=$(rps "$work/lookup.out")
healthz_rps=$(rps "$work/healthz.out")
ratio=$(awk -v a="$lookup_rps" -v b="$healthz_rps" 'BEGIN { printf "%.3f", b ? a / b : 0 }')
found_share=$(awk -v f="$found" -v m="$missing" 'BEGIN { printf "%.3f", f + m ? f / (f + m) : 0 }')
printf '{"bench":"lookup","accounts":%s,"lookup_rps":%s,"lookup_p50_ms":%s,"lookup_p99_ms":%s,"healthz_rps":%s,"healthz_p50_ms":%s,"healthz_p99_ms":%s,"ratio":%s,"errors":%s,"found_share":%s,"serve_cpu_us_per_lookup":%s,"mariadb_cpu_us_per_lookup":%s,"serve_cpu_us_per_healthz":%s,"wrk_cpu_us_per_lookup":%s,"others_cpu_pct":%s,"healthz_others_cpu_pct":%s,"duration_s":%s,"connections":%s,"http_threads":%s,"pool_size":%s,"log_level":"%s","sets":"%s","serve_log_lines":%s,"load1_before":%s}\n' \
  "$accounts" "$lookup_rps" "$(pct "$work/lookup.out" 50%)" "$(pct "$work/lookup.out" 99%)" \
  "$healthz_rps" "$(pct "$work/healthz.out" 50%)" "$(pct "$work/healthz.out" 99%)" "$ratio" \
  "$errors" "$found_share" "$(cpu_us "$work/lookup.out" 1)" "$(cpu_us "$work/lookup.out" 2)" \
  "$(cpu_us "$work/healthz.out" 1)" "$(cpu_us "$work/lookup.out" 3)" \
  "$(others_pct "$work/lookup.out")" "$(others_pct "$work/healthz.out")" "$duration" "$connections" "$http_threads" "$pool_size" \
  "$log_level" "${LOOKUP_SETS:-}" "$log_lines" "$load"
if [ "$errors" -ne 0 ] || awk -v s="$found_share" 'BEGIN { exit !(s < 0.45 || s > 0.55) }'; then
  log "FAILED: $errors errors, share of known unionids found $found_share (expected about 0.5)"
  exit 1
fi
