#!/usr/bin/env bash
# The fault soak (issue #17): the same work twice, on two `wxbridge serve` instances sharing a
# throwaway MariaDB - once against a clean fake-wechat, once against one with faults: 5% HTTP
# 500, 3% errcode -1, 1% calls held past the client's timeout, every app token killed after
# each 1,000 calls that use one, and the template-send daily quota spent once half way
# (45009). The work: a sync of FOLLOWERS followers (POST /v1/sync:run), DIGEST_USERS users
# given two unread events each (POST /v1/events, half through each instance) and a digest
# (`wxbridge digest`, built while the instances deliver), and MESSAGES direct messages
# (POST /v1/messages, half through each instance, while the digest runs).
# When the 45009 comes, the script plays midnight: it lifts the fake's quota and the stored
# pause, and makes the paused messages due (wxbridge itself would wait for China's midnight).
# Checks, failing with exit 1: every request accepted; the sync completed; the accounts table
# identical to the clean run's; every message delivered exactly once (one delivery per
# client_msg_id, the same deliveries - user, template, text - as the clean run, each once); no
# message left pending, sending or unknown; the token refreshes within the platform's limits
# (no 45011, at most 20 forced refreshes a day).
# Prints each run's figures on stderr, then one JSON line last:
#   {"bench":"soak","followers":N,"digest_users":N,"messages":N,"clean_s":T,"soak_s":T,
#    "delivered":N,"faults":{"http_500":N,"busy":N,"timeout":N,"dead_token_answers":N,"quota_45009":N},
#    "token_refreshes":{"issued":N,"forced":N},"retried_calls":N,"cores":C,"load1_before":L}
# Environment: WXB_BUILD_DIR (default build/; wxbridge and fake-wechat are built if missing),
# FOLLOWERS (100000), DIGEST_USERS (10000), MESSAGES (5000), TOKEN_EVERY (1000: calls between
# token kills; a small run needs fewer), SEED (3), DEADLINE (1800: seconds each run may take to
# deliver everything), KEEP_DB=1 to leave MariaDB running.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
. "$root/bench/serve_lib.sh"
no_arguments "$@"
followers=${FOLLOWERS:-100000}
digest_users=${DIGEST_USERS:-10000}
messages=${MESSAGES:-5000}
seed=${SEED:-3}
token_every=${TOKEN_EVERY:-1000}
deadline=${DEADLINE:-1800}
keep_db=${KEEP_DB:-0}
sets=()
need curl jq sha256sum
build_missing wxbridge fake-wechat
load1=$(cut -d' ' -f1 /proc/loadavg)
start_db "$build/bench-soak-mariadb"

# The requests (the same for both runs): events to the first DIGEST_USERS followers with a
# unionid, two each, plus one for a unionid nobody has; messages to followers in turn.
requests() {
  awk -F'\t' -v n="$digest_users" 'NR <= n {
      printf "/v1/events\t{\"event_id\":\"e1-%s\",\"unionid\":\"%s\",\"type\":\"chat\",\"actor\":\"Ann\"}\n", $1, $1
      printf "/v1/events\t{\"event_id\":\"e2-%s\",\"unionid\":\"%s\",\"type\":\"chat\",\"text\":\"hi\"}\n", $1, $1 }
    END { print "/v1/events\t{\"event_id\":\"e-nobody\",\"unionid\":\"nobodyHasThisUnionid\",\"type\":\"chat\"}" }' \
    "$work/followers.tsv" >"$work/events.req"
  awk -F'\t' -v m="$messages" '{ u[NR] = $1 } END { for (i = 0; i < m; i++)
      printf "/v1/messages\t{\"idempotency_key\":\"soak-%d\",\"unionid\":\"%s\",\"template\":\"order\",\"params\":{\"title\":\"order %d\"}}\n", i, u[i % NR + 1], i }' \
    "$work/followers.tsv" >"$work/messages.req"
}

