#!/usr/bin/env bash
# The crash matrix (issue #17). Two `wxbridge serve` instances share a throwaway MariaDB and
# a fake-wechat (FOLLOWERS followers, LATENCY_MS per call, synced first) while a client posts
# events, real-time events (RT_USERS users, notify.throttle_seconds=2), direct messages and
# "channel":"auto" gift messages (to GRANT_USERS mini-program users holding 2 one-time grants
# each, in wxbridge's ledger and the fake's) without pause, retrying with the same event_id /
# idempotency_key whatever was not answered 200 or 202 (as a client must); SCHEDULES one-shot
# reminders fall due during the rounds. Meanwhile, ROUNDS
# times each, at a random moment: a serve is killed with SIGKILL and started again on its port;
# a `wxbridge sync` is started and killed; a `wxbridge digest` is started and killed. Then
# MariaDB itself is killed (-9) under the load and started again: while it is down, /v1 writes
# must answer 503 (never 202, never another 5xx); after it is back, both instances must take
# writes again within 10 s, by themselves. At the end the load stops, one sync and one digest
# run to completion and the instances deliver everything.
# Checks, failing with exit 1: every accepted event stored; every accepted message delivered
# exactly once (by its text), one delivery per client_msg_id, as many template deliveries as
# sent oa_template rows; every reminder fired and delivered once; every accepted real-time event
# announced once - by a notice (the notices' counts add up to each user's announced events, one
# delivery per notice) or by a digest; no grant spent twice (ledger + subscribe messages sent or
# unknown = grants given, no 43101) and every accepted gift message delivered once unless left
# `unknown` on mp_subscribe (a kill after the call-started mark, before the platform answered;
# a kill before the mark gives the grant back: docs/channels.md "When a sender dies"); nothing
# else left pending, sending or unknown; the accounts complete; the 503s and the recovery time
# as above.
# Prints one JSON line last:
#   {"bench":"crash","rounds":R,"kills":{"serve":N,"sync":N,"digest":N,"mariadb":1},
#    "accepted":{"events":N,"messages":N,"realtime":N,"gifts":N},"reminders":N,"delivered":N,"db_down_answers":{"503":N,...},
#    "resent_after_a_lost_answer":N,"sync_runs":N,"sync_resumes":N,"digest_runs":N,
#    "db_recovery_s":T,"checks_passed":true,"cores":C,"load1_before":L}
# When a check fails it prints the evidence (stderr): each accepted direct message not delivered
# with its outbox row, its user's account, its lines in the client's log, both serves' logs (every
# generation, wxb.notify and wxb.sync at information) and the fake's delivery log; the rows left
# failed or without a channel; the sync runs. It keeps the work folder and the tables (TSV) in
# EVIDENCE_DIR/<time>-<pid> (default: WXB_BUILD_DIR/crash-evidence).
# Environment: WXB_BUILD_DIR (default build/; wxbridge and fake-wechat are built if missing),
# ROUNDS (20), FOLLOWERS (20000), EVENT_USERS (200: events go to these users, so that each
# digest sends at most this many), LATENCY_MS (50: each platform call, so that a kill finds
# sends in flight), DB_DOWN_S (3: how long MariaDB stays down), SEED (5), RT_USERS (40),
# GRANT_USERS (20), SCHEDULES (200: due from 10 s after the start, over ROUNDS x 3 seconds),
# DEADLINE (600: seconds to deliver everything at the end), KEEP_DB=1 to leave MariaDB running.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
. "$root/bench/serve_lib.sh"
no_arguments "$@"
rounds=${ROUNDS:-20}
followers=${FOLLOWERS:-20000}
event_users=${EVENT_USERS:-200}
db_down_s=${DB_DOWN_S:-3}
seed=${SEED:-5}
latency=${LATENCY_MS:-50}
deadline=${DEADLINE:-600}
keep_db=${KEEP_DB:-0}
rt_users=${RT_USERS:-40}
grant_users=${GRANT_USERS:-20}
schedules=${SCHEDULES:-200}
throttle=2 grants=2
# Information from the sender, the sync and the access log: a failed check's evidence needs
# their decisions and the time of each answer.
sets=(logging.loggers.notify.name=wxb.notify logging.loggers.notify.level=information
  logging.loggers.sync.name=wxb.sync logging.loggers.sync.level=information
  logging.loggers.access.name=wxb.http.access logging.loggers.access.level=information)
