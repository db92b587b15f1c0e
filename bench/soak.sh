#!/usr/bin/env bash
# The fault soak (issue #17): the same work twice, on two `wxbridge serve` instances sharing a
# throwaway MariaDB - once against a clean fake-wechat, once against one with faults: 5% HTTP
# 500, 3% errcode -1, 1% calls held past the client's timeout, every app token killed after
# each 1,000 calls that use one, and the template-send daily quota spent once half way
# (45009). The work: a sync of FOLLOWERS followers (POST /v1/sync:run); SCHEDULES one-shot
# reminders firing while the rest runs (POST /v1/schedules); DIGEST_USERS users given two
# unread events each (POST /v1/events, half through each instance) and a digest
# (`wxbridge digest`, built while the instances deliver); MESSAGES direct messages (POST
# /v1/messages, half through each instance, while the digest runs); GRANT_USERS mini-program
# users who log in (POST /v1/mp/sessions), report 2 one-time grants each (POST
# /v1/subscriptions; the fake's ledger holds the same) and get 3 messages each with
# "channel":"auto" (mp_subscribe while a grant is held, then oa_template); RT_USERS users given
# 6 real-time events each in 2 bursts of 3 a window apart (notify.throttle_seconds=2: the first
# of a burst goes out at once, the other two are merged, unless a window is open); PUSHES event
# pushes to /wechat/callback (half follows of new users, half unfollows; plain and safe mode;
# each sent to one instance and repeated to the other, every third a third time, as the
# platform retries) and, once everything is delivered, RECEIPTS TEMPLATESENDJOBFINISH pushes
# for delivered direct messages (every tenth a failure), repeated the same way.
# When the 45009 comes, the script plays midnight: it lifts the fake's quota and the stored
# pause, and makes the paused messages due (wxbridge itself would wait for China's midnight).
# Checks, failing with exit 1 (docs/reliability.md "Fault soak" says why each holds under
# faults): every request accepted; the sync completed; the accounts table identical to the clean
# run's; every digest, direct message and reminder delivered exactly once (one delivery per
# client_msg_id, the same deliveries - user, template, text - as the clean run, each once);
# every real-time event announced by exactly one notice (the notices' counts add up to each
# user's events), one delivery per notice, at most 2 + span/window notices per user; no grant
# spent twice (the ledger's grants plus the subscribe messages sent or unknown equal the grants
# given, no 43101, every gift message delivered once unless left `unknown` on mp_subscribe after
# a timeout); every push answered `success` and applied once, every receipt on its message;
# nothing left pending, sending or unknown (but those subscribe messages); the token
# refreshes within the platform's limits (no 45011, at most 20 forced refreshes a day).
# Prints each run's figures on stderr, then one JSON line last:
#   {"bench":"soak","followers":N,"digest_users":N,"messages":N,"clean_s":T,"soak_s":T,
#    "delivered":N,"faults":{"http_500":N,"busy":N,"timeout":N,"dead_token_answers":N,"quota_45009":N},
#    "token_refreshes":{"issued":N,"forced":N},"retried_calls":N,"realtime":{...},
#    "reminders":N,"grants":{...},"pushes":{...},"cores":C,"load1_before":L}
# Environment: WXB_BUILD_DIR (default build/; wxbridge and fake-wechat are built if missing),
# FOLLOWERS (100000), DIGEST_USERS (10000), MESSAGES (5000), SCHEDULES (300), RT_USERS (500),
# GRANT_USERS (200), PUSHES (600), RECEIPTS (1000), TOKEN_EVERY (1000: calls between token
# kills; a small run needs fewer), QUICK=1 (the defaults 3000, 300, 300, 30, 50, 20, 60, 100,
# 100: a check of the script), SEED (3), DEADLINE (1800: seconds each run may take to deliver
# everything), KEEP_DB=1 to leave MariaDB running.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
. "$root/bench/serve_lib.sh"
no_arguments "$@"
# QUICK=1: every count a thirtieth to a tenth (a check of the script in about a minute).
q=$([ "${QUICK:-0}" = 1 ] && echo 1 || echo 0)
followers=${FOLLOWERS:-$((q ? 3000 : 100000))}
digest_users=${DIGEST_USERS:-$((q ? 300 : 10000))}
messages=${MESSAGES:-$((q ? 300 : 5000))}
seed=${SEED:-3}
token_every=${TOKEN_EVERY:-$((q ? 100 : 1000))}
deadline=${DEADLINE:-1800}
schedules=${SCHEDULES:-$((q ? 30 : 300))}
rt_users=${RT_USERS:-$((q ? 50 : 500))}
grant_users=${GRANT_USERS:-$((q ? 20 : 200))}
pushes=${PUSHES:-$((q ? 60 : 600))}
receipts=${RECEIPTS:-$((q ? 100 : 1000))}
throttle=2 grants=2
keep_db=${KEEP_DB:-0}
sets=()
need curl jq sha256sum
build_missing wxbridge fake-wechat
load1=$(cut -d' ' -f1 /proc/loadavg)
start_db "$build/bench-soak-mariadb"

