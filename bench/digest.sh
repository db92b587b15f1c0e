#!/usr/bin/env bash
# The unread digest at scale: ACCOUNTS following accounts (fake-wechat, every follower with a
# unionid, zero latency), synced into a throwaway MariaDB with `wxbridge sync`, each given three
# unread events (LOAD DATA), then one `wxbridge digest` under /usr/bin/time -v: it builds the
# digest and delivers the outbox in the foreground. Checks that the fake received exactly one
# message per account. Then the ceiling: a fresh fake-wechat alone, driven by wrk (keep-alive,
# CONNECTIONS, DURATION) with template sends of unique client_msg_ids and a valid token.
# Prints the digest summary and wrk's report, then one JSON line last:
#   {"bench":"digest","accounts":N,"sent":N,"total_s":T,"sends_per_s":R,"build_s":B,
#    "peak_rss_mb":M,"cpu_s":{"mariadb":D,"fake":F},"ceiling_sends_per_s":C,
#    "ratio_to_ceiling":X,"sets":"...","cores":K}
# sends_per_s is end to end: accounts / the whole `wxbridge digest` run (build + delivery).
# Environment: WXB_BUILD_DIR (default build/; wxbridge and fake-wechat must be there),
# ACCOUNTS (100000), DIGEST_SETS (extra --set pairs, space-separated; default
# "notify.qps=100000 notify.workers=4 store.pool_size=16 notify.budget.oa_template=100000000":
# the budget so that the digest class, which leaves 10% of the daily budget to direct messages,
# is not held at 90% of the default 100000 - the fake's own quota is the platform's limit here), CONNECTIONS (32), DURATION (10),
# KEEP_DB=1 to leave MariaDB running (and to reuse one left running). Targets: >= 2,000
# sends/s and >= 50% of the ceiling.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
no_arguments "$@"
accounts=${ACCOUNTS:-100000}
read -r -a sets <<<"${DIGEST_SETS:-notify.qps=100000 notify.workers=4 store.pool_size=16 notify.budget.oa_template=100000000}"
connections=${CONNECTIONS:-32}
duration=${DURATION:-10}
keep_db=${KEEP_DB:-0}
need_built wxbridge fake-wechat
need wrk curl /usr/bin/time
start_db "$build/bench-digest-mariadb"
fresh_db bench_digest

start_fake() {
  start_listener fake "$build/fake-wechat" --port 0 --followers "$accounts" --unionid-ratio 1 --seed 7
}

start_fake
wxb_args bench_digest --set wechat.mp.appid=wxfakemp --set sync.qps=0 \
  --set notify.digest.template=daily --set templates.daily.template_id=TPL_DAILY \
  --set templates.daily.miniprogram.pagepath=pages/inbox/index \
  --set templates.daily.data.keyword1=MyApp --set "templates.daily.data.keyword2={{summary}}" \
  --set notify.types.chat.label=chats --set notify.types.invitation.label=invites

log "seeding $accounts accounts (wxbridge sync) and their unread events"
"$build/wxbridge" "${args[@]}" sync >"$work/sync.json" 2>"$work/sync.err" ||
  { cat "$work/sync.err" >&2; exit 1; }
curl -sf "$fake_base/__fake/followers" | sed -n 's/.*"unionid":"\([^"]*\)".*/\1/p' |
  awk -v OFS='\t' '{ print "c1-" $1, $1, "chat", "Ann", "hi"; print "c2-" $1, $1, "chat", "Ann", "hi";
                     print "i-" $1, $1, "invitation", "Bob", "join us" }' >"$work/events.tsv"
sql bench_digest -e "LOAD DATA LOCAL INFILE '$work/events.tsv' INTO TABLE events
  (event_id, unionid, type, actor, text) SET created_at = 1"

