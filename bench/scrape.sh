#!/usr/bin/env bash
# Scrape cost: does scraping a throngd with 1000+ series disturb the load? One throngd (pinned to
# CLIENT_CORE, one engine thread) runs the same job twice against nginx on SERVER_CORE: a closed
# model of USERS users, each waiting WAIT_MS between requests spread over NAMES request names
# (about 40 series per name). The first run is not scraped; the second is scraped every
# SCRAPE_MS. Prints the scrape time (p50/p99/max), series count and body size, and both runs'
# request rate and p50/p99 side by side. Writes results/scrape-<stamp>.{json,md}.
#   NAMES=30 USERS=50 WAIT_MS=5 DURATION=10 SCRAPE_MS=100 bench/scrape.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAMES="${NAMES:-30}"
USERS="${USERS:-50}"
WAIT_MS="${WAIT_MS:-5}"
DURATION="${DURATION:-10}"
SCRAPE_MS="${SCRAPE_MS:-100}"
for var in NAMES USERS WAIT_MS DURATION SCRAPE_MS; do
  [[ "${!var}" =~ ^[1-9][0-9]*$ ]] || die "$var must be a positive integer, got '${!var}'"
done
require_binaries "$THRONGD" "$THRONGCTL"

# many_names_scenario FILE BASE_URL: one task per name, each a GET of /NAME.
many_names_scenario() {
  local file=$1 base=$2 i
  {
    echo "name: scrape-bench"
    echo "base_url: $base"
    echo "user_classes:"
    echo "  - name: Spread"
    echo "    wait: {constant: ${WAIT_MS}ms}"
    echo "    tasks:"
    for ((i = 1; i <= NAMES; i++)); do
      echo "      - steps: [{request: {name: GET /endpoint-$i, path: /endpoint-$i}}]"
    done
    echo "load:"
    echo "  closed: {users: $USERS, spawn_rate: 0}"
    echo "  duration: ${DURATION}s"
    echo "  graceful_stop: 2s"
  } >"$file"
}

# fast_scrape_loop URL OUT: scrapes every SCRAPE_MS, one line "seconds bytes" per scrape.
fast_scrape_loop() {
  local url=$1 out=$2
  (
    while true; do
      curl -fs -o /dev/null -w '%{time_total} %{size_download}\n' "$url" >>"$out" || true
      sleep "$(awk -v ms="$SCRAPE_MS" 'BEGIN{print ms / 1000}')"
    done
  ) &
  SCRAPE_PID=$!
  BENCH_PIDS+=("$SCRAPE_PID")
}

# run_job NAME SCRAPED: runs the scenario once; writes $WORK/NAME.json.
run_job() {
  local name=$1 scraped=$2 dir="$WORK/$1" rc=0
  mkdir -p "$dir"
  many_names_scenario "$dir/job.yaml" "http://127.0.0.1:$NGINX_PORT"
  [[ $scraped == yes ]] && fast_scrape_loop "$METRICS_URL" "$dir/scrapes"
  start_throngctl "$dir" "$DURATION"
  await_throngctl "$dir" "$CTL_PID" || rc=$?
  [[ $scraped == yes ]] && kill "$SCRAPE_PID" 2>/dev/null
  [[ $rc -eq 0 ]] || die "job $name did not complete: $(cat "$dir/why")"
  jq --arg name "$name" '.aggregated as $a | {run: $name, requests: $a.requests,
      rps: $a.rps, p50_ms: $a.latency_ms.p50, p99_ms: $a.latency_ms.p99, failures: $a.failures}' \
    "$dir/report.json" >"$WORK/$name.json"
}

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
machine=$(versions_json)
start_nginx
start_throngd scrape "$CLIENT_CORE" --threads 1
log "job without scrapes: $NAMES names, $USERS users, ${WAIT_MS} ms wait, ${DURATION}s"
run_job unscraped no
log "same job scraped every ${SCRAPE_MS} ms"
run_job scraped yes
series=$(curl -fs "$METRICS_URL" | grep -c '^throng_')
scrapes="$WORK/scraped/scrapes"
[[ -s "$scrapes" ]] || die "no scrape completed"

mkdir -p "$RESULTS_DIR"
json="$RESULTS_DIR/scrape-$(date -u +%Y%m%d-%H%M%S).json"
sort -n "$scrapes" | awk '{t[NR] = $1 * 1000; b = $2} END {
    printf "{\"scrapes\": %d, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f, \"bytes\": %d}\n",
      NR, t[int((NR + 1) * 0.5)], t[int((NR - 1) * 0.99) + 1], t[NR], b}' >"$WORK/scrape-times.json"
jq -n --argjson machine "$machine" --arg at "$started_at" --argjson series "$series" \
  --slurpfile times "$WORK/scrape-times.json" --slurpfile a "$WORK/unscraped.json" \
  --slurpfile b "$WORK/scraped.json" --argjson names "$NAMES" --argjson users "$USERS" \
  --argjson wait "$WAIT_MS" --argjson every "$SCRAPE_MS" '{
    title: "Scrape cost: throngd with \($series) job series, scraped every \($every) ms",
    started_at: $at, machine: $machine, series: $series, scrape: $times[0],
    runs: [$a[0], $b[0]],
    setup: "nginx-light on core \(env.SERVER_CORE // "0"); throngd --threads 1 on core \(env.CLIENT_CORE // "1"); \($names) request names, \($users) users waiting \($wait) ms; the same job run unscraped, then scraped every \($every) ms."}' >"$json"
jq -r '"# \(.title)\n\n\(.setup)\n\nScrapes: \(.scrape.scrapes), body \(.scrape.bytes) bytes, " +
  "time p50 \(.scrape.p50_ms) ms, p99 \(.scrape.p99_ms) ms, max \(.scrape.max_ms) ms.\n\n" +
  "| run | requests | req/s | p50 ms | p99 ms | failures |\n|---|---:|---:|---:|---:|---:|\n" +
  (.runs | map("| \(.run) | \(.requests) | \(.rps | floor) | \(.p50_ms) | \(.p99_ms) | \(.failures) |") | join("\n"))' \
  "$json" | tee "${json%.json}.md"
log "wrote $json and ${json%.json}.md"