# post_split NAME: the lines of $work/NAME.req, odd ones to serve a and even ones to serve b,
# concurrently; fails unless every answer is 202.
post_split() {
  awk "NR % 2 == 1" "$work/$1.req" >"$work/$1.a.req"
  awk "NR % 2 == 0" "$work/$1.req" >"$work/$1.b.req"
  post_file "$a_base" "$work/$1.a.req" "$work/$1.a.status" &
  post_file "$b_base" "$work/$1.b.req" "$work/$1.b.status"
  wait $!
  local bad
  bad=$(cat "$work/$1.a.status" "$work/$1.b.status" | grep -cv '^202$' || true)
  [ "$bad" = 0 ] || die "$bad of $(wc -l <"$work/$1.req") $1 requests were not answered 202"
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

# midnight DB: what the quota's reset at midnight would do, once the first 45009 came.
midnight() {
  curl -sf -X POST "$fake_base/__fake/config" -d '{"quota":{"template_send":-1}}' >/dev/null
  local now_ms=$(($(date +%s%3N)))
  sql "$1" -e "DELETE FROM send_pauses;
    UPDATE outbox SET due_at = $now_ms WHERE state = 'pending' AND errcode = 45009"
  log "45009 seen: quota lifted, pause cleared, paused messages due now (midnight played)"
}

# wait_delivered DB FAULTY: until nothing in the outbox may move any more.
wait_delivered() {
  local end=$((SECONDS + deadline)) played=0
  while [ "$(outbox_busy "$1")" != 0 ]; do
    [ $SECONDS -lt $end ] || die "not delivered after ${deadline}s: $(outbox_states "$1")"
    if [ "$2" = 1 ] && [ $played = 0 ] && [ "$(fake_stat '.errcodes["45009"]')" != 0 ]; then
      midnight "$1"
      played=1
    fi
    sleep 1
  done
}

# run NAME FAULTY: one whole run into database NAME; leaves NAME.accounts, NAME.deliveries,
# NAME.states and NAME.stats in $work and the run's seconds in NAME.seconds.
run() {
  local name=$1 faults=()
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
  log "$name: events, then the digest alongside $messages direct messages"
  post_split events
  "$build/wxbridge" "${args[@]}" digest >"$work/$name.digest.json" 2>"$work/$name.digest.err" &
  local digest=$!
  post_split messages
  wait "$digest" || { cat "$work/$name.digest.err" >&2; die "wxbridge digest failed"; }
  wait_delivered "$name" "$2"
  echo $((SECONDS - t0)) >"$work/$name.seconds"
  sql -N "$name" -e "SELECT unionid, oa_openid, subscribed, mp_openid FROM accounts
    ORDER BY oa_openid" >"$work/$name.accounts"
  deliveries "$work/$name.deliveries"
  outbox_states "$name" >"$work/$name.states"
  curl -sf "$fake_base/__fake/stats" >"$work/$name.stats"
  sql -N "$name" -e "SELECT COALESCE(SUM(count), 0) FROM token_refreshes" >"$work/$name.forced"
  log "$name: $(cat "$work/$name.seconds") s; outbox $(cat "$work/$name.states");" \
    "stats $(jq -c '{faults, errcodes, tokens_issued}' "$work/$name.stats")"
  stop_listener a
  stop_listener b
  stop_listener fake
  [ "$keep_db" = 1 ] || sql -e "DROP DATABASE $name"
}

run soak_clean 0
run soak_faults 1

# The checks.
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }
c=$work/soak_clean f=$work/soak_faults
expected=$(wc -l <"$c.deliveries")
check "the accounts table equals the clean run's ($(wc -l <"$f.accounts") rows)" \
  "cmp -s '$c.accounts' '$f.accounts'"
check "one delivery per client_msg_id" "[ -z \"\$(cut -f1 '$f.deliveries' | sort | uniq -d)\" ]"
check "each user, template and text delivered once" \
  "[ -z \"\$(cut -f2- '$f.deliveries' | sort | uniq -d)\" ]"
check "the same deliveries as the clean run ($expected)" \
  "cmp -s <(cut -f2- '$c.deliveries' | sort) <(cut -f2- '$f.deliveries' | sort)"
check "every direct message delivered ($messages)" \
  "[ \"\$(grep -c \$'\tTPL_ORDER\t' '$f.deliveries')\" = $messages ]"
check "nothing left pending, sending or unknown ($(cat "$f.states"))" \
  "! grep -qE 'pending|sending|unknown' '$f.states'"
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
jq -c -n --argjson followers "$followers" --argjson du "$digest_users" --argjson m "$messages" \
  --argjson cs "$(cat "$c.seconds")" --argjson fs "$(cat "$f.seconds")" \
  --argjson delivered "$(wc -l <"$f.deliveries")" --slurpfile st "$f.stats" \
  --argjson forced "$(cat "$f.forced")" --argjson retried $((calls - clean_calls)) \
  --argjson cores "$(nproc)" --argjson load1 "$load1" --argjson ok $((1 - fail)) '
  {bench: "soak", followers: $followers, digest_users: $du, messages: $m, clean_s: $cs,
   soak_s: $fs, delivered: $delivered,
   faults: {http_500: $st[0].faults.http_500, busy: $st[0].faults.busy,
            timeout: $st[0].faults.timeout, dead_token_answers: ($st[0].errcodes["40001"] // 0),
            quota_45009: ($st[0].errcodes["45009"] // 0)},
   token_refreshes: {issued: ($st[0].tokens_issued.oa + $st[0].tokens_issued.mp), forced: $forced},
   retried_calls: $retried, checks_passed: ($ok == 1), cores: $cores, load1_before: $load1}'
exit "$fail"