# The requests (the same for both runs), to distinct groups of the followers with a unionid (in
# followers.tsv order): the first DIGEST_USERS get two events each (plus one event for a
# unionid nobody has), direct messages go to the first MESSAGES in turn and reminders to the
# first SCHEDULES; then RT_USERS get real-time events, GRANT_USERS the gift messages, and
# PUSHES/2 are unfollowed by a push.
requests() {
  local f=$work/followers.tsv
  awk -F'\t' -v n="$digest_users" 'NR <= n {
      printf "/v1/events\t{\"event_id\":\"e1-%s\",\"unionid\":\"%s\",\"type\":\"chat\",\"actor\":\"Ann\"}\n", $1, $1
      printf "/v1/events\t{\"event_id\":\"e2-%s\",\"unionid\":\"%s\",\"type\":\"chat\",\"text\":\"hi\"}\n", $1, $1 }
    END { print "/v1/events\t{\"event_id\":\"e-nobody\",\"unionid\":\"nobodyHasThisUnionid\",\"type\":\"chat\"}" }' \
    "$f" >"$work/events.req"
  awk -F'\t' -v m="$messages" '{ u[NR] = $1 } END { for (i = 0; i < m; i++)
      printf "/v1/messages\t{\"idempotency_key\":\"soak-%d\",\"unionid\":\"%s\",\"template\":\"order\",\"params\":{\"title\":\"order %d\"}}\n", i, u[i % NR + 1], i }' \
    "$f" >"$work/messages.req"
  local rt0=$digest_users g0=$((digest_users + rt_users)) u0=$((digest_users + rt_users + grant_users))
  [ "$(wc -l <"$f")" -ge $((u0 + pushes / 2)) ] || die "too few followers with a unionid for the groups"
  local burst
  for burst in 1 2; do
    awk -F'\t' -v a="$rt0" -v n="$rt_users" -v b="$burst" 'NR > a && NR <= a + n { for (k = 3 * b - 2; k <= 3 * b; k++)
        printf "/v1/events\t{\"event_id\":\"rt%d-%s\",\"unionid\":\"%s\",\"type\":\"alert\",\"actor\":\"Bo\",\"text\":\"r%d-%d\"}\n", k, $1, $1, NR - a, k }' \
      "$f" >"$work/rt$burst.req"
  done
  awk -F'\t' -v a="$g0" -v n="$grant_users" -v g="$grants" 'NR > a && NR <= a + n { for (k = 0; k <= g; k++)
      printf "/v1/messages\t{\"idempotency_key\":\"gift-%d-%d\",\"unionid\":\"%s\",\"template\":\"gift\",\"channel\":\"auto\",\"params\":{\"title\":\"gift %d-%d\"}}\n", NR - a, k, $1, NR - a, k }' \
    "$f" >"$work/gifts.req"
  awk -F'\t' -v a="$u0" -v n="$((pushes / 2))" 'NR > a && NR <= a + n { print $2 }' "$f" >"$work/unfollow.openids"
  awk -F'\t' -v a="$g0" -v n="$grant_users" 'NR > a && NR <= a + n { print $1 }' "$f" >"$work/grant.unionids"
}

