#!/usr/bin/env bash
# The event push at scale (issue #13): PUSHES distinct pushes in safe mode (subscribe,
# unsubscribe and TEMPLATESENDJOBFINISH in turn, each from its own openid) plus REPEAT_RATIO
# of them sent again, from SENDERS keep-alive connections (bench/callback_driver.cpp), against
# `wxbridge serve` on a throwaway MariaDB, with fake-wechat as the platform (the worker's
# user/info calls go there). The outbox is seeded with one sent message per receipt's msgid, so
# every receipt has its row. Then the exactly-once check: every distinct push recorded once
# (callback_pushes), applied once (serve's pushes_total: applied = distinct, duplicate =
# repeats), each subscribe/unsubscribe openid one account, each receipt on its outbox row, and
# every reply a 200.
# Prints the driver's report on stderr and one JSON line last:
#   {"bench":"callback","distinct":N,"sent":M,"pushes_per_s":R,"p50_ms":..,"p99_ms":..,
#    "max_ms":..,"applied":N,"duplicate":D,"exactly_once":true,"senders":S,"cores":K}
# Targets: >= 3,000 pushes/s, reply p99 < 50 ms. Exits 1 when the exactly-once check fails.
# Environment: WXB_BUILD_DIR (default build/; wxbridge, fake-wechat and callback-bench must be
# built there), PUSHES (50000), REPEAT_RATIO (0.1), SENDERS (32), CALLBACK_SETS (extra --set
# pairs for serve, space-separated), KEEP_DB=1 to leave MariaDB running (and reuse one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
no_arguments "$@"
pushes=${PUSHES:-50000}
repeat_ratio=${REPEAT_RATIO:-0.1}
senders=${SENDERS:-32}
keep_db=${KEEP_DB:-0}
read -r -a sets <<<"${CALLBACK_SETS:-store.pool_size=16}"
token=wxbenchtoken
aes_key=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG
msgid_base=7000000000
db=bench_callback
need_built wxbridge fake-wechat callback-bench
need curl mariadb
start_db "$build/bench-callback-mariadb"
fresh_db "$db"
start_listener fake "$build/fake-wechat" --port 0 --followers 10 --seed 7
wxb_args "$db" --set http.port=0 --set http.drain_seconds=2 \
  --set http.max_connections_per_ip=$((2 * senders + 16)) \
  --set logging.loggers.root.level=warning \
  --set callback.token=$token --set callback.aes_key=$aes_key --set callback.encryption=safe
"$build/wxbridge" "${args[@]}" migrate >"$work/migrate.out"

# One sent outbox message per receipt (every third push, i % 3 == 2): msgid = base + i.
awk -v n="$pushes" -v base="$msgid_base" 'BEGIN {
  for (i = 2; i < n; i += 3) printf "bench:%d\t%d\tsent\t%d\t1\t1\n", i, base + i, 1
}' >"$work/outbox.tsv"
sql "$db" -e "LOAD DATA LOCAL INFILE '$work/outbox.tsv' INTO TABLE outbox
  (idempotency_key, msgid, state, sent_at, created_at, updated_at)
  SET template = 'daily', payload = '{}'"

start_listener serve "$build/wxbridge" "${args[@]}" serve
log "$pushes pushes (+$repeat_ratio repeated) from $senders senders, safe mode"
"$build/callback-bench" --url "$serve_base/wechat/callback" --pushes "$pushes" \
  --repeat-ratio "$repeat_ratio" --senders "$senders" --token "$token" --aes-key "$aes_key" \
  --appid wxfakeoa --msgid-base "$msgid_base" >"$work/driver.json"
cat "$work/driver.json" >&2
report=$(tail -1 "$work/driver.json")
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$report"; }
sent=$(field sent)
ok=$(sed -n 's/.*"200":\([0-9]*\).*/\1/p' <<<"$report")
metric() {
  curl -sf "$serve_base/metrics" | awk -v o="outcome=\"$1\"" \
    '/^wxbridge_callback_pushes_total\{/ && index($0, o) { s += $2 } END { printf "%d", s }'
}
applied=$(metric applied) duplicate=$(metric duplicate)
recorded=$(sql -N "$db" -e "SELECT COUNT(*) FROM callback_pushes")
follows=$(sql -N "$db" -e "SELECT COUNT(*) FROM accounts WHERE oa_openid LIKE 'oBench%'")
receipts=$(sql -N "$db" -e "SELECT COUNT(*) FROM outbox WHERE delivery <> ''")
want_follows=$((pushes - pushes / 3)) want_receipts=$(((pushes + 0) / 3))
log "replies 200: $ok/$sent; applied $applied, duplicate $duplicate; recorded $recorded;" \
  "accounts $follows/$want_follows; receipts $receipts/$want_receipts"
exactly_once=true
[ "$ok" = "$sent" ] && [ "$applied" = "$pushes" ] && [ "$duplicate" = "$((sent - pushes))" ] &&
  [ "$recorded" = "$pushes" ] && [ "$follows" = "$want_follows" ] &&
  [ "$receipts" = "$want_receipts" ] || exactly_once=false
printf '{"bench":"callback","distinct":%s,"sent":%s,"pushes_per_s":%s,"p50_ms":%s,"p99_ms":%s,' \
  "$pushes" "$sent" "$(field pushes_per_s)" "$(field p50_ms)" "$(field p99_ms)"
printf '"max_ms":%s,"applied":%s,"duplicate":%s,"exactly_once":%s,"senders":%s,"cores":%s}\n' \
  "$(field max_ms)" "$applied" "$duplicate" "$exactly_once" "$senders" "$(nproc)"
[ "$exactly_once" = true ] || die "exactly-once check failed"
