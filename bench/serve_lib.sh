# shellcheck shell=bash disable=SC2034
# What bench/soak.sh and bench/crash.sh share; sourced after bench/lib.sh, not run on its own.
# wxbridge's settings for serve instances on one MariaDB with two templates (`order` for direct
# messages, `daily` for the digest), request files posted over one keep-alive curl, and the
# reading of what fake-wechat delivered. Needs fake_base (start_listener fake ...) and db_url.

api_key=bench-reliability-key
api_key_sha=$(printf %s "$api_key" | sha256sum | cut -d' ' -f1)

# bridge_args DB [ARG...]: wxb_args for DB with the templates, the MP appid, warning-level logs
# and short platform timeouts (a held call times out after 1 s), then ARG... The templates:
# `daily` (the digest), `order` (direct messages), `remind` (reminders), `rt_one` / `rt_many`
# (real-time notices of type `alert`, a window of $throttle s, default 2), `gift` (an OA form
# and an mp_subscribe form TPL_GIFT_MP; "channel":"auto" tries mp_subscribe first). The OA's
# push is accepted plain or safe with fake-wechat's default token and EncodingAESKey.
bridge_args() {
  wxb_args "$1" --set wechat.mp.appid=wxfakemp --set wechat.read_timeout_ms=1000 \
    --set notify.digest.template=daily --set templates.daily.template_id=TPL_DAILY \
    --set templates.daily.miniprogram.pagepath=pages/inbox/index \
    --set "templates.daily.data.keyword1={{summary}}" --set notify.types.chat.label=chats \
    --set templates.order.template_id=TPL_ORDER \
    --set templates.order.miniprogram.pagepath=pages/order/index \
    --set "templates.order.data.keyword1={{params.title}}" \
    --set templates.remind.template_id=TPL_REMIND \
    --set "templates.remind.data.keyword1={{params.title}}" \
    --set notify.types.alert.realtime=true --set "notify.throttle_seconds=${throttle:-2}" \
    --set notify.realtime.single=rt_one --set notify.realtime.many=rt_many \
    --set templates.rt_one.template_id=TPL_RT1 --set "templates.rt_one.data.keyword1={{text}}" \
    --set templates.rt_many.template_id=TPL_RTN \
    --set "templates.rt_many.data.keyword1={{total}} new" \
    --set templates.gift.template_id=TPL_GIFT --set "templates.gift.data.keyword1={{params.title}}" \
    --set templates.gift.variants.mp_subscribe.template_id=TPL_GIFT_MP \
    --set templates.gift.variants.mp_subscribe.page=pages/gift/index \
    --set "templates.gift.variants.mp_subscribe.data.thing1={{params.title}}" \
    --set "notify.channels=mp_subscribe, oa_template" \
    --set callback.token=wxfaketoken --set callback.encryption=compatible \
    --set callback.aes_key=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG \
    --set logging.loggers.root.level=warning "${@:2}"
}

# start_serve NAME [PORT]: `wxbridge serve` with $args on PORT (default: a free one), as
# start_listener NAME; sets NAME_port too.
start_serve() {
  local name=$1 port=${2:-0} base
  start_listener "$name" "$build/wxbridge" "${args[@]}" --set http.port="$port" \
    --set http.api_keys_sha256="$api_key_sha" --set http.drain_seconds=1 serve
  base=${name}_base
  printf -v "${name}_port" %s "${!base##*:}"
}

# api METHOD BASE PATH [BODY]: one /v1 call with the API key; prints the body.
api() {
  curl -s -X "$1" -H "Authorization: Bearer $api_key" -H 'Content-Type: application/json' \
    ${4:+--data-binary "$4"} "$2$3"
}

