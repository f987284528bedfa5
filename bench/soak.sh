#!/usr/bin/env bash
# Soak: throngd runs an unbounded open-model job (no duration) at RATE iterations/s against the
# demo backend, submitted with `throngctl submit`, with checkpoints every CHECKPOINT into its
# registry, while its /metrics is scraped every second, a `throngctl watch` client follows the
# job (WatchJob) and `throngctl report` asks for the report every REPORT_EVERY seconds; its
# resident memory, open file descriptors and registry file size (database + WAL) are sampled
# every RSS_EVERY seconds. After the duration the job is stopped with `throngctl stop` and must
# end STOPPED with a final report. Prints RSS at start (idle), after the warm-up, the maximum and
# at the end (target: flat within MAX_GROWTH percent after the warm-up), the same for file
# descriptors and the registry size, requests, dropped and late iterations.
# throngd's RSS alternates by about 1.6 MiB from one second to the next (with no scrape or RPC
# too), so the baseline is the highest sample in the BASELINE seconds after the warm-up, not one
# sample whose phase would decide the figure.
# Writes results/soak-<stamp>.{json,md}; exits non-zero when a check fails.
#   bench/soak.sh [DURATION]   DURATION: 600 (seconds), 90s, 60m or 2h; default SOAK_SECONDS
#   SOAK_SECONDS=600 RATE=200 USERS=20 WARMUP=60 BASELINE=30 RSS_EVERY=5 MAX_GROWTH=5 \
#     CHECKPOINT=5s REPORT_EVERY=60 bench/soak.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SOAK_SECONDS="${SOAK_SECONDS:-600}"
if (($# > 0)); then
  [[ "$1" =~ ^([1-9][0-9]*)(s|m|h)?$ ]] || die "duration: '$1' is not N, Ns, Nm or Nh"
  case "${BASH_REMATCH[2]}" in
    m) SOAK_SECONDS=$((BASH_REMATCH[1] * 60)) ;;
    h) SOAK_SECONDS=$((BASH_REMATCH[1] * 3600)) ;;
    *) SOAK_SECONDS=${BASH_REMATCH[1]} ;;
  esac
fi
CHECKPOINT="${CHECKPOINT:-5s}"
REPORT_EVERY="${REPORT_EVERY:-60}"
RATE="${RATE:-200}"
USERS="${USERS:-20}"
RSS_EVERY="${RSS_EVERY:-5}"
MAX_GROWTH="${MAX_GROWTH:-5}"
require_whole SOAK_SECONDS USERS RSS_EVERY REPORT_EVERY
# Default warm-up: a sixth of the run, 60..600 s, at most a third of it (100 s for 10 min, 10 min
# for an hour). A job's timeline keeps its first 10 minutes at 1 s resolution (engine/timeline.h),
# so the daemon's working set, and every checkpoint and report built from it, grows by design
# until then; after that it holds coarse points only (a few KB a minute).
default_warmup=$((SOAK_SECONDS / 6 < 60 ? 60 : (SOAK_SECONDS / 6 > 600 ? 600 : SOAK_SECONDS / 6)))
WARMUP="${WARMUP:-$((SOAK_SECONDS / 3 < default_warmup ? SOAK_SECONDS / 3 : default_warmup))}"
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
start_throngd soak "$CLIENT_CORE" --threads 1 --checkpoint-interval "$CHECKPOINT"
dir="$WORK/soak"
# registry_bytes: the registry database and its write-ahead log, in bytes.
registry_bytes() {
  local total=0 f
  for f in "$dir/data/registry.sqlite3" "$dir/data/registry.sqlite3-wal"; do
    [[ -f "$f" ]] && total=$((total + $(stat -c %s "$f")))
  done
  echo "$total"
}
fd_count() { find "/proc/$THRONGD_PID/fd" -mindepth 1 -maxdepth 1 | wc -l; }
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
idle_fds=$(fd_count)
cpu0=$(cpu_seconds "$THRONGD_PID")
log "soak: ${SOAK_SECONDS}s at ${RATE} iterations/s (2 requests each, ${USERS} users), RSS" \
  "every ${RSS_EVERY}s, warm-up ${WARMUP}s, baseline ${BASELINE}s, target ${MAX_GROWTH} %;" \
  "throngd idle RSS ${idle_kb} KiB"
id=$(submit_job "$dir/job.yaml")
state=$(await_job_state "$id" RUNNING "${START_TIMEOUT:-15}") || die "job $id did not start: $state"
t0=$(date +%s.%N)
scrape_loop "$METRICS_URL" "$dir/scrapes"
# The WatchJob client: one progress line every 5 s until the job ends.
ctl watch "$id" --interval 5s >"$dir/watch.out" 2>&1 &
WATCH_PID=$!
BENCH_PIDS+=("$WATCH_PID")
reports_ok=0
reports_failed=0

