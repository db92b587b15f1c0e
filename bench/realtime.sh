#!/usr/bin/env bash
# Real-time notices at scale: USERS followers (fake-wechat, every one with a unionid, synced
# into a throwaway MariaDB), two `wxbridge serve` instances on that one database with
# notify.throttle_seconds=THROTTLE, chat as a real-time type and the oa_template budget far above
# what a run sends (the default 100,000 a day, 5 % kept back from real-time notices, held a
# full run's last thousand messages until the next China day), and EVENTS chat events posted
# through POST /v1/events at uniformly random times over DURATION seconds, each for a random
# user, alternating between the instances (bench/realtime/post.cpp); READ_SHARE of the users read
# everything once at a random time. After the last window has closed and the outbox drained, the
# check (bench/realtime/check.cpp) predicts every user's notices with the bench's own model of
# the rules (bench/realtime/model.h, written from docs/notify.md, sharing no code with
# wxbridge) from the accept and read times the store recorded, and compares them with what the
# fake received, message by message and kind by kind. Then the intake ceiling: BURST more
# events posted as fast as CONNECTIONS connections go.
# Prints one JSON line last:
#   {"bench":"realtime","users":N,"events":N,"seconds":S,"throttle_s":T,"accepted":N,
#    "accepted_per_s":R,"accept_p50_ms":..,"accept_p99_ms":..,"schedule_max_lag_ms":..,
#    "predicted_single":N,"predicted_many":N,"received_single":N,"received_many":N,
#    "mismatched_users":0,"stray_messages":0,"first_in_window_p50_ms":..,
#    "first_in_window_p99_ms":..,"many_after_close_p50_ms":..,"many_after_close_p99_ms":..,
#    "burst_accepted_per_s":R,"burst_accept_p99_ms":..,"instances":2,"cores":K}
# first_in_window: from the 202 of an event that opened a window to the fake's receipt of its
# "single" notice (the fake's at_ms). many_after_close: from a window's close to the receipt
# of its "many" notice. Exits 1 when a request failed or any user's messages differ from the
# model. Targets: intake >= 5,000 events/s (burst_accepted_per_s), first-in-window p99 < 1 s,
# mismatched_users 0.
# Environment: WXB_BUILD_DIR (default build/; wxbridge, fake-wechat and realtime-bench are
# built there if missing), USERS (10000), EVENTS (200000), DURATION (60), THROTTLE (10),
# READ_SHARE (0.1), CONNECTIONS (64), BURST (50000; 0 skips it), SEED (1),
# REALTIME_SETS (extra --set pairs for both instances, space-separated),
# KEEP_DB=1 to leave MariaDB running (and to reuse one left running).
# A tiny run for trying it out: USERS=50 EVENTS=300 DURATION=3 THROTTLE=1 BURST=200.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
no_arguments "$@"
users=${USERS:-10000}
events=${EVENTS:-200000}
seconds=${DURATION:-60}
throttle=${THROTTLE:-10}
read_share=${READ_SHARE:-0.1}
connections=${CONNECTIONS:-64}
burst=${BURST:-50000}
seed=${SEED:-1}
keep_db=${KEEP_DB:-0}
read -r -a sets <<<"${REALTIME_SETS:-}"
db=bench_realtime

need curl mariadb sha256sum
build_missing wxbridge fake-wechat realtime-bench
"$build/realtime-bench" model-example || die "the bench's model disagrees with docs/notify.md"

bench_on_exit() { [ -z "${db_port:-}" ] || sql -e "DROP DATABASE IF EXISTS $db" 2>/dev/null; }
start_db "$build/bench-realtime-mariadb"
fresh_db "$db"
start_listener fake "$build/fake-wechat" --port 0 --followers "$users" --unionid-ratio 1 --seed 7

