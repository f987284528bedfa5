#!/usr/bin/env bash
# Soak: throngd runs an unbounded open-model job (no duration) at RATE iterations/s against the
# demo backend, submitted with `throngctl submit`, its /metrics scraped every second, its resident
# memory sampled every RSS_EVERY seconds; after SOAK_SECONDS it is stopped with `throngctl stop`
# and must end STOPPED with a final report. Prints the samples, the RSS growth after WARMUP
# seconds (target: flat within MAX_GROWTH percent), requests, dropped and late iterations.
# throngd's RSS alternates by about 1.6 MiB from one second to the next (with no scrape or RPC
# too), so the baseline is the highest sample in the BASELINE seconds after the warm-up, not one
# sample whose phase would decide the figure.
# Writes results/soak-<stamp>.{json,md}; exits non-zero when a check fails.
#   SOAK_SECONDS=600 RATE=200 USERS=20 WARMUP=60 BASELINE=30 RSS_EVERY=5 MAX_GROWTH=5 bench/soak.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SOAK_SECONDS="${SOAK_SECONDS:-600}"
RATE="${RATE:-200}"
USERS="${USERS:-20}"
RSS_EVERY="${RSS_EVERY:-5}"
MAX_GROWTH="${MAX_GROWTH:-5}"
require_whole SOAK_SECONDS USERS RSS_EVERY
WARMUP="${WARMUP:-$((SOAK_SECONDS / 3 < 60 ? SOAK_SECONDS / 3 : 60))}"
BASELINE="${BASELINE:-30}"
require_whole WARMUP BASELINE
require_number RATE MAX_GROWTH
((BASELINE >= 2 * RSS_EVERY && WARMUP + BASELINE + RSS_EVERY <= SOAK_SECONDS)) ||
  die "need BASELINE ($BASELINE) >= 2 x RSS_EVERY ($RSS_EVERY) and WARMUP ($WARMUP) + BASELINE +" \
    "RSS_EVERY <= SOAK_SECONDS ($SOAK_SECONDS)"
require_binaries "$THRONGD" "$THRONGCTL" "$DEMO_BACKEND"

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
machine=$(versions_json)
start_demo_backend soak-backend 127.0.0.1 "$SERVER_CORE" 1
start_throngd soak "$CLIENT_CORE" --threads 1
dir="$WORK/soak"
# A fixed pool (pre-allocated = max): a scheduling hiccup on a busy machine cannot grow it after
# the warm-up and pass for a leak.
cat >"$dir/job.yaml" <<EOF
name: soak
base_url: http://127.0.0.1:$BACKEND_PORT
user_classes:
  - name: Soak
    tasks:
      - steps:
          - request: {name: "GET /todos/", path: "/todos/?limit=5"}
          - request: {name: "GET /health", path: "/health"}
load:
  open: {rate: $RATE, max_users: $USERS, pre_allocated_users: $USERS}
  unbounded: true
  graceful_stop: 5s
EOF

idle_kb=$(rss_kb "$THRONGD_PID" VmRSS)
cpu0=$(cpu_seconds "$THRONGD_PID")
log "soak: ${SOAK_SECONDS}s at ${RATE} iterations/s (2 requests each, ${USERS} users), RSS" \
  "every ${RSS_EVERY}s, warm-up ${WARMUP}s, baseline ${BASELINE}s, target ${MAX_GROWTH} %;" \
  "throngd idle RSS ${idle_kb} KiB"
id=$(submit_job "$dir/job.yaml")
state=$(await_job_state "$id" RUNNING "${START_TIMEOUT:-15}") || die "job $id did not start: $state"
t0=$(date +%s.%N)
scrape_loop "$METRICS_URL" "$dir/scrapes"