# post_file BASE IN OUT: POSTs every line of IN ("PATH<TAB>JSON") to BASE in order over one
# keep-alive curl; writes one HTTP status a line to OUT (000 when no answer came).
post_file() {
  local base=$1 in=$2 out=$3
  awk -F'\t' -v base="$base" -v key="$api_key" '{
      gsub(/\\/, "\\\\", $2); gsub(/"/, "\\\"", $2)
      if (NR > 1) print "next"
      printf "url = \"%s%s\"\nheader = \"Authorization: Bearer %s\"\n", base, $1, key
      printf "header = \"Content-Type: application/json\"\ndata-binary = \"%s\"\n", $2
      printf "output = \"/dev/null\"\nwrite-out = \"%%{http_code}\\n\"\n" }' "$in" >"$in.curl"
  curl -s --max-time 3600 -K "$in.curl" >"$out" || true
  # curl stops writing at its first failed transfer only with --fail-early; pad what is missing.
  while [ "$(wc -l <"$out")" -lt "$(wc -l <"$in")" ]; do echo 000 >>"$out"; done
}

# followers_tsv FILE: the fake's followers that have a unionid, "unionid<TAB>openid", in order.
followers_tsv() {
  curl -sf "$fake_base/__fake/followers" | jq -r 'select(.unionid) | [.unionid, .openid] | @tsv' >"$1"
}

# deliveries FILE: the fake's template deliveries, one TSV line each:
# client_msg_id, touser, template_id, the shown keyword1.
deliveries() {
  curl -sf "$fake_base/__fake/messages" |
    jq -r 'select(.api == "template") |
      [.body.client_msg_id // "", .body.touser, .body.template_id, .shown.keyword1 // ""] | @tsv' >"$1"
}

# subscribe_deliveries FILE: the fake's MP subscribe deliveries, one TSV line each: touser (the
# MP openid), template_id, the value of thing1.
subscribe_deliveries() {
  curl -sf "$fake_base/__fake/messages" |
    jq -r 'select(.api == "subscribe") | [.body.touser, .body.template_id, .body.data.thing1.value] | @tsv' >"$1"
}

# push_file IN OUT: each line of IN is the JSON body of one POST /__fake/push (the fake signs it
# and posts it to its `url`), sent in order over one keep-alive curl; writes the push's own
# answer a line to OUT: "STATUS<TAB>BODY" (000 when the fake gave no answer).
push_file() {
  local in=$1 out=$2
  awk -v base="$fake_base" '{
      gsub(/\\/, "\\\\"); gsub(/"/, "\\\"")
      if (NR > 1) print "next"
      printf "url = \"%s/__fake/push\"\ndata-binary = \"%s\"\n", base, $0
      printf "header = \"Content-Type: application/json\"\n"
      printf "write-out = \"\\n\"\n" }' "$in" >"$in.curl"
  curl -s --max-time 3600 -K "$in.curl" | jq -r '[.status, .body] | @tsv' >"$out" || true
  while [ "$(wc -l <"$out")" -lt "$(wc -l <"$in")" ]; do printf '000\t\n' >>"$out"; done
}

# metric_sum NAME MATCH BASE...: the sum of the samples of metric NAME whose labels contain
# MATCH, over the /metrics of every BASE.
metric_sum() {
  local name=$1 match=$2 b; shift 2
  for b in "$@"; do curl -sf "$b/metrics"; done |
    awk -v n="$name{" -v m="$match" 'index($0, n) == 1 && index($0, m) { s += $2 } END { printf "%d", s }'
}

# schedule_requests N FIRST_S PER_S OUT: N one-shot reminders (template `remind`, title
# "rem I") to the first N followers of $work/followers.tsv, due from FIRST_S seconds after now,
# PER_S a second; writes them to OUT as post_file lines.
schedule_requests() {
  awk -F'\t' -v n="$1" -v t0="$(($(date +%s) + $2))" -v per="$3" 'NR <= n {
      s = strftime("%Y-%m-%dT%H:%M:%S", t0 + int((NR - 1) / per), 1)
      printf "/v1/schedules\t{\"unionid\":\"%s\",\"at\":\"%s+00:00\",\"template\":\"remind\",\"params\":{\"title\":\"rem %d\"}}\n", $1, s, NR }' \
    "$work/followers.tsv" >"$4"
}