# sample T: one JSON line of throngd's RSS and the job's totals at T seconds into the run.
sample() {
  local fds kb anon_kb db
  # Read before `throngctl get` connects, so its own connection is never counted.
  fds=$(fd_count) kb=$(rss_kb "$THRONGD_PID" VmRSS) anon_kb=$(rss_kb "$THRONGD_PID" RssAnon)
  db=$(registry_bytes)
  job_json "$id" | jq -c --argjson t "$1" --argjson kb "$kb" --argjson fds "$fds" \
    --argjson db "$db" --argjson anon "$anon_kb" '
    .totals as $x | {t_s: $t, rss_mib: ($kb / 1024 * 100 | round / 100), state: .state,
      rss_anon_mib: ($anon / 1024 * 100 | round / 100),
      fds: $fds, registry_bytes: $db,
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
  jq -r '"[soak] t=\(.t_s)s rss=\(.rss_mib) MiB fds=\(.fds) registry=\(.registry_bytes) B" +
    " requests=\(.requests) req/s=\(.rps) dropped=\(.dropped) late=\(.late)" +
    " failures=\(.failures) \(.state)"' <<<"$line" >&2
  if ((t % REPORT_EVERY == 0)); then
    if ctl report "$id" >"$dir/report-live.txt" 2>&1; then
      reports_ok=$((reports_ok + 1))
    else
      reports_failed=$((reports_failed + 1))
    fi
  fi
  [[ $(jq -r .state <<<"$line") == RUNNING ]] || { log "job left RUNNING at ${t}s"; break; }
done
kill "$SCRAPE_PID" 2>/dev/null || true
scrapes=$(cat "$dir/scrapes" 2>/dev/null || echo 0)
end_fds=$(fd_count)

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
# The watch client ends with the job.
watch_rc=0
for ((i = 0; i < 50; i++)); do kill -0 "$WATCH_PID" 2>/dev/null || break; sleep 0.2; done
wait "$WATCH_PID" 2>/dev/null || watch_rc=$?
watch_lines=$(wc -l <"$dir/watch.out")

# Growth: (highest RSS after the warm-up - baseline) / baseline, the baseline being the highest
# RSS in the BASELINE seconds after the warm-up; the slope (least squares over the samples after
# the warm-up) tells a slow leak from noise.
result=$(jq -s --argjson warmup "$WARMUP" --argjson baseline "$BASELINE" \
  --argjson target "$MAX_GROWTH" --argjson rate "$RATE" \
  --argjson scrapes "$scrapes" --argjson idle "$idle_kb" --argjson hwm "$hwm_kb" \
  --argjson cpu "$cpu_s" --argjson stop_s "$stop_s" --arg state "$final_state" \
  --argjson soak "$SOAK_SECONDS" --slurpfile report "$report_json" \
  --argjson idle_fds "$idle_fds" --argjson end_fds "$end_fds" \
  --argjson reports_ok "$reports_ok" --argjson reports_failed "$reports_failed" \
  --argjson watch_rc "$watch_rc" --argjson watch_lines "$watch_lines" '
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
   anon_after_warmup_mib: $warm.rss_anon_mib,
   max_anon_after_warmup_mib: ($after | map(.rss_anon_mib) | max),
   final_anon_mib: $last.rss_anon_mib,
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
   throngd_cpu_s: $cpu, prometheus_scrapes: $scrapes,
   idle_fds: $idle_fds, fds_after_warmup: ($warm.fds // null),
   max_fds_after_warmup: ($after | map(.fds) | max), end_fds: $end_fds,
   registry_bytes_after_warmup: ($warm.registry_bytes // null),
   max_registry_bytes: (map(.registry_bytes) | max), end_registry_bytes: $last.registry_bytes,
   reports_ok: $reports_ok, reports_failed: $reports_failed,
   watch_exit: $watch_rc, watch_lines: $watch_lines} |
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
    (if $scrapes < $soak * 0.9 then "only \($scrapes) scrapes in \($soak) s" else empty end),
    (if .max_fds_after_warmup > (.fds_after_warmup // 0) + 5 then
       "file descriptors grew from \(.fds_after_warmup) to \(.max_fds_after_warmup)"
     else empty end),
    (if .reports_failed > 0 then "\(.reports_failed) report requests failed" else empty end),
    (if .watch_lines < 2 then "the watch client printed \(.watch_lines) lines" else empty end)]
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
  --argjson target "$MAX_GROWTH" --arg checkpoint "$CHECKPOINT" \
  '{started_at: $started, machine: $machine, build_dir: $build, checkpoint: $checkpoint,
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
    + " (final: \($r.report_final)).\n\n"
    + "RSS (MiB): start \($r.idle_rss_mib), after warm-up \($r.baseline_rss_mib), max"
    + " \($r.max_rss_after_warmup_mib), end \($r.final_rss_mib); of it anonymous (the heap):"
    + " after warm-up \($r.anon_after_warmup_mib), max \($r.max_anon_after_warmup_mib), end"
    + " \($r.final_anon_mib). File descriptors: start"
    + " \($r.idle_fds), after warm-up \($r.fds_after_warmup), max \($r.max_fds_after_warmup),"
    + " end \($r.end_fds). Registry (database + WAL, bytes): after warm-up"
    + " \($r.registry_bytes_after_warmup), max \($r.max_registry_bytes), end"
    + " \($r.end_registry_bytes); checkpoints every \(.checkpoint). Report requests:"
    + " \($r.reports_ok) answered, \($r.reports_failed) failed; watch client: exit"
    + " \($r.watch_exit), \($r.watch_lines) lines.\n\nVerdict: \(.verdict)."' "$json"
  echo
  echo "| t (s) | RSS (MiB) | of it anonymous (MiB) | fds | registry (B) | requests | req/s |" \
    "dropped | late |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  # About 20 rows (and the first and last sample) keep the table readable; the JSON has them all.
  jq -r --argjson every "$(((SOAK_SECONDS / 20 + 29) / 30 * 30))" '.samples | length as $n
    | to_entries[] | select(.key == 0 or .key + 1 == $n or .value.t_s % $every == 0) | .value
    | "| \(.t_s) | \(.rss_mib) | \(.rss_anon_mib) | \(.fds) | \(.registry_bytes)"
      + " | \(.requests) | \(.rps)"
      + " | \(.dropped) | \(.late) |"' "$json"
} >"$md"
echo
cat "$md"
log "wrote $json and $md"
[[ $verdict == pass ]]
