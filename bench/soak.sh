#!/usr/bin/env bash
# Soak: an unbounded open-model job at a steady rate for DURATION seconds (default 600) against the
# demo backend; prints the engine process's resident memory every second and its growth after
# WARMUP seconds (target: flat within MAX_GROWTH percent, default 5). Writes
# results/soak-<stamp>.{json,md}; exits non-zero when the growth is over the target.
#   DURATION=600 RATE=200 WARMUP=60 MAX_GROWTH=5 bench/soak.sh
# Until throngd runs jobs, the job runs in-process: the engine's soak test binary (the suite runs
# the same test for 16 s) with its THRONG_SOAK_* variables set from the ones above.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION="${DURATION:-600}"
RATE="${RATE:-200}"
WARMUP="${WARMUP:-60}"
MAX_GROWTH="${MAX_GROWTH:-5}"
SOAK_TEST="${SOAK_TEST:-$BUILD_DIR/tests/integration/engine/engine_it_soak_test}"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "DURATION must be whole seconds > 0, got '$DURATION'"
[[ "$WARMUP" =~ ^[1-9][0-9]*$ && "$WARMUP" -lt "$DURATION" ]] ||
  die "WARMUP must be whole seconds > 0 and below DURATION ($DURATION), got '$WARMUP'"
[[ "$RATE" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "RATE must be a number > 0, got '$RATE'"
[[ "$MAX_GROWTH" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "MAX_GROWTH must be a percentage, got '$MAX_GROWTH'"
[[ -x "$SOAK_TEST" ]] || die "$SOAK_TEST not found; build it first:
  cmake -S $REPO_DIR -B $BUILD_DIR -G Ninja -DCMAKE_BUILD_TYPE=Release
  ninja -C $BUILD_DIR engine_it_soak_test throng-demo-backend"

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
machine=$(versions_json)
out="$WORK/soak.out"
log "soak: ${DURATION}s at ${RATE} iterations/s (2 requests each), warm-up ${WARMUP}s, target ${MAX_GROWTH} %"
rc=0
THRONG_SOAK_SECONDS="$DURATION" THRONG_SOAK_RATE="$RATE" THRONG_SOAK_WARMUP_SECONDS="$WARMUP" \
  THRONG_SOAK_MAX_GROWTH_PERCENT="$MAX_GROWTH" \
  "$SOAK_TEST" --gtest_filter='SoakTest.*' --gtest_color=no | tee "$out" || rc=$?

result=$(grep -m1 '^soak: result ' "$out" || true)
[[ -n "$result" ]] || die "the soak run ended without a result line (exit $rc)"
# key=value fields of the sample and result lines -> JSON.
kv_json() { tr ' ' '\n' | awk -F= 'NF == 2 {printf "%s\"%s\": %s", (n++ ? ", " : "{"), $1, $2} END {print "}"}'; }
samples=$(grep '^soak: sample ' "$out" | while read -r _ _ fields; do kv_json <<<"$fields"; done | jq -s .)
summary=$(cut -d' ' -f3- <<<"$result" | kv_json)
verdict=$([[ $rc -eq 0 ]] && echo "flat within ${MAX_GROWTH} %" || echo "FAILED (see the test output)")

mkdir -p "$RESULTS_DIR"
stamp=$(date -u +%Y%m%d-%H%M%S)
json="$RESULTS_DIR/soak-$stamp.json"
md="$RESULTS_DIR/soak-$stamp.md"
jq -n --arg started "$started_at" --argjson machine "$machine" --argjson summary "$summary" \
  --argjson samples "$samples" --arg verdict "$verdict" --argjson duration "$DURATION" \
  --argjson rate "$RATE" --argjson warmup "$WARMUP" --argjson target "$MAX_GROWTH" \
  '{started_at: $started, machine: $machine, duration_s: $duration, rate: $rate, warmup_s: $warmup,
    target_growth_percent: $target, verdict: $verdict, result: $summary, samples: $samples}' >"$json"
{
  echo "# Soak: ${DURATION} s unbounded open-model job at ${RATE} iterations/s"
  echo
  echo "Started $started_at on $(jq -r '"\(.cores) cores, \(.cpu)"' <<<"$machine"); throng $(jq -r .versions.throng <<<"$machine")."
  echo
  jq -r '.result as $r | "Resident memory at the end of the \(.warmup_s) s warm-up: \($r.warm_rss_mib) MiB;"
    + " at most \($r.max_rss_after_warmup_mib) MiB after it: growth \($r.growth_percent) %"
    + " (target \(.target_growth_percent) %) over \($r.requests_after_warmup) requests"
    + " (\($r.growth_bytes_per_request) bytes per request). \($r.dropped) dropped,"
    + " \($r.failures) failures. Verdict: \(.verdict)."' "$json"
  echo
  echo "| t (s) | RSS (MiB) | requests | req/s |"
  echo "|---:|---:|---:|---:|"
  # Every 30th sample (and the last) keeps the table readable; the JSON has them all.
  jq -r '.samples | length as $n | to_entries[] | select((.key + 1) % 30 == 0 or .key == 0 or .key + 1 == $n)
    | .value | "| \(.t_s) | \(.rss_mib) | \(.requests) | \(.rps) |"' "$json"
} >"$md"
echo
cat "$md"
log "wrote $json and $md"
exit "$rc"