# CPU seconds (user + system) process $1 has used since it had used $2 ticks.
cpu_s_since() { awk -v a="$2" -v b="$(cpu_ticks "$1")" -v hz="$tck" 'BEGIN { printf "%.1f", (b - a) / hz }'; }
db_cpu0=$(cpu_ticks "$db_pid") fake_cpu0=$(cpu_ticks "$fake_pid")
log "wxbridge digest"
start=$(now)
/usr/bin/time -v "$build/wxbridge" "${args[@]}" digest >"$work/digest.json" 2>"$work/digest.err" ||
  { tail -20 "$work/digest.err" >&2; exit 1; }
end=$(now)
db_cpu=$(cpu_s_since "$db_pid" "$db_cpu0") fake_cpu=$(cpu_s_since "$fake_pid" "$fake_cpu0")
log "CPU seconds during the digest: MariaDB $db_cpu, fake-wechat $fake_cpu"
cat "$work/digest.json"
grep -E "User time|System time|Percent of CPU|Elapsed" "$work/digest.err" | sed "s/^\s*/$me: wxbridge /" >&2
sent=$(sed -n 's/.*"sent":\([0-9]*\).*/\1/p' "$work/digest.json")
build_ms=$(sed -n 's/.*"duration_ms":\([0-9]*\).*/\1/p' "$work/digest.json")
rss_kb=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$work/digest.err")
curl -sf "$fake_base/__fake/messages" >"$work/messages.ndjson"
messages=$(wc -l <"$work/messages.ndjson")
users=$(sed -n 's/.*"touser":"\([^"]*\)".*/\1/p' "$work/messages.ndjson" | sort -u | wc -l)
if [ "$sent" != "$accounts" ] || [ "$messages" != "$accounts" ] || [ "$users" != "$accounts" ]; then
  die "expected $accounts messages to $accounts users; sent $sent, delivered $messages to $users"
fi
stop_listener fake

log "ceiling: wrk against a fresh fake-wechat's template/send"
start_fake
token=$(curl -sf -X POST "$fake_base/cgi-bin/stable_token" \
  -d '{"grant_type":"client_credential","appid":"wxfakeoa","secret":"oasecret"}' |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
curl -sf "$fake_base/__fake/followers" >"$work/followers.ndjson"
openid=$(head -1 "$work/followers.ndjson" | sed -n 's/.*"openid":"\([^"]*\)".*/\1/p')
[ -n "$token" ] && [ -n "$openid" ] || die "no token or follower"
TOUSER=$openid wrk -t2 -c"$connections" -d"${duration}s" -s "$root/bench/template_send.lua" \
  "$fake_base/cgi-bin/message/template/send?access_token=$token" |
  sed 's/access_token=[^ ]*/access_token=(hidden)/' | tee "$work/wrk.out" >&2
ceiling=$(rps "$work/wrk.out")
ok=$(curl -sf "$fake_base/__fake/stats" | sed -n 's/.*"errcodes":{[^}]*"0":\([0-9]*\).*/\1/p')
log "the fake answered ${ok:-0} template sends with errcode 0"

awk -v a="$accounts" -v s="$sent" -v t0="$start" -v t1="$end" -v b="$build_ms" -v r="$rss_kb" \
  -v c="$ceiling" -v sets="${sets[*]}" -v cores="$(nproc)" -v dbc="$db_cpu" -v fc="$fake_cpu" 'BEGIN {
    total = t1 - t0; rate = s / total;
    printf "{\"bench\":\"digest\",\"accounts\":%d,\"sent\":%d,\"total_s\":%.2f,\"sends_per_s\":%d,", a, s, total, rate
    printf "\"build_s\":%.2f,\"peak_rss_mb\":%.1f,", b / 1000, r / 1024
    printf "\"cpu_s\":{\"mariadb\":%s,\"fake\":%s},\"ceiling_sends_per_s\":%d,", dbc, fc, c
    printf "\"ratio_to_ceiling\":%.2f,\"sets\":\"%s\",\"cores\":%d}\n", rate / c, sets, cores }'