# grant_logins UNIONIDS: each user of the file UNIONIDS (one unionid a line) logs in to the
# mini program (a code of the fake's, then POST /v1/mp/sessions through serve a, which calls
# jscode2session; what the platform's faults refused is tried again with the same code, which
# a refused call does not use up), reports $grants accepts of TPL_GIFT_MP (POST
# /v1/subscriptions, once each, through b), and the fake's ledger gets the same grants. Writes
# "unionid<TAB>mp_openid" to $work/grant.users. Each step is one keep-alive curl.
grant_logins() {
  local f=$work/grant try
  awk -v base="$fake_base" '{ if (NR > 1) print "next"
      printf "url = \"%s/__fake/codes\"\ndata-binary = \"{\\\"unionid\\\":\\\"%s\\\"}\"\nwrite-out = \"\\n\"\n", base, $1 }' \
    "$1" >"$f.codes.curl"
  curl -sf -K "$f.codes.curl" | jq -r '[.unionid, .mp_openid, .code] | @tsv' >"$f.codes"
  [ "$(wc -l <"$f.codes")" = "$(wc -l <"$1")" ] || die "the fake minted $(wc -l <"$f.codes") login codes of $(wc -l <"$1")"
  cut -f1,2 "$f.codes" >"$work/grant.users"
  awk -F'\t' '{ printf "/v1/mp/sessions\t{\"code\":\"%s\"}\n", $3 }' "$f.codes" >"$f.login.req"
  for try in $(seq 30); do
    post_file "$a_base" "$f.login.req" "$f.login.status"
    paste "$f.login.status" "$f.login.req" | awk -F'\t' '$1 != 200 { print $2 "\t" $3 }' >"$f.login.retry"
    [ -s "$f.login.retry" ] || break
    mv "$f.login.retry" "$f.login.req"
    sleep 0.2
  done
  [ ! -s "$f.login.retry" ] || die "$(wc -l <"$f.login.retry") mini-program logins failed 30 times"
  awk -F'\t' -v base="$fake_base" -v g="$grants" '{ if (NR > 1) print "next"
      printf "url = \"%s/__fake/grants\"\ndata-binary = \"{\\\"mp_openid\\\":\\\"%s\\\",\\\"template_id\\\":\\\"TPL_GIFT_MP\\\",\\\"count\\\":%d}\"\noutput = \"/dev/null\"\n", base, $2, g }' \
    "$work/grant.users" >"$f.fake.curl"
  curl -sf -K "$f.fake.curl" || die "the fake's grants could not be set"
  awk -F'\t' -v g="$grants" '{ for (k = 0; k < g; k++)
      printf "/v1/subscriptions\t{\"mp_openid\":\"%s\",\"results\":{\"TPL_GIFT_MP\":\"accept\",\"errMsg\":\"requestSubscribeMessage:ok\"}}\n", $2 }' \
    "$work/grant.users" >"$f.subs.req"
  post_file "$b_base" "$f.subs.req" "$f.subs.status"
  [ -z "$(grep -v '^200$' "$f.subs.status")" ] || die "not every POST /v1/subscriptions was answered 200"
}

# busy DB: what may still move - outbox rows, active reminders, users with held real-time
# events, callback jobs due.
busy() {
  echo $(($(outbox_busy "$1") + $(sql -N "$1" -e "SELECT
    (SELECT COUNT(*) FROM schedules WHERE state = 'active')
    + (SELECT COUNT(*) FROM notice_windows WHERE due_at IS NOT NULL)
    + (SELECT COUNT(*) FROM callback_jobs WHERE next_attempt_at IS NOT NULL)")))
}

# outbox_states DB: "state=N ..." of the outbox, for logs and checks.
outbox_states() {
  sql -N "$1" -e "SELECT state, COUNT(*) FROM outbox GROUP BY state ORDER BY state" |
    awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 }'
}

# outbox_busy DB: how many messages may still move (pending, sending, or unknown and due).
outbox_busy() {
  sql -N "$1" -e "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')
    OR (state = 'unknown' AND due_at IS NOT NULL)"
}

# fake_stat JQ: one figure of GET /__fake/stats (0 when absent).
fake_stat() { curl -sf "$fake_base/__fake/stats" | jq -r "$1 // 0"; }