# sample T: one JSON line of throngd's RSS and the job's totals at T seconds into the run.
sample() {
  job_json "$id" | jq -c --argjson t "$1" --argjson kb "$(rss_kb "$THRONGD_PID" VmRSS)" '
    .totals as $x | {t_s: $t, rss_mib: ($kb / 1024 * 100 | round / 100), state: .state,
      requests: ($x.requests // 0 | tonumber), iterations: ($x.iterations // 0 | tonumber),
      dropped: ($x.dropped_iterations // 0 | tonumber), late: ($x.late_iterations // 0 | tonumber),
      failures: ($x.failures // 0 | tonumber), rps: ($x.current_rps // 0 | . * 10 | round / 10)}'
}
: >"$dir/samples.jsonl"
for ((t = RSS_EVERY; t < SOAK_SECONDS + RSS_EVERY; t += RSS_EVERY)); do
  ((t <= SOAK_SECONDS)) || t=$SOAK_SECONDS
  sleep "$(awk -v t0="$t0" -v t="$t" -v now="$(date +%s.%N)" \
    'BEGIN {d = t0 + t - now; printf "%.3f", (d > 0 ? d : 0)}')"
  line=$(sample "$t") || die "no sample at ${t}s: throngctl get $id or throngd's /proc entry failed"
  echo "$line" >>"$dir/samples.jsonl"
  jq -r '"[soak] t=\(.t_s)s rss=\(.rss_mib) MiB requests=\(.requests) req/s=\(.rps)" +
    " dropped=\(.dropped) late=\(.late) failures=\(.failures) \(.state)"' <<<"$line" >&2
  [[ $(jq -r .state <<<"$line") == RUNNING ]] || { log "job left RUNNING at ${t}s"; break; }
done
kill "$SCRAPE_PID" 2>/dev/null || true
scrapes=$(cat "$dir/scrapes" 2>/dev/null || echo 0)

stop_t0=$(date +%s.%N)
ctl stop "$id" >/dev/null || log "throngctl stop $id failed"
final_state=$(await_job_state "$id" 'COMPLETED|STOPPED|FAILED' 60) || true
stop_s=$(awk -v a="$stop_t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
cpu_s=$(awk -v a="$cpu0" -v b="$(cpu_seconds "$THRONGD_PID")" 'BEGIN {printf "%.2f", b - a}')
hwm_kb=$(rss_kb "$THRONGD_PID" VmHWM)
report_json="$dir/report.json"
ctl report "$id" --json "$report_json" >"$dir/report.txt" 2>&1 || echo '{}' >"$report_json"
log "job $id: $final_state ${stop_s}s after throngctl stop;" \
  "report $(jq -r '.job.state // "missing"' "$report_json")"

# Growth: (highest RSS after the warm-up - baseline) / baseline, the baseline being the highest
# RSS in the BASELINE seconds after the warm-up; the slope (least squares over the samples after
# the warm-up) tells a slow leak from noise.
result=$(jq -s --argjson warmup "$WARMUP" --argjson baseline "$BASELINE" \
  --argjson target "$MAX_GROWTH" --argjson rate "$RATE" \
  --argjson scrapes "$scrapes" --argjson idle "$idle_kb" --argjson hwm "$hwm_kb" \
  --argjson cpu "$cpu_s" --argjson stop_s "$stop_s" --arg state "$final_state" \
  --argjson soak "$SOAK_SECONDS" --slurpfile report "$report_json" '
  (map(select(.t_s >= $warmup))) as $after | $report[0] as $r |
  ($after | map(select(.t_s < $warmup + $baseline)) | max_by(.rss_mib)) as $warm |
  ($after | map(.rss_mib) | max) as $top | ($after | length) as $n |
  ($after | map(.t_s) | (add // 0) / ([$n, 1] | max)) as $mt |
  ($after | map(.rss_mib) | (add // 0) / ([$n, 1] | max)) as $mr |
  ($after | map((.t_s - $mt) * (.t_s - $mt)) | add) as $sxx |
  ($after | map((.t_s - $mt) * (.rss_mib - $mr)) | add) as $sxy |
  last as $last | ($last.requests - ($after[0].requests // $last.requests)) as $reqs_after |
  {idle_rss_mib: ($idle / 1024 * 100 | round / 100), baseline_rss_mib: $warm.rss_mib,
   max_rss_after_warmup_mib: $top, final_rss_mib: $last.rss_mib,
   peak_rss_mib: ($hwm / 1024 * 100 | round / 100),
   growth_percent: (if $warm == null then null
     else ($top - $warm.rss_mib) / $warm.rss_mib * 100 * 100 | round / 100 end),
   slope_kib_per_min: (if $sxx > 0 then $sxy / $sxx * 1024 * 60 * 10 | round / 10 else 0 end),
   requests_after_warmup: $reqs_after,
   growth_bytes_per_request: (if $warm == null then null
     else ($top - $warm.rss_mib) * 1048576 / ([$reqs_after, 1] | max) * 10 | round / 10 end),
   final_state: $state, stop_s: $stop_s, report_state: ($r.job.state // null),
   report_final: ($r.summary.final // false), duration_s: ($r.summary.duration_s // null),
   requests: ($r.summary.requests // null), iterations: ($r.summary.iterations // null),
   expected_iterations: (($r.summary.duration_s // 0) * $rate | round),
   rps: ($r.summary.rps // 0 | . * 10 | round / 10),
   dropped: ($r.summary.dropped_iterations // null), late: ($r.summary.late_iterations // null),
   failures: ($r.summary.failures // null), p50_ms: ($r.summary.latency_ms.p50 // null),
   p99_ms: ($r.summary.latency_ms.p99 // null), max_ms: ($r.summary.latency_ms.max // null),
   throngd_cpu_s: $cpu, prometheus_scrapes: $scrapes} |
  .failed_checks = [
    (if .growth_percent == null then "no RSS sample after the warm-up"
     elif .growth_percent > $target then "RSS growth \(.growth_percent) % > \($target) %"
     else empty end),
    (if $last.t_s < $soak then "job left RUNNING at \($last.t_s) s" else empty end),
    (if .final_state != "STOPPED" then "ended \(.final_state), not STOPPED" else empty end),
    (if .report_state != "STOPPED" or .report_final != true then "no final STOPPED report"
     else empty end),
    (if (.failures // 1) > 0 then "\(.failures // "unknown (no report)") failures" else empty end),
    (if (.dropped // 1) > 0 then "\(.dropped // "unknown (no report)") dropped iterations"
     else empty end),
    (if $scrapes < $soak * 0.9 then "only \($scrapes) scrapes in \($soak) s" else empty end)]
  ' "$dir/samples.jsonl")
verdict=$(jq -r 'if .failed_checks == [] then "pass"
  else "FAILED: " + (.failed_checks | join("; ")) end' <<<"$result")

mkdir -p "$RESULTS_DIR"
stamp=$(date -u +%Y%m%d-%H%M%S)
json="$RESULTS_DIR/soak-$stamp.json"
md="$RESULTS_DIR/soak-$stamp.md"
jq -n --arg started "$started_at" --argjson machine "$machine" --argjson result "$result" \
  --slurpfile samples "$dir/samples.jsonl" --arg verdict "$verdict" --arg build "$BUILD_DIR" \
  --argjson soak "$SOAK_SECONDS" --argjson rate "$RATE" --argjson users "$USERS" \
  --argjson warmup "$WARMUP" --argjson baseline "$BASELINE" --argjson every "$RSS_EVERY" \
  --argjson target "$MAX_GROWTH" '{started_at: $started, machine: $machine, build_dir: $build,
    driver: "throngd + throngctl", soak_s: $soak, rate: $rate, requests_per_iteration: 2,
    users: $users, warmup_s: $warmup, baseline_s: $baseline, rss_every_s: $every,
    target_growth_percent: $target, verdict: $verdict, result: $result, samples: $samples}' >"$json"
{
  echo "# Soak: throngd, ${SOAK_SECONDS} s unbounded open-model job at ${RATE} iterations/s"
  echo
  echo "Started $started_at on" \
    "$(jq -r '"\(.cores) cores, \(.cpu), load \(.load_average_at_start)"' <<<"$machine");" \
    "throng $(jq -r .versions.throng <<<"$machine"), binaries from \`$BUILD_DIR\`."
  echo
  jq -r '.result as $r |
    "throngd resident memory: \($r.idle_rss_mib) MiB idle; baseline \($r.baseline_rss_mib) MiB"
    + " (highest sample in the \(.baseline_s) s after the \(.warmup_s) s warm-up), at most"
    + " \($r.max_rss_after_warmup_mib) MiB after the warm-up: growth \($r.growth_percent) %"
    + " (target \(.target_growth_percent) %), slope \($r.slope_kib_per_min) KiB/min,"
    + " \($r.growth_bytes_per_request) bytes per request over the \($r.requests_after_warmup)"
    + " requests after the warm-up; peak \($r.peak_rss_mib) MiB.\n\n"
    + "Job: \($r.requests) requests, \($r.iterations) iterations of \($r.expected_iterations)"
    + " scheduled over \($r.duration_s) s (\($r.rps) req/s), \($r.dropped) dropped,"
    + " \($r.late) late, \($r.failures) failures; p50 \($r.p50_ms) ms, p99 \($r.p99_ms) ms,"
    + " max \($r.max_ms) ms; throngd used \($r.throngd_cpu_s) CPU-s;"
    + " \($r.prometheus_scrapes) scrapes of /metrics."
    + " `throngctl stop`: \($r.final_state) after \($r.stop_s) s, report \($r.report_state)"
    + " (final: \($r.report_final)).\n\nVerdict: \(.verdict)."' "$json"
  echo
  echo "| t (s) | RSS (MiB) | requests | req/s | dropped | late |"
  echo "|---:|---:|---:|---:|---:|---:|"
  # Every 30 s (and the first and last sample) keeps the table readable; the JSON has them all.
  jq -r '.samples | length as $n | to_entries[]
    | select(.key == 0 or .key + 1 == $n or .value.t_s % 30 == 0) | .value
    | "| \(.t_s) | \(.rss_mib) | \(.requests) | \(.rps) | \(.dropped) | \(.late) |"' "$json"
} >"$md"
echo
cat "$md"
log "wrote $json and $md"
[[ $verdict == pass ]]
