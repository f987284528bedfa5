#!/usr/bin/env bash
# Memory per request name: one throngd --threads THREADS (default 2) runs the same closed-model
# job against nginx twice, once with 1 request name and once with NAMES names (default 200), each
# user cycling through every name; per-name memory = (peak RSS with NAMES - peak RSS with 1) /
# (NAMES - 1). Prometheus is scraped every second, as in run.sh, so the interval snapshots and the
# scrape's own copies are included. Writes results/names-<stamp>.{json,md}.
#   NAMES=200 THREADS=2 USERS=50 DURATION=10 bench/names.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAMES="${NAMES:-200}"
THREADS="${THREADS:-2}"
USERS="${USERS:-50}"
DURATION="${DURATION:-10}"
require_whole NAMES THREADS USERS DURATION
((NAMES >= 2 && NAMES <= 1000)) || die "NAMES must be 2..1000, got $NAMES"
((THREADS <= 64)) || die "THREADS must be at most 64, got $THREADS"
require_binaries "$THRONGD" "$THRONGCTL"

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
machine=$(versions_json)
start_nginx
url="http://127.0.0.1:$NGINX_PORT"

# names_scenario FILE COUNT: one task whose steps request /n0 .. /n(COUNT-1), each its own name.
names_scenario() {
  local file=$1 count=$2 i
  {
    echo "name: names"
    echo "base_url: $url"
    echo "user_classes:"
    echo "  - name: Hammer"
    echo "    tasks:"
    echo "      - steps:"
    for ((i = 0; i < count; i++)); do echo "          - request: {name: \"/n$i\", path: \"/n$i\"}"; done
    echo "load:"
    echo "  closed: {users: $USERS, spawn_rate: 0}"
    echo "  duration: ${DURATION}s"
    echo "  graceful_stop: 2s"
  } >"$file"
}

# measure COUNT OUT_JSON
measure() {
  local count=$1 out=$2 name="names-$1"
  start_throngd "$name" "0-1" --threads "$THREADS"
  local dir="$WORK/$name"
  names_scenario "$dir/job.yaml" "$count"
  scrape_loop "$METRICS_URL" "$dir/scrapes"
  local idle
  idle=$(rss_kb "$THRONGD_PID" VmRSS)
  start_throngctl "$dir" "$DURATION"
  await_throngctl "$dir" "$CTL_PID" || die "names=$count: $(cat "$dir/why")"
  kill "$SCRAPE_PID" 2>/dev/null || true
  local hwm
  hwm=$(rss_kb "$THRONGD_PID" VmHWM)
  kill "$THRONGD_PID" 2>/dev/null || true
  jq -n --argjson names "$count" --argjson idle "$idle" --argjson hwm "$hwm" \
    --argjson requests "$(jq '.aggregated.requests' "$dir/report.json")" \
    --argjson failures "$(jq '.aggregated.failures' "$dir/report.json")" \
    '{names: $names, idle_rss_kb: $idle, peak_rss_kb: $hwm, requests: $requests,
      failures: $failures}' >"$out"
}

log "1 name, then $NAMES names; $THREADS workers, $USERS users, ${DURATION}s each"
measure 1 "$WORK/one.json"
measure "$NAMES" "$WORK/many.json"
mkdir -p "$RESULTS_DIR"
json="$RESULTS_DIR/names-$(date -u +%Y%m%d-%H%M%S).json"
jq -s --argjson machine "$machine" --arg at "$started_at" --argjson threads "$THREADS" '{
    title: "Memory per request name", started_at: $at, machine: $machine, threads: $threads,
    runs: ., kib_per_name: ((.[1].peak_rss_kb - .[0].peak_rss_kb) / (.[1].names - .[0].names))}' \
  "$WORK/one.json" "$WORK/many.json" >"$json"
jq -r '"# \(.title)\n\n\(.started_at) · throng \(.machine.versions.throng) · \(.threads) workers\n\n" +
  "| names | idle RSS KiB | peak RSS KiB | requests | failures |\n|---:|---:|---:|---:|---:|\n" +
  (.runs | map("| \(.names) | \(.idle_rss_kb) | \(.peak_rss_kb) | \(.requests) | \(.failures) |") |
   join("\n")) + "\n\nMemory per request name: \(.kib_per_name * 10 | round / 10) KiB " +
  "(target: at most 64 KiB with 2 workers)."' "$json" | tee "${json%.json}.md"
log "wrote $json and ${json%.json}.md"