# post_split NAME [STATUS]: the lines of $work/NAME.req, odd ones to serve a and even ones to
# serve b, concurrently; fails unless every answer is STATUS (202).
post_split() {
  awk "NR % 2 == 1" "$work/$1.req" >"$work/$1.a.req"
  awk "NR % 2 == 0" "$work/$1.req" >"$work/$1.b.req"
  post_file "$a_base" "$work/$1.a.req" "$work/$1.a.status" &
  post_file "$b_base" "$work/$1.b.req" "$work/$1.b.status"
  wait $!
  local bad
  bad=$(cat "$work/$1.a.status" "$work/$1.b.status" | grep -cv "^${2:-202}$" || true)
  [ "$bad" = 0 ] || die "$bad of $(wc -l <"$work/$1.req") $1 requests were not answered ${2:-202}"
}

# push_requests NAME: the pushes of $work/NAME.pushes (one JSON body a line, without url) to a,
# each repeated to b and every third to a again (the platform's retries: the same document);
# the first carries "apply" (the fake applies the user's action once). Fails unless every push
# is answered 200 `success`.
push_requests() {
  awk -v a="$a_base/wechat/callback" -v b="$b_base/wechat/callback" '{
      body = substr($0, 2)
      printf "{\"url\":\"%s\",\"apply\":true,%s\n", a, body
      printf "{\"url\":\"%s\",%s\n", b, body
      if (NR % 3 == 0) printf "{\"url\":\"%s\",%s\n", a, body }' "$work/$1.pushes" >"$work/$1.push"
  push_file "$work/$1.push" "$work/$1.push.status"
  local bad
  bad=$(grep -cv $'^200\tsuccess$' "$work/$1.push.status" || true)
  [ "$bad" = 0 ] || die "$bad of $(wc -l <"$work/$1.push") $1 pushes not answered 200 success: $(grep -v $'^200\tsuccess$' "$work/$1.push.status" | head -3)"
}

# follow_pushes: PUSHES/2 follows of new users (with a unionid the worker fetches by user/info)
# and PUSHES/2 unfollows of followers; every other one in safe mode.
follow_pushes() {
  local t
  t=$(date +%s)
  { awk -v n="$((pushes / 2))" -v t="$t" 'BEGIN { for (i = 1; i <= n; i++)
        printf "{\"event\":\"subscribe\",\"openid\":\"oSoakFollower%06d\",\"unionid\":\"uSoakFollower%06d\",\"create_time\":%d,\"encrypt\":%s}\n", i, i, t, (i % 2 ? "true" : "false") }'
    awk -v t="$t" '{ printf "{\"event\":\"unsubscribe\",\"openid\":\"%s\",\"create_time\":%d,\"encrypt\":%s}\n", $1, t, (NR % 2 ? "true" : "false") }' \
      "$work/unfollow.openids"; } >"$work/follows.pushes"
  push_requests follows
}

# receipt_pushes: TEMPLATESENDJOBFINISH for the first RECEIPTS delivered direct messages (their
# msgid, as text: it exceeds a double), every tenth `failed:system failed`.
receipt_pushes() {
  local t
  t=$(date +%s)
  curl -sf "$fake_base/__fake/messages" |
    awk -v n="$receipts" '/"template_id":"TPL_ORDER"/ && k++ < n' |
    sed -n 's/.*"touser":"\([^"]*\)".*"msgid":\([0-9]*\).*/\1 \2/p; t' |
    awk -v t="$t" '{ printf "{\"event\":\"TEMPLATESENDJOBFINISH\",\"openid\":\"%s\",\"msgid\":%s,\"status\":\"%s\",\"create_time\":%d,\"encrypt\":%s}\n",
        $1, $2, (NR % 10 == 0 ? "failed:system failed" : "success"), t, (NR % 2 ? "true" : "false") }' \
    >"$work/receipts.pushes"
  [ "$(wc -l <"$work/receipts.pushes")" = "$receipts" ] || die "fewer than $receipts direct messages to receipt"
  push_requests receipts
}

