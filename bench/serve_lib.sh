# shellcheck shell=bash disable=SC2034
# What bench/soak.sh and bench/crash.sh share; sourced after bench/lib.sh, not run on its own.
# wxbridge's settings for serve instances on one MariaDB with two templates (`order` for direct
# messages, `daily` for the digest), request files posted over one keep-alive curl, and the
# reading of what fake-wechat delivered. Needs fake_base (start_listener fake ...) and db_url.

api_key=bench-reliability-key
api_key_sha=$(printf %s "$api_key" | sha256sum | cut -d' ' -f1)

# bridge_args DB [ARG...]: wxb_args for DB with the templates, the MP appid, warning-level logs
# and short platform timeouts (a held call times out after 1 s), then ARG...
bridge_args() {
  wxb_args "$1" --set wechat.mp.appid=wxfakemp --set wechat.read_timeout_ms=1000 \
    --set notify.digest.template=daily --set templates.daily.template_id=TPL_DAILY \
    --set templates.daily.miniprogram.pagepath=pages/inbox/index \
    --set "templates.daily.data.keyword1={{summary}}" --set notify.types.chat.label=chats \
    --set templates.order.template_id=TPL_ORDER \
    --set templates.order.miniprogram.pagepath=pages/order/index \
    --set "templates.order.data.keyword1={{params.title}}" \
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
