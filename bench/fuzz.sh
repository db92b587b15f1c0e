#!/usr/bin/env bash
# Fuzzes every target of fuzz/ with AFL++ for FUZZ_MINUTES each (default 10; FUZZ_SECONDS
# overrides), starting from its committed corpus (fuzz/corpus/NAME) and dictionary
# (fuzz/dict/NAME.dict), built with ASan and UBSan in build-asan (WXB_BUILD_DIR-asan, the
# folder of `scripts/test --sanitize`).
# Prints per target the executions, the paths found, the crashes and the hangs, then one JSON
# line. Exits 1 when any target found a crash or a hang: the inputs are copied to
# fuzz/findings/NAME/ (not committed) - replay one with build-asan/fuzz/fuzz_replay_NAME FILE,
# fix the code, and commit the input to fuzz/corpus/NAME as the regression test.
#   FUZZ_SECONDS=20 FUZZ_JOBS=2 bench/fuzz.sh  the full run's fuzzing, after scripts/test --all
#   FUZZ_MINUTES=60 FUZZ_JOBS=2 bench/fuzz.sh  an hour each, two at a time
#   FUZZ_TARGETS="cron http_head" bench/fuzz.sh only these targets
#   FUZZ_JOBS=2 bench/fuzz.sh                  two targets at once (one per core)
#   FUZZ_TIMEOUT_MS=5000                       an input running longer is a hang
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
no_arguments "${1-}"
need afl-fuzz

seconds=${FUZZ_SECONDS:-$((${FUZZ_MINUTES:-10} * 60))}
jobs=${FUZZ_JOBS:-1}
timeout_ms=${FUZZ_TIMEOUT_MS:-5000}
fuzz_build=${WXB_BUILD_DIR:-$root/build}-asan
targets=${FUZZ_TARGETS:-$(cd "$root/fuzz" && ls -- *_fuzz.cpp | sed 's/_fuzz\.cpp$//' | xargs)}

build_targets() {
  local t list=()
  for t in $targets; do list+=("fuzz_$t"); done
  log "building ${list[*]} in $fuzz_build (ASan + UBSan, AFL++ driver)"
  "$root/scripts/sanitize" asan "$fuzz_build" --build "${list[@]}" >/dev/null
}

# fuzz_one NAME: afl-fuzz on target NAME for $seconds; its output folder is $work/NAME.
fuzz_one() {
  local name=$1 dict=()
  [ -f "$root/fuzz/dict/$name.dict" ] && dict=(-x "$root/fuzz/dict/$name.dict")
  AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    AFL_FAST_CAL=1 AFL_IGNORE_SEED_PROBLEMS=1 \
    afl-fuzz -i "$root/fuzz/corpus/$name" -o "$work/$name" "${dict[@]}" -t "$timeout_ms" \
    -V "$seconds" -- "$fuzz_build/fuzz/fuzz_$name" >"$work/$name.log" 2>&1 && return
  log "$name: afl-fuzz did not run:"
  tail -20 "$work/$name.log" >&2
  touch "$work/$name.failed"
}

stat() { sed -n "s/^$2 *: //p" "$work/$1/default/fuzzer_stats"; }

# report NAME: one line of figures; copies findings to fuzz/findings/NAME. Returns 1 on findings.
report() {
  local name=$1 found
  [ -f "$work/$name.failed" ] && return 1
  found=$(( $(stat "$name" saved_crashes) + $(stat "$name" saved_hangs) ))
  printf '%-18s %12s execs %8s/s %6s paths %3s crashes %3s hangs\n' "$name" \
    "$(stat "$name" execs_done)" "$(stat "$name" execs_per_sec)" "$(stat "$name" corpus_count)" \
    "$(stat "$name" saved_crashes)" "$(stat "$name" saved_hangs)" >&2
  [ "$found" -eq 0 ] && return 0
  mkdir -p "$root/fuzz/findings/$name"
  find "$work/$name/default/crashes" "$work/$name/default/hangs" -type f -name 'id:*' \
    -exec cp {} "$root/fuzz/findings/$name/" \;
  return 1
}

build_targets
running=0
for name in $targets; do
  fuzz_one "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

json="" findings=0
for name in $targets; do
  report "$name" || findings=1
  [ -f "$work/$name.failed" ] && continue
  json+="${json:+,}\"$name\":{\"execs\":$(stat "$name" execs_done),\"paths\":$(stat "$name" corpus_count),\"crashes\":$(stat "$name" saved_crashes),\"hangs\":$(stat "$name" saved_hangs)}"
done
[ "$findings" = 0 ] || log "findings copied to fuzz/findings/ - replay them with $fuzz_build/fuzz/fuzz_replay_NAME FILE"
echo "{\"bench\":\"fuzz\",\"seconds_per_target\":$seconds,\"targets\":{$json}}"
exit "$findings"
