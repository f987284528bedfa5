#!/usr/bin/env bash
# Throughput and efficiency side by side: wrk, Throng and Locust against one nginx worker.
# nginx is pinned to SERVER_CORE, each generator in turn to CLIENT_CORE, with the same connection
# count and duration. Writes results/run-<stamp>.{json,md}. See bench/README.md.
#   CONNECTIONS=50 DURATION=10 TOOLS="wrk throng locust" GEN_THREADS=1 bench/run.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS="${CONNECTIONS:-50}"
DURATION="${DURATION:-10}"
TOOLS="${TOOLS:-wrk throng locust}"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS must be a positive integer, got '$CONNECTIONS'"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "DURATION must be whole seconds > 0, got '$DURATION'"
[[ "$(nproc)" -ge 2 ]] || die "needs at least 2 cores (server and generator on separate cores)"
for tool in $TOOLS; do
  case $tool in
    wrk | locust) ;;
    throng) require_binaries "$THRONGD" "$THRONGCTL" ;;
    *) die "TOOLS: unknown tool '$tool' (wrk, throng, locust)" ;;
  esac
done

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
machine=$(versions_json)
start_nginx
url="http://127.0.0.1:$NGINX_PORT"
log "nginx on $url (core $SERVER_CORE); generators on core $CLIENT_CORE, $CONNECTIONS connections, ${DURATION}s"

results=()
for tool in $TOOLS; do
  log "running $tool"
  case $tool in
    wrk) run_wrk "$WORK/$tool.json" "$CONNECTIONS" "$DURATION" "$url/" ;;
    throng) run_throng "$WORK/$tool.json" "$CONNECTIONS" "$DURATION" "$url" "" ;;
    locust) run_locust "$WORK/$tool.json" "$CONNECTIONS" "$DURATION" "$url" 0 ;;
  esac
  results+=("$WORK/$tool.json")
done

mkdir -p "$RESULTS_DIR"
stamp=$(date -u +%Y%m%d-%H%M%S)
json="$RESULTS_DIR/run-$stamp.json"
jq -s --argjson machine "$machine" --arg at "$started_at" --argjson c "$CONNECTIONS" \
  --argjson d "$DURATION" --argjson t "$GEN_THREADS" '{
    title: "Throughput per generator CPU: wrk, Throng, Locust",
    started_at: $at, machine: $machine, connections: $c, duration_s: $d, generator_threads: $t,
    setup: ("nginx-light, 1 worker, 2-byte body, on core \(env.SERVER_CORE // "0"); each generator " +
            "alone on core \(env.CLIENT_CORE // "1"), \($c) keep-alive connections, \($d) s, no think " +
            "time, \($t) generator thread(s) (wrk -t\($t)). Throng: throngd --threads \($t) + " +
            "throngctl run (closed model, \($c) users), " +
            "Prometheus scraped every second; its CPU is throngd'"'"'s user+sys over the job."),
    tools: .,
    notes: ["Generator CPU = user+sys of the generator process(es) (/usr/bin/time, /proc/PID/stat).",
            "Locust reports percentiles rounded to milliseconds."]}' "${results[@]}" >"$json"
/usr/bin/python3 "$BENCH_DIR/render.py" "$json" | tee "${json%.json}.md"
log "wrote $json and ${json%.json}.md"