# run_sync: POST /v1/sync:run on a, then waits for the run to end; it must complete.
run_sync() {
  api POST "$a_base" /v1/sync:run >/dev/null
  local state=running
  while [ "$state" = running ]; do
    sleep 1
    state=$(api GET "$a_base" /v1/sync/runs/latest | jq -r .state)
  done
  [ "$state" = completed ] || die "sync ended $state: $(api GET "$a_base" /v1/sync/runs/latest)"
}

# midnight DB: what the quota's reset at midnight would do, once the first 45009 came: the
# fake's quota lifted, the stored pause deleted (which lifts it at both instances within a
# second), both instances restarted on their ports, and every message waiting for midnight due
# now. The push counters of the instances are kept in push_counts first.
midnight() {
  curl -sf -X POST "$fake_base/__fake/config" -d '{"quota":{"template_send":-1}}' >/dev/null
  sql "$1" -e "DELETE FROM send_pauses"
  count_pushes
  stop_listener a
  stop_listener b
  start_serve a "$a_port"
  start_serve b "$b_port"
  local now_ms=$(($(date +%s%3N)))
  sql "$1" -e "UPDATE outbox SET due_at = $now_ms WHERE state = 'pending' AND due_at > $now_ms + 600000"
  log "45009 seen: quota lifted, pause cleared, instances restarted, paused messages due now (midnight played)"
}

# count_pushes: adds the instances' applied and duplicate push counts to push_counts.
count_pushes() {
  local applied duplicate
  applied=$(metric_sum wxbridge_callback_pushes_total 'outcome="applied"' "$a_base" "$b_base")
  duplicate=$(metric_sum wxbridge_callback_pushes_total 'outcome="duplicate"' "$a_base" "$b_base")
  read -r -a push_counts <<<"$((push_counts[0] + applied)) $((push_counts[1] + duplicate))"
}

# wait_delivered DB FAULTY: until nothing may move any more.
wait_delivered() {
  local end=$((SECONDS + deadline))  # `played`: run's, once midnight was played
  while [ "$(busy "$1")" != 0 ]; do
    [ $SECONDS -lt $end ] || die "not delivered after ${deadline}s: $(outbox_states "$1")"
    if [ "$2" = 1 ] && [ "$played" = 0 ] && [ "$(fake_stat '.errcodes["45009"]')" != 0 ]; then
      midnight "$1"
      played=1
    fi
    sleep 1
  done
}

# run NAME FAULTY: one whole run into database NAME; leaves NAME.accounts, NAME.deliveries,
# NAME.subscribe, NAME.states, NAME.stats, NAME.grants, NAME.realtime and NAME.pushes in $work
# and the run's seconds in NAME.seconds.
run() {
  local name=$1 faults=() played=0
  push_counts=(0 0)
  if [ "$2" = 1 ]; then
    faults=(--fail-rate 0.05 --busy-rate 0.03 --timeout-rate 0.01 --timeout-hold-ms 1500
      --invalidate-token-every "$token_every" --quota "template_send=$(((digest_users + messages) / 2))")
  fi
  start_listener fake "$build/fake-wechat" --port 0 --followers "$followers" \
    --unionid-ratio 0.9 --seed "$seed" "${faults[@]}"
  followers_tsv "$work/followers.tsv"
  requests
  fresh_db "$name"
  bridge_args "$name"
  "$build/wxbridge" "${args[@]}" migrate >/dev/null
  start_serve a
  start_serve b
  local t0=$SECONDS
  log "$name: sync of $followers followers"
  run_sync
  log "$name: $((SECONDS - t0)) s: $schedules reminders, events, then the digest alongside $messages direct messages"
  schedule_requests "$schedules" 10 10 "$work/schedules.req"
  post_split schedules 201
  post_split events
  "$build/wxbridge" "${args[@]}" digest >"$work/$name.digest.json" 2>"$work/$name.digest.err" &
  local digest=$!
  post_split messages
  wait "$digest" || { cat "$work/$name.digest.err" >&2; die "wxbridge digest failed"; }
  log "$name: $((SECONDS - t0)) s: $grant_users mini-program logins with grants, gift messages, $pushes follow pushes, real-time events"
  grant_logins "$work/grant.unionids"
  post_split gifts
  follow_pushes
  local burst
  for burst in 1 2; do
    post_split "rt$burst"
    sleep "$throttle"
  done
  wait_delivered "$name" "$2"
  log "$name: $((SECONDS - t0)) s: $receipts receipts"
  receipt_pushes
  wait_delivered "$name" "$2"
  echo $((SECONDS - t0)) >"$work/$name.seconds"
  snapshot "$name"
  stop_listener a
  stop_listener b
  stop_listener fake
  [ "$keep_db" = 1 ] || sql -e "DROP DATABASE $name"
}