key="realtime-bench-$seed-$RANDOM$RANDOM"
key_sha=$(printf %s "$key" | sha256sum | cut -d' ' -f1)
wxb_args "$db" --set wechat.mp.appid=wxfakemp --set sync.qps=0 \
  --set http.port=0 --set http.api_keys_sha256="$key_sha" --set http.drain_seconds=2 \
  --set logging.loggers.root.level=warning --set notify.qps=100000 \
  --set notify.budget.oa_template=100000000 \
  --set notify.types.chat.label=chats --set notify.types.chat.realtime=true \
  --set notify.throttle_seconds="$throttle" \
  --set notify.realtime.single=rt_single --set notify.realtime.many=rt_many \
  --set templates.rt_single.template_id=TPL_RT_SINGLE \
  --set templates.rt_single.miniprogram.pagepath=pages/chat/index \
  --set "templates.rt_single.data.thing1={{actor}}" --set "templates.rt_single.data.thing2={{text}}" \
  --set templates.rt_many.template_id=TPL_RT_MANY \
  --set templates.rt_many.miniprogram.pagepath=pages/inbox/index \
  --set "templates.rt_many.data.number1={{total}}" --set "templates.rt_many.data.number2={{unread}}"

log "syncing $users followers"
"$build/wxbridge" "${args[@]}" sync >"$work/sync.json" 2>"$work/sync.err" ||
  { cat "$work/sync.err" >&2; exit 1; }
curl -sf "$fake_base/__fake/followers" >"$work/followers.ndjson"
sed -n 's/.*"unionid":"\([^"]*\)".*/\1/p' "$work/followers.ndjson" >"$work/unionids.txt"

start_listener serve1 "$build/wxbridge" "${args[@]}" serve
start_listener serve2 "$build/wxbridge" "${args[@]}" serve

# post SEED EVENTS SECONDS READ_SHARE LOG: the load; prints its JSON fields.
post() {
  "$build/realtime-bench" post --targets "$serve1_base,$serve2_base" --key "$key" \
    --unionids "$work/unionids.txt" --seed "$1" --events "$2" --seconds "$3" \
    --read-share "$4" --connections "$connections" --log "$5"
}
log "posting $events events over $seconds s to two instances (throttle $throttle s)"
post_fields=$(post "$seed" "$events" "$seconds" "$read_share" "$work/posted.tsv") ||
  die "requests failed: $post_fields"
log "posted: $post_fields"

# Every window closes at most THROTTLE after the last event; then the outbox drains.
sleep $((throttle + 2))
for _ in $(seq 600); do
  open=$(sql -N "$db" -e "SELECT COUNT(*) FROM outbox WHERE state IN ('pending','sending')")
  due=$(sql -N "$db" -e "SELECT COUNT(*) FROM notice_windows WHERE due_at IS NOT NULL")
  [ "$open" = 0 ] && [ "$due" = 0 ] && break
  sleep 0.5
done
[ "$open" = 0 ] && [ "$due" = 0 ] || die "after 5 minutes $open messages unsent, $due windows undecided"

sql -N "$db" -e "SELECT id, event_id, unionid, created_at, read_at FROM events" >"$work/events.tsv"
curl -sf "$fake_base/__fake/messages" >"$work/messages.ndjson"
check_status=0
check_fields=$("$build/realtime-bench" check --events "$work/events.tsv" \
  --posted "$work/posted.tsv" --messages "$work/messages.ndjson" \
  --followers "$work/followers.ndjson" --single TPL_RT_SINGLE --many TPL_RT_MANY \
  --throttle-ms "$((throttle * 1000))") || check_status=$?
log "checked: $check_fields"

burst_fields='"burst_accepted_per_s":null,"burst_accept_p99_ms":null'
if [ "$burst" -gt 0 ]; then
  log "intake: $burst events as fast as $connections connections go"
  fields=$(post "$((seed + 1))" "$burst" 0 0 "$work/burst.tsv") || die "burst requests failed: $fields"
  burst_fields=$(echo "$fields" | sed -n 's/.*"accepted_per_s":\([0-9]*\).*"accept_p99_ms":\([0-9]*\).*/"burst_accepted_per_s":\1,"burst_accept_p99_ms":\2/p')
fi

echo "{\"bench\":\"realtime\",\"users\":$users,\"events\":$events,\"seconds\":$seconds,\"throttle_s\":$throttle,$post_fields,$check_fields,$burst_fields,\"instances\":2,\"cores\":$(nproc)}"
[ "$check_status" = 0 ] || die "messages differ from the model's prediction (see above)"
