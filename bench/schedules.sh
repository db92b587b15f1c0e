#!/usr/bin/env bash
# User-set reminders at scale: SCHEDULES reminders (one per follower of a fake-wechat at zero
# latency, accounts loaded into a throwaway MariaDB) whose fires fall within one SPAN-second
# span starting LEAD seconds after they are loaded, fired by two `wxbridge serve` instances on
# that one database. Two rounds on fresh serves: SMALL reminders, then SCHEDULES. Each round
# checks exactly once against the fake's delivery log (one delivery per reminder, distinct
# client_msg_ids, distinct users) and the outbox (one row per reminder), and measures the fire
# lag from the outbox (created_at, the time the claim page that enqueued the fire began, minus
# the fire time in its idempotency key schedule:<id>:<fire ms>), each serve's RSS twice - with
# the reminders loaded, before the first fire, and once everything is delivered - and each
# serve's CPU over IDLE seconds after that (the next fires are a day away: the engine only
# polls). Prints one JSON line last:
#   {"bench":"schedules","schedules":N,"small":S,"span_s":60,
#    "small_round":{"delivered":S,"lag_p50_ms":..,"lag_p99_ms":..,"lag_max_ms":..,
#                   "rss_before_mb":[A,B],"rss_mb":[A,B],"prepared_stmts":P,
#                   "idle_cpu_pct":[A,B],"fired":[A,B]},
#    "large_round":{...},"rss_delta_before_mb":D0,"rss_delta_mb":D,"sets":"...","cores":K}
# fired: reminders each serve enqueued (wxbridge_schedule_fires_total). Targets (issue #16):
# lag p99 < 2000 ms; rss_delta_mb (largest large-round RSS after delivery minus largest
# small-round RSS after delivery) at most 20; idle CPU under 1% of a core. rss_delta_before_mb
# is the same difference before the fires: what holding more reminders costs at rest.
# prepared_stmts: statements both serves hold prepared on MariaDB after delivery (each
# connection caches one per distinct SQL text; see docs/benchmarks.md on what grows RSS).
# Environment: WXB_BUILD_DIR (default build/; wxbridge and fake-wechat must be there),
# SCHEDULES (100000), SMALL (1000), SPAN (60), LEAD (20; raise it when loading takes longer),
# IDLE (10), SCHEDULE_SETS (extra --set pairs for both serves, space-separated; default
# "notify.qps=100000 notify.workers=4 store.pool_size=8"), KEEP_DB=1 to leave MariaDB running
# (and to reuse one left running).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
no_arguments "$@"
schedules=${SCHEDULES:-100000}
small=${SMALL:-1000}
span=${SPAN:-60}
lead=${LEAD:-20}
idle=${IDLE:-10}
read -r -a sets <<<"${SCHEDULE_SETS:-notify.qps=100000 notify.workers=4 store.pool_size=8}"
keep_db=${KEEP_DB:-0}
db=bench_schedules
need_built wxbridge fake-wechat
need curl mariadb
[ "$small" -le "$schedules" ] || die "SMALL ($small) must not exceed SCHEDULES ($schedules)"

bench_on_exit() { [ -z "${db_port:-}" ] || sql -e "DROP DATABASE IF EXISTS $db" 2>/dev/null; }
start_db "$build/bench-schedules-mariadb"
fresh_db "$db"
start_listener fake "$build/fake-wechat" --port 0 --followers "$schedules" --unionid-ratio 1 \
  --seed 7
wxb_args "$db" --set wechat.mp.appid=wxfakemp --set timezone=UTC --set http.port=0 --set http.drain_seconds=2 \
  --set templates.remind.template_id=TPL_REMIND \
  --set templates.remind.miniprogram.pagepath=pages/todo/index \
  --set "templates.remind.data.thing1={{params.title}}"
"$build/wxbridge" "${args[@]}" migrate >"$work/migrate.out"

curl -sf "$fake_base/__fake/followers" |
  sed -n 's/.*"openid":"\([^"]*\)".*"unionid":"\([^"]*\)".*/\2\t\1/p' >"$work/users.tsv"
[ "$(wc -l <"$work/users.tsv")" = "$schedules" ] || die "the fake listed $(wc -l <"$work/users.tsv") followers"
sql "$db" -e "LOAD DATA LOCAL INFILE '$work/users.tsv' INTO TABLE accounts (unionid, oa_openid)
  SET subscribed = 1, synced_at = 1"

# load_schedules N: one daily reminder for each of the first N users, at the UTC second
# T0 + (i mod SPAN), T0 being LEAD seconds from now. Sets t0 (Unix seconds).
load_schedules() {
  local n=$1 loaded
  t0=$(($(date +%s) + lead))
  head -n "$n" "$work/users.tsv" | awk -F'\t' -v t0="$t0" -v span="$span" -v OFS='\t' '{
    s = t0 + (NR - 1) % span
    cron = sprintf("%d %d %d * * *", s % 60, int(s / 60) % 60, int(s / 3600) % 24)
    print $1, cron, s * 1000 }' >"$work/schedules.tsv"
  sql "$db" -e "LOAD DATA LOCAL INFILE '$work/schedules.tsv' INTO TABLE schedules
    (unionid, cron, next_fire_at) SET timezone = 'UTC', template = 'remind',
    params = '{\"title\":\"stand-up\"}', state = 'active', created_at = $t0 * 1000 - 1,
    updated_at = $t0 * 1000 - 1"
  loaded=$(date +%s)
  [ "$loaded" -lt "$t0" ] || die "loading $n reminders took until after their first fire; raise LEAD"
  log "loaded $n reminders; they fire from $(date -u -d "@$t0" +%T) UTC over $span s"
}