# snapshot NAME: what the checks read, into $work/NAME.*.
snapshot() {
  local name=$1 w=$work/$1
  sql -N "$name" -e "SELECT unionid, oa_openid, subscribed, mp_openid FROM accounts
    ORDER BY oa_openid" >"$w.accounts"
  deliveries "$w.deliveries"
  subscribe_deliveries "$w.subscribe"
  outbox_states "$name" >"$w.states"
  curl -sf "$fake_base/__fake/stats" >"$w.stats"
  curl -sf "$fake_base/__fake/grants" >"$w.fake_grants"
  sql -N "$name" -e "SELECT COALESCE(SUM(count), 0) FROM token_refreshes" >"$w.forced"
  # Per grant user: unionid, the ledger's grants, subscribe messages sent, left unknown.
  sql -N "$name" -e "SELECT a.unionid, COALESCE(MAX(g.grants), 0),
      (SELECT COUNT(*) FROM outbox o WHERE o.unionid = a.unionid AND o.template = 'gift'
         AND o.channel = 'mp_subscribe' AND o.state = 'sent'),
      (SELECT COUNT(*) FROM outbox o WHERE o.unionid = a.unionid AND o.template = 'gift'
         AND o.channel = 'mp_subscribe' AND o.state = 'unknown')
    FROM accounts a LEFT JOIN subscription_grants g ON g.app = 'mp' AND g.openid = a.mp_openid
      AND g.template_id = 'TPL_GIFT_MP'
    WHERE a.mp_openid <> '' GROUP BY a.unionid ORDER BY a.unionid" >"$w.grants"
  sql -N "$name" -e "SELECT state, channel, COUNT(*) FROM outbox WHERE template = 'gift'
    GROUP BY state, channel" >"$w.gift_states"
  # Per real-time user: unionid, oa_openid, events, events not announced by a notice, notices
  # (the window row), outbox rows of notices, of them sent, first and last arrival (ms).
  sql -N "$name" -e "SELECT w.unionid, a.oa_openid,
      (SELECT COUNT(*) FROM events e WHERE e.unionid = w.unionid AND e.type = 'alert'),
      (SELECT COUNT(*) FROM events e WHERE e.unionid = w.unionid AND e.type = 'alert' AND e.notice <= 0),
      w.notices,
      (SELECT COUNT(*) FROM outbox o WHERE o.idempotency_key LIKE CONCAT('realtime:', w.unionid, ':%')),
      (SELECT COUNT(*) FROM outbox o WHERE o.idempotency_key LIKE CONCAT('realtime:', w.unionid, ':%') AND o.state = 'sent'),
      (SELECT MIN(created_at) FROM events e WHERE e.unionid = w.unionid AND e.type = 'alert'),
      (SELECT MAX(created_at) FROM events e WHERE e.unionid = w.unionid AND e.type = 'alert')
    FROM notice_windows w JOIN accounts a ON a.unionid = w.unionid ORDER BY w.unionid" >"$w.realtime"
  sql -N "$name" -e "SELECT delivery, COUNT(*) FROM outbox WHERE delivery <> '' GROUP BY delivery" >"$w.receipts"
  sql -N "$name" -e "SELECT state, COUNT(*), SUM(fires), SUM(misfires), SUM(unreachable) FROM schedules
    GROUP BY state" >"$w.schedules"
  sql -N "$name" -e "SELECT COUNT(*) FROM callback_pushes" >"$w.pushes_recorded"
  sql -N "$name" -e "SELECT COUNT(*) FROM callback_jobs" >"$w.jobs_left"
  count_pushes
  echo "${push_counts[*]}" >"$w.push_outcomes"
  log "$name: $(cat "$w.seconds") s; outbox $(cat "$w.states");" \
    "stats $(jq -c '{faults, errcodes, tokens_issued}' "$w.stats")"
}