db=bench_crash
need curl jq sha256sum
build_missing wxbridge fake-wechat
load1=$(cut -d' ' -f1 /proc/loadavg)
start_db "$build/bench-crash-mariadb"
fresh_db "$db"
start_listener fake "$build/fake-wechat" --port 0 --followers "$followers" --unionid-ratio 0.9 \
  --seed "$seed" --latency-ms "$latency"
followers_tsv "$work/followers.tsv"
# Short leases, so that the next sync or digest need not wait two minutes for a killed one's.
bridge_args "$db" --set sync.lease_seconds=5
"$build/wxbridge" "${args[@]}" migrate >/dev/null
start_serve a
start_serve b
ports=("$a_port" "$b_port")

# The client: batches of 10 events and 10 messages, to a and b in turn; a request not answered
# 200 or 202 goes into the next batch, to the other instance. Accepted keys are appended to
# $work/accepted.events and $work/accepted.messages. Runs until $work/stop exists and nothing
# is left to retry.
client() {
  local i=0 turn=0 port
  : >"$work/retry.req"
  while [ ! -e "$work/stop" ] || [ -s "$work/retry.req" ]; do
    cp "$work/retry.req" "$work/batch.req"
    if [ ! -e "$work/stop" ]; then
      awk -F'\t' -v i="$i" -v n="$event_users" -v rn="$rt_users" -v gn="$grant_users" '
        NR <= n { u[NR - 1] = $1 } NR > n && NR <= n + rn { r[NR - n - 1] = $1 }
        NR > n + rn && NR <= n + rn + gn { g[NR - n - rn - 1] = $1 } END {
          for (k = i; k < i + 10; k++) {
            printf "/v1/events\t{\"event_id\":\"ev-%d\",\"unionid\":\"%s\",\"type\":\"chat\"}\n", k, u[k % n]
            printf "/v1/messages\t{\"idempotency_key\":\"msg-%d\",\"unionid\":\"%s\",\"template\":\"order\",\"params\":{\"title\":\"crash %d\"}}\n", k, u[(k * 7) % n], k
            if (k % 5 < 2) printf "/v1/events\t{\"event_id\":\"rt-%d\",\"unionid\":\"%s\",\"type\":\"alert\",\"text\":\"rt %d\"}\n", k, r[k % rn], k
            if (k % 10 == 0) printf "/v1/messages\t{\"idempotency_key\":\"gift-%d\",\"unionid\":\"%s\",\"template\":\"gift\",\"channel\":\"auto\",\"params\":{\"title\":\"gift %d\"}}\n", k, g[(k / 10) % gn], k } }' \
        "$work/followers.tsv" >>"$work/batch.req"
      i=$((i + 10))
    fi
    port=${ports[$((turn++ % 2))]}
    post_file "http://127.0.0.1:$port" "$work/batch.req" "$work/batch.status"
    # The client's log (for a failed check's evidence): answer time, port, status, request.
    paste "$work/batch.status" "$work/batch.req" |
      sed "s/^/$(date -u +%T.%3N) $port /" >>"$work/client.log"
    paste "$work/batch.status" "$work/batch.req" | awk -F'\t' -v w="$work" '
      $1 == 200 || $1 == 202 { match($3, /"(event_id|idempotency_key)":"[^"]*"/)
        kv = substr($3, RSTART, RLENGTH); gsub(/.*:|"/, "", kv)
        print kv >> (w "/accepted." ($2 == "/v1/events" ? "events" : "messages")); next }
      { print $2 "\t" $3 > (w "/retry.req") }
      END { close(w "/retry.req") }' 
    # The awk wrote retry.req only when something failed; an all-accepted batch leaves none.
    grep -qv '^20[02]$' "$work/batch.status" || : >"$work/retry.req"
  done
}

# evidence: what explains a failed check, on stderr (bounded) and kept with the work folder and
# the tables in EVIDENCE_DIR.
evidence() {
  local dir key id t
  dir=${EVIDENCE_DIR:-$build/crash-evidence}/$(date -u +%Y%m%dT%H%M%SZ)-$$
  mkdir -p "$dir"
  keep_log a "still running"
  keep_log b "still running"
  comm -23 "$work/msg.accepted" <(sort -u "$work/msg.delivered") >"$work/msg.missing"
  log "EVIDENCE: $(wc -l <"$work/msg.missing") accepted direct messages not delivered (the first 5 shown)"
  for key in $(head -5 "$work/msg.missing"); do
    evidence_of "$key"
  done
  log "EVIDENCE: rows failed or without a channel (at most 20)"
  sql "$db" -e "SELECT id, idempotency_key, unionid, touser, channel, state, attempts, errcode,
    error, created_at, updated_at FROM outbox WHERE state IN ('failed', 'no_channel') LIMIT 20" >&2
  log "EVIDENCE: sync runs"
  sql "$db" -e "SELECT * FROM sync_runs" >&2
  for t in outbox accounts sync_runs digest_runs events notice_windows schedules; do
    sql "$db" -e "SELECT * FROM $t" >"$dir/$t.tsv" 2>&1 || true
  done
  cp -r "$work/." "$dir/"
  cp "$db_dir/error.log" "$dir/mariadb-error.log" 2>/dev/null || true
  log "EVIDENCE kept in $dir"
}

# evidence_of KEY: the outbox row of accepted message KEY, its user's account, its requests in
# the client's log, what the serves logged of it, the fake's deliveries of its client_msg_id.
evidence_of() {
  local key=$1 id unionid
  log "--- $key: outbox row"
  sql "$db" -e "SELECT * FROM outbox WHERE idempotency_key = 'api:$key'\G" >&2
  log "--- $key: the client's requests (answer time, port, status, path, body)"
  grep -F "\"$key\"" "$work/client.log" >&2 || true
  unionid=$(grep -F "\"$key\"" "$work/client.log" | head -1 | sed 's/.*"unionid":"\([^"]*\)".*/\1/')
  log "--- $key: the account of $unionid"
  sql "$db" -e "SELECT * FROM accounts WHERE unionid = '$unionid'\G" >&2
  id=$(sql -N "$db" -e "SELECT id FROM outbox WHERE idempotency_key = 'api:$key'")
  [ -n "$id" ] || return 0
  log "--- $key: the serves' and CLIs' lines about outbox message $id"
  grep -HE "message $id([^0-9]|\$)" "$work/a.log" "$work/b.log" "$work/digest.err" >&2 || true
  log "--- $key: the fake's deliveries of client_msg_id wxb-$id-*"
  grep -F "\"wxb-$id-" "$work/fake.messages" >&2 || true
}

pause() { sleep "$(awk -v s="$RANDOM" -v m="$1" 'BEGIN { printf "%.2f", s / 32767 * m }')"; }

# keep_log NAME: appends what instance NAME logged so far to $work/NAME.log (start_listener
# starts each run's NAME.err afresh).
keep_log() {
  { cat "$work/$1.err"; echo "=== $1 $2 at $(date -u +%T.%3N) ==="; } >>"$work/$1.log"
}

# kill_restart_serve NAME: SIGKILL, then the same instance again on its port.
kill_restart_serve() {
  local pid=${1}_pid port=${1}_port
  kill -9 "${!pid}" && wait "${!pid}" 2>/dev/null || true
  keep_log "$1" "killed (-9)"
  start_serve "$1" "${!port}"
}

# kill_cli COMMAND MAX_S: starts `wxbridge COMMAND`, kills it at a random moment within MAX_S
# (if it is still running).
kill_cli() {
  "$build/wxbridge" "${args[@]}" "$1" >>"$work/$1.out" 2>>"$work/$1.err" &
  local pid=$!
  pause "$2"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# post_status PORT: the status of one new direct message POSTed to PORT.
post_status() {
  curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $api_key" \
    --max-time 5 --data-binary "{\"idempotency_key\":\"down-$RANDOM$RANDOM\",\"unionid\":\"$(head -1 "$work/followers.tsv" | cut -f1)\",\"template\":\"order\",\"params\":{\"title\":\"probe\"}}" \
    "http://127.0.0.1:$1/v1/messages" || true
}

# kill_mariadb: SIGKILL to mariadbd under load; probes both instances while it is down; starts
# it again and measures how long until both take writes.
kill_mariadb() {
  log "kill -9 of MariaDB at $(date -u +%T.%3N)"
  kill -9 "$db_pid"
  while kill -0 "$db_pid" 2>/dev/null; do sleep 0.1; done
  local end=$((SECONDS + db_down_s)) p
  : >"$work/down.status"
  while [ $SECONDS -lt $end ]; do
    for p in "${ports[@]}"; do post_status "$p" >>"$work/down.status"; echo >>"$work/down.status"; done
    sleep 0.2
  done
  "$root/scripts/mariadb" start "$db_dir" 2>>"$work/mariadb.err" ||
    die "MariaDB did not start again: $(tail -3 "$work/mariadb.err")"
  db_pid=$(cat "$db_dir/mysqld.pid")
  local t0 ok=0
  t0=$(now)
  while [ $ok -lt 2 ]; do
    ok=0
    for p in "${ports[@]}"; do
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/readyz")" = 200 ] && ok=$((ok + 1))
    done
    [ $ok = 2 ] || sleep 0.1
    [ "$(seconds "$t0" "$(now)" | cut -d. -f1)" -lt 60 ] || break
  done
  recovery=$(seconds "$t0" "$(now)")
  log "MariaDB back; both instances ready after ${recovery}s"
}

# The accounts first: a message to a unionid that has none fails ("no OA follower").
"$build/wxbridge" "${args[@]}" sync >"$work/sync.first" 2>>"$work/sync.err" ||
  die "the first sync failed: $(tail -3 "$work/sync.err")"
awk -F'\t' -v a=$((event_users + rt_users)) -v n="$grant_users" 'NR > a && NR <= a + n { print $1 }' \
  "$work/followers.tsv" >"$work/grant.unionids"
grant_logins "$work/grant.unionids"
schedule_requests "$schedules" 10 "$(((schedules + 3 * rounds - 1) / (3 * rounds)))" "$work/schedules.req"
post_file "$a_base" "$work/schedules.req" "$work/schedules.status"
[ -z "$(grep -v '^201$' "$work/schedules.status")" ] || die "not every reminder was created (201)"
client &
client_pid=$!
bench_on_exit() { kill "$client_pid" 2>/dev/null || true; }
log "$rounds rounds: kill -9 of serve, wxbridge sync, wxbridge digest"
for r in $(seq "$rounds"); do
  pause 1
  victim=$([ $((RANDOM % 2)) = 0 ] && echo a || echo b)
  kill_restart_serve "$victim"
  kill_cli sync 3
  kill_cli digest 1
  log "round $r/$rounds done ($(wc -l <"$work/accepted.messages" 2>/dev/null || echo 0) messages accepted)"
done
log "kill -9 of MariaDB under load, down ${db_down_s}s"
kill_mariadb
sleep 2
touch "$work/stop"
wait "$client_pid"
log "load stopped; a whole sync, a whole digest (after the killed one's lease), delivery"
"$build/wxbridge" "${args[@]}" sync >"$work/sync.final" 2>>"$work/sync.err" ||
  die "the final sync failed: $(tail -3 "$work/sync.err")"
sleep 61  # notify.digest's lease of a killed digest lasts 60 s
"$build/wxbridge" "${args[@]}" digest >"$work/digest.final" 2>>"$work/digest.err" ||
  die "the final digest failed: $(tail -3 "$work/digest.err")"
end=$((SECONDS + deadline))
while [ "$(busy "$db")" != 0 ]; do
  [ $SECONDS -lt $end ] || die "not delivered after ${deadline}s: $(outbox_states "$db")"
  sleep 1
done
deliveries "$work/deliveries"
curl -sf "$fake_base/__fake/messages" >"$work/fake.messages"  # the evidence's copy
states=$(outbox_states "$db")
log "outbox: $states"

fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }
sort -u "$work/accepted.events" >"$work/ev.accepted"
grep '^msg-' "$work/accepted.messages" | sort -u >"$work/msg.accepted"
grep '^gift-' "$work/accepted.messages" | sort -u >"$work/gift.accepted"
grep -c '^rt-' "$work/ev.accepted" >"$work/rt.accepted" || true
sql -N "$db" -e "SELECT event_id FROM events WHERE event_id LIKE 'ev-%' OR event_id LIKE 'rt-%'" |
  sort >"$work/ev.stored"
subscribe_deliveries "$work/subscribe"
awk -F'\t' '$3 == "TPL_ORDER" && $4 ~ /^crash / { sub(/^crash /, "msg-", $4); print $4 }' \
  "$work/deliveries" | sort >"$work/msg.delivered"
sent=$(sql -N "$db" -e "SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND channel = 'oa_template'")
subscribed=$(sql -N "$db" -e "SELECT COUNT(*) FROM accounts WHERE subscribed = 1")
check "every accepted event stored ($(wc -l <"$work/ev.accepted"))" \
  "[ -z \"\$(comm -23 '$work/ev.accepted' '$work/ev.stored')\" ]"
check "every accepted message delivered ($(wc -l <"$work/msg.accepted"))" \
  "[ -z \"\$(comm -23 '$work/msg.accepted' <(sort -u '$work/msg.delivered'))\" ]"
# A missing delivery is either a row never stored (or deleted) or a row that ended otherwise.
sql -N "$db" -e "SELECT SUBSTRING(idempotency_key, 5), state FROM outbox
  WHERE idempotency_key LIKE 'api:msg-%'" | sort >"$work/msg.rows"
join -v1 "$work/msg.accepted" "$work/msg.rows" >"$work/msg.unstored"
join "$work/msg.accepted" "$work/msg.rows" | awk '$2 != "sent"' >"$work/msg.unsent"
check "every accepted message stored ($(wc -l <"$work/msg.unstored") not) and sent ($(wc -l <"$work/msg.unsent") not)" \
  "[ ! -s '$work/msg.unstored' ] && [ ! -s '$work/msg.unsent' ]"
check "no message delivered twice" "[ -z \"\$(uniq -d '$work/msg.delivered')\" ]"
check "one delivery per client_msg_id" "[ -z \"\$(cut -f1 '$work/deliveries' | sort | uniq -d)\" ]"
check "as many template deliveries as sent oa_template rows ($sent)" "[ $sent = $(wc -l <"$work/deliveries") ]"

# Reminders: every one fired once (none missed, none unreachable) and delivered once.
sql -N "$db" -e "SELECT state, COUNT(*), SUM(fires), SUM(misfires), SUM(unreachable) FROM schedules
  GROUP BY state" >"$work/schedules"
awk -F'\t' '$3 == "TPL_REMIND" { print $4 }' "$work/deliveries" | sort >"$work/rem.delivered"
check "every reminder fired once ($(xargs <"$work/schedules"))" \
  "[ \"\$(cat '$work/schedules')\" = \"\$(printf 'finished\t%s\t%s\t0\t0' $schedules $schedules)\" ]"
check "every reminder delivered once ($(wc -l <"$work/rem.delivered"))" \
  "[ \$(sort -u '$work/rem.delivered' | wc -l) = $schedules ] && [ -z \"\$(uniq -d '$work/rem.delivered')\" ]"

# Real-time events: each accepted one announced by a notice (N > 0) or by a digest (-3); per
# user, the delivered notices announce exactly the events marked with a notice (a single 1, a
# "many" its count), one delivery per notice row, every notice row sent.
sql -N "$db" -e "SELECT COUNT(*) FROM events WHERE type = 'alert' AND notice NOT IN (-3) AND notice <= 0" >"$work/rt.unannounced"
sql -N "$db" -e "SELECT w.unionid, a.oa_openid, w.notices,
    (SELECT COUNT(*) FROM events e WHERE e.unionid = w.unionid AND e.type = 'alert' AND e.notice > 0),
    (SELECT COUNT(*) FROM outbox o WHERE o.idempotency_key LIKE CONCAT('realtime:', w.unionid, ':%')),
    (SELECT COUNT(*) FROM outbox o WHERE o.idempotency_key LIKE CONCAT('realtime:', w.unionid, ':%') AND o.state = 'sent')
  FROM notice_windows w JOIN accounts a ON a.unionid = w.unionid" >"$work/realtime"
rt_by_notice=$(awk -F'\t' '{ s += $4 } END { print s + 0 }' "$work/realtime")
rt_by_digest=$(sql -N "$db" -e "SELECT COUNT(*) FROM events WHERE type = 'alert' AND notice = -3")
check "every accepted real-time event announced ($(cat "$work/rt.accepted"): $rt_by_notice by a notice, $rt_by_digest by a digest)" \
  "[ \$(cat '$work/rt.unannounced') = 0 ] && [ \$((rt_by_notice + rt_by_digest)) -ge \$(cat '$work/rt.accepted') ]"
check "one sent outbox row per notice" "[ -z \"\$(awk -F'\t' '\$3 != \$5 || \$5 != \$6' '$work/realtime')\" ]"
check "the delivered notices of each user announce its events once" \
  "[ -z \"\$(awk -F'\t' 'NR == FNR { if (\$3 == \"TPL_RT1\") { n[\$2]++; s[\$2]++ }
      else if (\$3 == \"TPL_RTN\") { n[\$2]++; split(\$4, a, \" \"); s[\$2] += a[1] } next }
    n[\$2] + 0 != \$3 || s[\$2] + 0 != \$4' '$work/deliveries' '$work/realtime')\" ]"

# Grants: ledger + spent (sent, or unknown: killed after the call-started mark, before the
# answer; a kill before the mark gives the grant back) = given;
# the platform never answered 43101; it delivered at least the sent subscribe messages and at
# most those plus the unknown ones; every accepted gift delivered once (either channel) or
# left unknown on mp_subscribe.
sql -N "$db" -e "SELECT a.unionid, COALESCE(MAX(g.grants), 0),
    (SELECT COUNT(*) FROM outbox o WHERE o.unionid = a.unionid AND o.channel = 'mp_subscribe' AND o.state = 'sent'),
    (SELECT COUNT(*) FROM outbox o WHERE o.unionid = a.unionid AND o.channel = 'mp_subscribe' AND o.state = 'unknown')
  FROM accounts a LEFT JOIN subscription_grants g ON g.app = 'mp' AND g.openid = a.mp_openid
    AND g.template_id = 'TPL_GIFT_MP'
  WHERE a.mp_openid <> '' GROUP BY a.unionid" >"$work/grants"
sql -N "$db" -e "SELECT SUBSTRING(idempotency_key, 5) FROM outbox WHERE state = 'unknown' AND channel = 'mp_subscribe'
  AND idempotency_key LIKE 'api:gift-%'" |
  sort >"$work/gift.unknown"
read -r sub_sent sub_unknown < <(awk -F'\t' '{ s += $3; u += $4 } END { print s + 0, u + 0 }' "$work/grants")
{ awk -F'\t' '$3 == "TPL_GIFT" { print $4 }' "$work/deliveries"; cut -f3 "$work/subscribe"; } |
  sed 's/^gift /gift-/' | sort >"$work/gift.delivered"
check "no grant spent twice: ledger + sent + unknown = $grants for each of $grant_users users" \
  "[ \$(wc -l <'$work/grants') = $grant_users ] && [ -z \"\$(awk -F'\t' '\$2 + \$3 + \$4 != $grants' '$work/grants')\" ]"
check "no 43101 from the platform" "[ \"\$(fake_stat '.errcodes[\"43101\"]')\" = 0 ]"
check "subscribe deliveries ($(wc -l <"$work/subscribe")) between sent ($sub_sent) and sent + unknown ($((sub_sent + sub_unknown)))" \
  "[ \$(wc -l <'$work/subscribe') -ge $sub_sent ] && [ \$(wc -l <'$work/subscribe') -le $((sub_sent + sub_unknown)) ]"
check "every accepted gift message delivered once or left unknown on mp_subscribe ($(wc -l <"$work/gift.accepted"))" \
  "[ -z \"\$(uniq -d '$work/gift.delivered')\" ] &&
   [ -z \"\$(comm -23 '$work/gift.accepted' <(sort -u '$work/gift.delivered' '$work/gift.unknown'))\" ]"
check "nothing left pending, sending, failed or without a channel; unknown only those subscribe messages ($states)" \
  "! grep -qE 'pending|sending|failed|no_channel' <<<'$states' && [ \"\$(grep -o 'unknown=[0-9]*' <<<'$states' | cut -d= -f2)\" = \"\$([ $sub_unknown = 0 ] || echo $sub_unknown)\" ]"
check "every follower stored ($subscribed of $followers)" "[ $subscribed = $followers ]"
check "only 503 while MariaDB was down ($(sort "$work/down.status" | uniq -c | xargs))" \
  "[ -s '$work/down.status' ] && ! grep -qv '^503$' '$work/down.status'"
check "both instances ready within 10 s of MariaDB (${recovery}s)" \
  "awk -v r=$recovery 'BEGIN { exit !(r <= 10) }'"

[ "$fail" = 0 ] || evidence
# What the kills interrupted: messages resent after an answer that never came (the sender was
# killed mid-call), sync runs and their resumes, digest runs.
read -r resent sync_runs resumes digest_runs < <(sql -N "$db" -e "SELECT
  (SELECT COUNT(*) FROM outbox WHERE ambiguous_since > 0), (SELECT COUNT(*) FROM sync_runs),
  (SELECT COALESCE(SUM(resumes), 0) FROM sync_runs), (SELECT COUNT(*) FROM digest_runs)")
jq -c -n --argjson r "$rounds" --argjson ev "$(wc -l <"$work/ev.accepted")" \
  --argjson msg "$(wc -l <"$work/msg.accepted")" --argjson d "$(($(wc -l <"$work/deliveries") + $(wc -l <"$work/subscribe")))" \
  --argjson rt "$(cat "$work/rt.accepted")" --argjson gifts "$(wc -l <"$work/gift.accepted")" \
  --argjson sched "$schedules" --argjson rtn "$rt_by_notice" --argjson rtd "$rt_by_digest" \
  --argjson subsent "$sub_sent" --argjson subunk "$sub_unknown" \
  --argjson down "$(sort "$work/down.status" | uniq -c | jq -R -s 'split("\n") | map(select(length > 0) | capture(" *(?<n>[0-9]+) (?<s>.*)") | {(.s): (.n | tonumber)}) | add // {}')" \
  --argjson rec "$recovery" --argjson ok $((1 - fail)) --argjson cores "$(nproc)" \
  --argjson load1 "$load1" --argjson resent "$resent" --argjson sr "$sync_runs" \
  --argjson resumes "$resumes" --argjson dr "$digest_runs" '
  {bench: "crash", rounds: $r, kills: {serve: $r, sync: $r, digest: $r, mariadb: 1},
   accepted: {events: $ev, messages: $msg, realtime: $rt, gifts: $gifts}, reminders: $sched,
   realtime_announced: {by_notice: $rtn, by_digest: $rtd},
   subscribe: {sent: $subsent, unknown: $subunk}, delivered: $d, db_down_answers: $down,
   resent_after_a_lost_answer: $resent, sync_runs: $sr, sync_resumes: $resumes,
   digest_runs: $dr, db_recovery_s: $rec, checks_passed: ($ok == 1), cores: $cores, load1_before: $load1}'
exit "$fail"