# wait_delivered N: until the outbox holds N reminder messages, none of them still to send.
wait_delivered() {
  local n=$1 deadline=$(($(date +%s) + lead + span + 600)) row
  while [ "$(date +%s)" -lt "$deadline" ]; do
    row=$(sql -N "$db" -e "SELECT COUNT(*), COALESCE(SUM(state IN ('pending', 'sending')), 0)
      FROM outbox WHERE idempotency_key LIKE 'schedule:%'")
    [ "$row" = "$n	0" ] && return 0
    sleep 2
  done
  die "not delivered in time: outbox rows, still to send: $row"
}

# percentile P FILE (sorted numbers, one a line)
percentile() { awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; print v[i] }' "$2"; }
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
fired() {
  curl -sf "$1/metrics" | awk '/^wxbridge_schedule_fires_total\{outcome="enqueued"\}/ { printf "%d", $2; f = 1 } END { if (!f) print 0 }'
}

# round NAME N: fresh serves, N reminders, checks and figures; sets round_json. (Not in a
# subshell: the exit trap must see the serves it started.)
round() {
  local name=$1 n=$2 delivered ids users lag50 lag99 lagmax ra0 rb0 ra rb a0 b0 ca cb stmts
  sql "$db" -e "DELETE FROM schedules; DELETE FROM outbox"
  curl -sf -X POST "$fake_base/__fake/reset-messages" >/dev/null
  start_listener serve_a "$build/wxbridge" "${args[@]}" serve
  start_listener serve_b "$build/wxbridge" "${args[@]}" serve
  load_schedules "$n"
  ra0=$(rss_mb "$serve_a_pid") rb0=$(rss_mb "$serve_b_pid")
  wait_delivered "$n"
  curl -sf "$fake_base/__fake/messages" >"$work/messages.ndjson"
  delivered=$(wc -l <"$work/messages.ndjson")
  ids=$(sed -n 's/.*"client_msg_id":"\([^"]*\)".*/\1/p' "$work/messages.ndjson" | sort -u | wc -l)
  users=$(sed -n 's/.*"touser":"\([^"]*\)".*/\1/p' "$work/messages.ndjson" | sort -u | wc -l)
  [ "$delivered" = "$n" ] && [ "$ids" = "$n" ] && [ "$users" = "$n" ] ||
    die "$name round: expected $n deliveries to $n users; got $delivered, $ids client_msg_ids, $users users"
  sql -N "$db" -e "SELECT created_at - CAST(SUBSTRING_INDEX(idempotency_key, ':', -1) AS SIGNED)
    FROM outbox WHERE idempotency_key LIKE 'schedule:%' ORDER BY 1" >"$work/lag.txt"
  lag50=$(percentile 50 "$work/lag.txt") lag99=$(percentile 99 "$work/lag.txt")
  lagmax=$(tail -1 "$work/lag.txt")
  ra=$(rss_mb "$serve_a_pid") rb=$(rss_mb "$serve_b_pid")
  stmts=$(sql -N -e "SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'" | awk '{ print $2 }')
  a0=$(cpu_ticks "$serve_a_pid") b0=$(cpu_ticks "$serve_b_pid")
  sleep "$idle"
  ca=$(awk -v t="$(($(cpu_ticks "$serve_a_pid") - a0))" -v hz="$tck" -v s="$idle" 'BEGIN { printf "%.2f", 100 * t / hz / s }')
  cb=$(awk -v t="$(($(cpu_ticks "$serve_b_pid") - b0))" -v hz="$tck" -v s="$idle" 'BEGIN { printf "%.2f", 100 * t / hz / s }')
  log "$name round: $n delivered once each; lag p50 $lag50 ms, p99 $lag99 ms, max $lagmax ms;" \
    "RSS $ra0 / $rb0 MB before the fires, $ra / $rb MB after delivery ($stmts prepared" \
    "statements open on MariaDB); idle CPU $ca / $cb % of a core"
  printf -v round_json '{"delivered":%s,"lag_p50_ms":%s,"lag_p99_ms":%s,"lag_max_ms":%s,"rss_before_mb":[%s,%s],"rss_mb":[%s,%s],"prepared_stmts":%s,"idle_cpu_pct":[%s,%s],"fired":[%s,%s]}' \
    "$delivered" "$lag50" "$lag99" "$lagmax" "$ra0" "$rb0" "$ra" "$rb" "$stmts" "$ca" "$cb" \
    "$(fired "$serve_a_base")" "$(fired "$serve_b_base")"
  stop_listener serve_a
  stop_listener serve_b
}

round small "$small"
small_json=$round_json
round large "$schedules"
large_json=$round_json
# max_rss KEY JSON: the larger of the round's two RSS figures under KEY.
max_rss() { sed -n "s/.*\"$1\":\\[\\([0-9.]*\\),\\([0-9.]*\\)\\].*/\\1 \\2/p" <<<"$2" | awk '{ print ($1 > $2 ? $1 : $2) }'; }
rss_delta() { awk -v a="$(max_rss "$1" "$small_json")" -v b="$(max_rss "$1" "$large_json")" 'BEGIN { printf "%.1f", b - a }'; }
delta_before=$(rss_delta rss_before_mb)
delta=$(rss_delta rss_mb)
printf '{"bench":"schedules","schedules":%s,"small":%s,"span_s":%s,"small_round":%s,"large_round":%s,"rss_delta_before_mb":%s,"rss_delta_mb":%s,"sets":"%s","cores":%s}\n' \
  "$schedules" "$small" "$span" "$small_json" "$large_json" "$delta_before" "$delta" "${sets[*]}" "$(nproc)"