run soak_clean 0
run soak_faults 1

# The checks.
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }
c=$work/soak_clean f=$work/soak_faults
# Digest, direct and reminder deliveries are the same in both runs; real-time notices and gift
# messages depend on timing (how events fall into windows, which message a refunded grant pays
# for) and have rules of their own below.
fixed() { awk -F'\t' '$3 == "TPL_DAILY" || $3 == "TPL_ORDER" || $3 == "TPL_REMIND"' "$1"; }
fixed "$c.deliveries" >"$c.fixed"
fixed "$f.deliveries" >"$f.fixed"
expected=$(wc -l <"$c.fixed")
check "the accounts table equals the clean run's ($(wc -l <"$f.accounts") rows)" \
  "cmp -s '$c.accounts' '$f.accounts'"
check "the pushed follows ($((pushes / 2))) and unfollows ($((pushes / 2))) are in it" \
  "[ \$(awk -F'\t' '\$1 ~ /^uSoakFollower/ && \$3 == 1' '$f.accounts' | wc -l) = $((pushes / 2)) ] &&
   [ \$(awk -F'\t' 'NR == FNR { u[\$1]; next } \$2 in u && \$3 == 0' '$work/unfollow.openids' '$f.accounts' | wc -l) = $((pushes / 2)) ]"
check "one delivery per client_msg_id" "[ -z \"\$(cut -f1 '$f.deliveries' | sort | uniq -d)\" ]"
check "each user, template and text of the digest, direct messages and reminders delivered once" \
  "[ -z \"\$(cut -f2- '$f.fixed' | sort | uniq -d)\" ]"
check "the same digest, direct and reminder deliveries as the clean run ($expected)" \
  "cmp -s <(cut -f2- '$c.fixed' | sort) <(cut -f2- '$f.fixed' | sort)"
check "every direct message delivered ($messages)" \
  "[ \"\$(grep -c \$'\tTPL_ORDER\t' '$f.deliveries')\" = $messages ]"
