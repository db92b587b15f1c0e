#!/usr/bin/env bash
# Follower sync at scale: `wxbridge sync` from fake-wechat (FOLLOWERS, 90% with unionid, seed 1)
# into a throwaway MariaDB, once per fake latency in LATENCIES, each into a fresh database,
# under /usr/bin/time -v for the peak RSS. Then the floor: the same rows (from the fake's
# GET /__fake/followers, as a TSV) loaded with LOAD DATA LOCAL INFILE into an identical,
# freshly migrated accounts table. Checks that every run completed with every follower stored.
# Prints each run's summary, then one JSON line last:
#   {"bench":"sync","followers":N,"latency_ms":[0,20],"wall_s":[..],"followers_per_s":[..],
#    "peak_rss_mb":[..],"load_data_floor_s":F,"ratio_to_floor":R (first latency),
#    "sets":"...","cores":C}
# Environment: WXB_BUILD_DIR (default build/; builds nothing: wxbridge and fake-wechat must be
# there), FOLLOWERS (1000000), LATENCIES ("0 20"), SYNC_SETS (extra --set pairs for wxbridge,
# space-separated, e.g. "sync.concurrency=16"), KEEP_DB=1 to leave MariaDB running (and to
# reuse one left running).
# Targets (docs/benchmarks.md): < 60 s and < 2.5x the floor at 0 ms; < 5 min at 20 ms;
# peak RSS < 150 MB.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
no_arguments "$@"
followers=${FOLLOWERS:-1000000}
latencies=${LATENCIES:-"0 20"}
read -r -a sets <<<"${SYNC_SETS:-}"
keep_db=${KEEP_DB:-0}
need_built wxbridge fake-wechat
need curl /usr/bin/time
start_db "$build/bench-sync-mariadb"

start_fake() {
  start_listener fake "$build/fake-wechat" --port 0 --followers "$followers" --unionid-ratio 0.9 \
    --seed 1 --latency-ms "$1"
}

walls=() rates=() rss=()
for latency in $latencies; do
  start_fake "$latency"
  name=bench_sync_${latency}ms
  fresh_db "$name"
  wxb_args "$name"
  "$build/wxbridge" "${args[@]}" migrate >/dev/null
  t0=$(now)
  /usr/bin/time -v -o "$work/time.txt" "$build/wxbridge" "${args[@]}" sync \
    >"$work/sync.out" 2>"$work/sync.err" || { cat "$work/sync.err" >&2; exit 1; }
  t1=$(now)
  stop_listener fake
  summary=$(tail -1 "$work/sync.out")
  echo "latency ${latency} ms: $summary" >&2
  echo "  store write retries: $(grep -c 'failed (attempt' "$work/sync.err" || true)" >&2
  state=$(echo "$summary" | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p')
  [ "$state" = completed ] || die "run did not complete"
  stored=$(sql -N -e "SELECT COUNT(*) FROM $name.accounts WHERE subscribed = 1")
  [ "$stored" = "$followers" ] || die "$stored accounts stored, expected $followers"
  wall=$(seconds "$t0" "$t1")
  walls+=("$wall")
  rates+=("$(awk -v n="$followers" -v s="$wall" 'BEGIN { printf "%d", n / s }')")
  rss+=("$(awk '/Maximum resident set size/ { printf "%.1f", $6 / 1024 }' "$work/time.txt")")
done

# The floor: the same rows, loaded in one LOAD DATA into an identical table.
start_fake 0
curl -sf "$fake_base/__fake/followers" |
  sed -E -e 's/^\{"openid":"([^"]*)","unionid":"([^"]*)"\}$/\2\t\1\t1\t1700000000000/' \
    -e 's/^\{"openid":"([^"]*)"\}$/\\N\t\1\t1\t1700000000000/' >"$work/followers.tsv"
stop_listener fake
fresh_db bench_sync_floor
wxb_args bench_sync_floor
"$build/wxbridge" "${args[@]}" migrate >/dev/null
t0=$(now)
sql bench_sync_floor -e "LOAD DATA LOCAL INFILE '$work/followers.tsv' INTO TABLE accounts (unionid, oa_openid, subscribed, synced_at)"
t1=$(now)
floor=$(seconds "$t0" "$t1")
loaded=$(sql -N -e "SELECT COUNT(*) FROM bench_sync_floor.accounts")
[ "$loaded" = "$followers" ] || die "LOAD DATA stored $loaded rows"
ratio=$(awk -v a="${walls[0]}" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')

list() { local IFS=,; echo "$*"; }
printf '{"bench":"sync","followers":%s,"latency_ms":[%s],"wall_s":[%s],"followers_per_s":[%s],"peak_rss_mb":[%s],"load_data_floor_s":%s,"ratio_to_floor":%s,"sets":"%s","cores":%s}\n' \
  "$followers" "$(list $latencies)" "$(list "${walls[@]}")" "$(list "${rates[@]}")" \
  "$(list "${rss[@]}")" "$floor" "$ratio" "${SYNC_SETS:-}" "$(nproc)"
