#!/usr/bin/env bash
# Throughput of fake-wechat: how many simple platform calls a second it answers on loopback.
# Starts the fake on a free port, fetches a token and a follower's openid, then runs wrk with
# keep-alive against GET /cgi-bin/user/info and checks (via /__fake/stats) that every call was a
# success. Prints wrk's report, then one JSON line last:
#   {"bench":"fake_wechat","requests_per_s":N,"api":...,"connections":C,"duration_s":D,
#    "latency_p50_ms":X,"latency_p99_ms":Y,"calls":N,"ok_calls":N,"socket_errors":N}
# Environment: WXB_BUILD_DIR (default build/; the fake is built there if missing),
# FAKE_WECHAT_BIN (overrides the binary), CONNECTIONS (64), DURATION (10 s), WRK_THREADS (2),
# FOLLOWERS (100000). Target: >= 10,000 requests/s on a 2-core machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WXB_BUILD_DIR:-$root/build}
bin=${FAKE_WECHAT_BIN:-$build/fake-wechat}
connections=${CONNECTIONS:-64}
duration=${DURATION:-10}
wrk_threads=${WRK_THREADS:-2}
followers=${FOLLOWERS:-100000}

command -v wrk >/dev/null || { echo "fake_wechat.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "fake_wechat.sh: curl is missing (apt-get install curl)" >&2; exit 1; }
if [ ! -x "$bin" ]; then
  WXB_BUILD_DIR="$build" WXB_TARGETS=fake-wechat "$root/scripts/build" >/dev/null
fi

work=$(mktemp -d)
fake_pid=""
cleanup() {
  [ -n "$fake_pid" ] && kill -TERM "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" --port 0 --followers "$followers" --seed 1 >"$work/fake.out" 2>"$work/fake.err" &
fake_pid=$!
for _ in $(seq 200); do
  [ -s "$work/fake.out" ] && break
  sleep 0.05
done
base=$(head -1 "$work/fake.out" | sed -n 's/^listening on \(127\.0\.0\.1:[0-9]*\)$/http:\/\/\1/p')
[ -n "$base" ] || { echo "fake_wechat.sh: fake-wechat did not start" >&2; cat "$work/fake.err" >&2; exit 1; }

json_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }
token=$(curl -sf "$base/cgi-bin/token?grant_type=client_credential&appid=wxfakeoa&secret=oasecret" |
  json_field access_token)
curl -sf "$base/__fake/followers" >"$work/followers.ndjson"
openid=$(head -1 "$work/followers.ndjson" | json_field openid)
[ -n "$token" ] && [ -n "$openid" ] || { echo "fake_wechat.sh: no token or openid" >&2; exit 1; }
api="/cgi-bin/user/info"
url="$base$api?access_token=$token&openid=$openid&lang=zh_CN"
curl -sf "$url" | grep -q '"subscribe":1' || { echo "fake_wechat.sh: user/info failed" >&2; exit 1; }
curl -sf -X POST "$base/__fake/reset-stats" >/dev/null

wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --latency "$url" |
  sed 's/access_token=[^&]*/access_token=(hidden)/' | tee "$work/wrk.out" >&2

# wrk prints latencies as 512.00us, 1.23ms or 1.05s; convert to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.3f", n }'; }
rps=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$work/wrk.out")
p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$work/wrk.out")")
p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$work/wrk.out")")
socket_errors=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$work/wrk.out")
stats=$(curl -sf "$base/__fake/stats")
calls=$(echo "$stats" | sed -n "s/.*\"$(echo "$api" | sed 's/\//\\\//g')\":\([0-9]*\).*/\1/p")
ok_calls=$(echo "$stats" | sed -n 's/.*"errcodes":{[^}]*"0":\([0-9]*\).*/\1/p')

printf '{"bench":"fake_wechat","requests_per_s":%s,"api":"%s","connections":%s,"duration_s":%s,"latency_p50_ms":%s,"latency_p99_ms":%s,"calls":%s,"ok_calls":%s,"socket_errors":%s}\n' \
  "$rps" "$api" "$connections" "$duration" "$p50" "$p99" "${calls:-0}" "${ok_calls:-0}" "${socket_errors:-0}"