check "every reminder delivered once ($schedules)" \
  "[ \"\$(awk -F'\t' '\$3 == \"TPL_REMIND\" { print \$4 }' '$f.deliveries' | sort -u | wc -l)\" = $schedules ] &&
   [ \"\$(grep -c \$'\tTPL_REMIND\t' '$f.deliveries')\" = $schedules ]"
check "every reminder fired once, none missed or unreachable ($(xargs <"$f.schedules"))" \
  "[ \"\$(cat '$f.schedules')\" = \"\$(printf 'finished\t%s\t%s\t0\t0' $schedules $schedules)\" ]"

# Real-time notices, both runs: every event announced by exactly one notice, the notices' counts
# add up to the user's events (a "many" message counts what it merges), one delivery per notice,
# and at most 2 + span/window notices per user (each opens a window of T from its due time, the
# last is due at most T after the last event).
rt_check() {
  local w=$work/$1
  check "$1: real-time users and events ($rt_users users, 6 events each) all announced by a notice" \
    "[ \$(wc -l <'$w.realtime') = $rt_users ] && [ -z \"\$(awk -F'\t' '\$3 != 6 || \$4 != 0' '$w.realtime')\" ]"
  check "$1: one outbox row per notice, each sent" \
    "[ -z \"\$(awk -F'\t' '\$5 != \$6 || \$6 != \$7' '$w.realtime')\" ]"
  check "$1: at most 2 + span/window notices a user (max $(awk -F'\t' '$5 > m { m = $5 } END { print m + 0 }' "$w.realtime"))" \
    "[ -z \"\$(awk -F'\t' -v t=$((throttle * 1000)) '\$5 > 2 + int((\$9 - \$8) / t)' '$w.realtime')\" ]"
  check "$1: the delivered notices of each user announce their 6 events once (single 1, many its count)" \
    "[ -z \"\$(awk -F'\t' 'NR == FNR { if (\$3 == \"TPL_RT1\") { n[\$2]++; s[\$2]++ }
        else if (\$3 == \"TPL_RTN\") { n[\$2]++; split(\$4, a, \" \"); s[\$2] += a[1] } next }
      !(\$2 in n) || n[\$2] != \$5 || s[\$2] != 6' '$w.deliveries' '$w.realtime')\" ]"
}
rt_check soak_clean
rt_check soak_faults

# Grants, both runs: what the ledger holds plus what was spent (sent, or unknown: a timeout on
# a subscribe send, never resent) is what was given - a refund on each fault errcode, no grant
# spent twice; the platform never answered 43101 (the ledger never believed a grant it lacked);
# the platform delivered as many subscribe messages per user as the store says sent; every gift
# message delivered once (on either channel) unless left unknown.
grant_check() {
  local w=$work/$1 total=$((grant_users * (grants + 1)))
  check "$1: ledger + spent = given ($grants) for each of $grant_users users" \
    "[ \$(wc -l <'$w.grants') = $grant_users ] && [ -z \"\$(awk -F'\t' '\$2 + \$3 + \$4 != $grants' '$w.grants')\" ]"
  check "$1: no 43101 from the platform" "[ \"\$(jq '.errcodes[\"43101\"] // 0' '$w.stats')\" = 0 ]"
  check "$1: the platform's subscribe deliveries equal the sent subscribe messages ($(wc -l <"$w.subscribe"))" \
    "[ \$(wc -l <'$w.subscribe') = \$(awk -F'\t' '{ s += \$3 } END { print s + 0 }' '$w.grants') ]"
  local unknown
  unknown=$(awk -F'\t' '{ s += $4 } END { print s + 0 }' "$w.grants")
  check "$1: every gift message delivered once ($total, $unknown unknown after a timeout)" \
    "{ awk -F'\t' '\$3 == \"TPL_GIFT\" { print \$4 }' '$w.deliveries'; cut -f3 '$w.subscribe'; } | sort >'$w.gifts' &&
     [ -z \"\$(uniq -d '$w.gifts')\" ] && [ \$(grep -c '^gift ' '$w.gifts') = \$(($total - unknown)) ]"
}
grant_check soak_clean
grant_check soak_faults
check "soak_clean: no gift message unknown" "[ -z \"\$(awk -F'\t' '\$4 != 0' '$c.grants')\" ]"

# Pushes: each distinct push recorded and applied once, every repeat a duplicate; the receipts on
# their messages; no callback job left or given up.
distinct=$((pushes + receipts))
sent_pushes=$(($(wc -l <"$work/follows.push") + $(wc -l <"$work/receipts.push")))
read -r applied duplicate <"$f.push_outcomes"
check "pushes recorded once ($(cat "$f.pushes_recorded") of $distinct distinct)" "[ \$(cat '$f.pushes_recorded') = $distinct ]"
check "pushes applied once ($applied), repeats duplicates ($duplicate of $((sent_pushes - distinct)))" \
  "[ $applied = $distinct ] && [ $duplicate = $((sent_pushes - distinct)) ]"
check "receipts on their messages ($(xargs <"$f.receipts"))" \
  "[ \"\$(cat '$f.receipts')\" = \"\$(printf 'delivered\t%s\nfailed\t%s' $((receipts - receipts / 10)) $((receipts / 10)))\" ]"
check "no callback job left" "[ \$(cat '$f.jobs_left') = 0 ]"

unknown=$(awk -F'\t' '{ s += $4 } END { print s + 0 }' "$f.grants")
check "nothing left pending or sending, unknown only subscribe messages after a timeout ($(cat "$f.states"))" \
  "! grep -qE 'pending|sending' '$f.states' && [ \"\$(grep -o 'unknown=[0-9]*' '$f.states' | cut -d= -f2)\" = \"\$([ $unknown = 0 ] || echo $unknown)\" ]"
check "no forced refresh refused (45011)" "[ \"\$(jq '.errcodes[\"45011\"] // 0' '$f.stats')\" = 0 ]"
check "at most 20 forced refreshes ($(cat "$f.forced"))" "[ \"\$(cat '$f.forced')\" -le 20 ]"
issued=$(jq '.tokens_issued.oa + .tokens_issued.mp' "$f.stats")
check "tokens issued ($issued) at most one per token kill, plus 4" \
  "[ $issued -le \$(( \$(jq '[.calls[]] | add' '$f.stats') / token_every + 4 )) ]"
check "the faults happened" "[ \"\$(jq '.faults.http_500 * .faults.busy * .faults.timeout' '$f.stats')\" -gt 0 ]"
check "the quota was hit" "[ \"\$(jq '.errcodes[\"45009\"] // 0' '$f.stats')\" -gt 0 ]"
check "tokens were killed (40001 answered)" "[ \"\$(jq '.errcodes[\"40001\"] // 0' '$f.stats')\" -gt 0 ]"

calls=$(jq '[.calls[]] | add' "$f.stats")
clean_calls=$(jq '[.calls[]] | add' "$c.stats")
sub_calls=$(jq '.calls["/cgi-bin/message/subscribe/send"] // 0' "$f.stats")
jq -c -n --argjson followers "$followers" --argjson du "$digest_users" --argjson m "$messages" \
  --argjson cs "$(cat "$c.seconds")" --argjson fs "$(cat "$f.seconds")" \
  --argjson delivered "$(($(wc -l <"$f.deliveries") + $(wc -l <"$f.subscribe")))" --slurpfile st "$f.stats" \
  --argjson forced "$(cat "$f.forced")" --argjson retried $((calls - clean_calls)) \
  --argjson rtu "$rt_users" --argjson cn "$(awk -F'\t' '{ s += $5 } END { print s + 0 }' "$c.realtime")" \
  --argjson fn "$(awk -F'\t' '{ s += $5 } END { print s + 0 }' "$f.realtime")" \
  --argjson sched "$schedules" --argjson gu "$grant_users" --argjson given $((grant_users * grants)) \
  --argjson sub "$(wc -l <"$f.subscribe")" --argjson unknown "$unknown" --argjson subcalls "$sub_calls" \
  --argjson pd "$distinct" --argjson ps "$sent_pushes" --argjson pa "$applied" --argjson pdup "$duplicate" \
  --argjson cores "$(nproc)" --argjson load1 "$load1" --argjson ok $((1 - fail)) '
  {bench: "soak", followers: $followers, digest_users: $du, messages: $m, clean_s: $cs,
   soak_s: $fs, delivered: $delivered,
   faults: {http_500: $st[0].faults.http_500, busy: $st[0].faults.busy,
            timeout: $st[0].faults.timeout, dead_token_answers: ($st[0].errcodes["40001"] // 0),
            quota_45009: ($st[0].errcodes["45009"] // 0)},
   token_refreshes: {issued: ($st[0].tokens_issued.oa + $st[0].tokens_issued.mp), forced: $forced},
   retried_calls: $retried,
   realtime: {users: $rtu, events: ($rtu * 6), notices_clean: $cn, notices_faults: $fn},
   reminders: $sched,
   grants: {users: $gu, given: $given, subscribe_sent: $sub, subscribe_calls: $subcalls, unknown: $unknown},
   pushes: {distinct: $pd, sent: $ps, applied: $pa, duplicate: $pdup},
   checks_passed: ($ok == 1), cores: $cores, load1_before: $load1}'
exit "$fail"
