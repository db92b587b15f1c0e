#!/usr/bin/env bash
# bench/callback.sh on several builds, compared in one go: ROUNDS rounds (3), each running every
# build once in the order given, so that a change in the machine's load falls on all of them
# alike; then the median pushes/s and reply p99 of each build. Arguments: LABEL=BUILD_DIR ...,
# each BUILD_DIR holding wxbridge, fake-wechat and callback-bench (the tree's own driver). Each
# build runs from a scratch folder of links to those three, so its throwaway MariaDB lives
# there and the build folder is left alone. The bench's settings (PUSHES, REPEAT_RATIO, SENDERS,
# CALLBACK_SETS) pass through to every run.
# Prints each run's JSON line (with "label" and "round" added) as it ends, the load average
# before and after, and last one line per build:
#   {"label":L,"runs":N,"pushes_per_s":[..],"median_pushes_per_s":R,"median_p99_ms":P,
#    "exactly_once":true|false}
# Example: ROUNDS=3 bench/callback_ab.sh base=/work/wt/integrate/build tip=build
# Exits 1 when a run fails (its output is shown) or breaks exactly-once.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
case "${1-}" in -h | --help) usage; exit 0 ;; esac
[ $# -ge 1 ] || { log "give LABEL=BUILD_DIR for each build (see --help)"; exit 2; }
rounds=${ROUNDS:-3}
labels=()
declare -A dirs
for arg in "$@"; do
  label=${arg%%=*} dir=${arg#*=}
  [[ "$arg" == *=* && -n "$label" ]] || { log "not LABEL=BUILD_DIR: $arg"; exit 2; }
  for t in wxbridge fake-wechat callback-bench; do
    [ -x "$dir/$t" ] || die "$dir/$t is missing; build it there first"
    mkdir -p "$work/$label"
    ln -sf "$(cd "$dir" && pwd)/$t" "$work/$label/$t"
  done
  labels+=("$label")
  dirs[$label]=$dir
done

field() { sed -n "s/.*\"$2\":\([0-9.a-z]*\).*/\1/p" <<<"$1"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

log "load before: $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds of ${labels[*]}"
for round in $(seq "$rounds"); do
  for label in "${labels[@]}"; do
    if ! WXB_BUILD_DIR="$work/$label" "$root/bench/callback.sh" >"$work/run.out" 2>"$work/run.err"; then
      cat "$work/run.err" >&2
      die "$label (${dirs[$label]}) failed in round $round"
    fi
    line=$(tail -1 "$work/run.out")
    echo "{\"label\":\"$label\",\"round\":$round,${line#\{}"
    echo "$line" >>"$work/$label.runs"
  done
done
log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

failed=0
for label in "${labels[@]}"; do
  runs=$(cat "$work/$label.runs")
  rates=$(while read -r l; do field "$l" pushes_per_s; done <<<"$runs")
  p99s=$(while read -r l; do field "$l" p99_ms; done <<<"$runs")
  once=true
  while read -r l; do [ "$(field "$l" exactly_once)" = true ] || once=false; done <<<"$runs"
  [ "$once" = true ] || failed=1
  printf '{"label":"%s","runs":%s,"pushes_per_s":[%s],"median_pushes_per_s":%s,' "$label" \
    "$(wc -l <<<"$runs")" "$(paste -sd, <<<"$rates")" "$(median <<<"$rates")"
  printf '"median_p99_ms":%s,"exactly_once":%s}\n' "$(median <<<"$p99s")" "$once"
done
[ "$failed" = 0 ] || die "exactly-once failed in a run"
