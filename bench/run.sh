#!/usr/bin/env bash
# Throughput and efficiency side by side: wrk, Throng and Locust against one nginx worker.
# nginx is pinned to SERVER_CORE, each generator in turn to CLIENT_CORE, with the same connection
# count and duration, ROUNDS times in turn (each round's ratios are against that round's wrk).
# Writes results/run-<stamp>.{json,md}. See bench/README.md.
#   CONNECTIONS=50 DURATION=10 TOOLS="wrk throng locust" GEN_THREADS=1 ROUNDS=1 bench/run.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS="${CONNECTIONS:-50}"
DURATION="${DURATION:-10}"
TOOLS="${TOOLS:-wrk throng locust}"
ROUNDS="${ROUNDS:-1}"
[[ "$ROUNDS" =~ ^[1-9][0-9]?$ ]] || die "ROUNDS must be 1..99, got '$ROUNDS'"
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
for ((round = 1; round <= ROUNDS; round++)); do
  for tool in $TOOLS; do
    log "round $round/$ROUNDS: running $tool"
    out="$WORK/$tool-$round.json"
    case $tool in
      wrk) run_wrk "$out" "$CONNECTIONS" "$DURATION" "$url/" ;;
      throng) run_throng "$out" "$CONNECTIONS" "$DURATION" "$url" "" ;;
      locust) run_locust "$out" "$CONNECTIONS" "$DURATION" "$url" 0 ;;
    esac
    jq --argjson r "$round" '. + {round: $r}' "$out" >"$out.r" && mv "$out.r" "$out"
    results+=("$out")
  done
done

mkdir -p "$RESULTS_DIR"
stamp=$(date -u +%Y%m%d-%H%M%S)
json="$RESULTS_DIR/run-$stamp.json"
jq -s --argjson machine "$machine" --arg at "$started_at" --argjson c "$CONNECTIONS" \
  --argjson d "$DURATION" --argjson t "$GEN_THREADS" --argjson rounds "$ROUNDS" '{
    title: "Throughput per generator CPU: wrk, Throng, Locust",
    started_at: $at, machine: $machine, connections: $c, duration_s: $d, generator_threads: $t,
    rounds: $rounds,
    setup: ("nginx-light, 1 worker, 2-byte body, on core \(env.SERVER_CORE // "0"); each generator " +
            "alone on core \(env.CLIENT_CORE // "1"), \($c) keep-alive connections, \($d) s, no think " +
            "time, \($t) generator thread(s) (wrk -t\($t)). Throng: throngd --threads \($t) + " +
            "throngctl run (closed model, \($c) users), " +
            "Prometheus scraped every second; its CPU is throngd'"'"'s user+sys over the job."),
    tools: .,
    notes: ["Target (issue 21): Throng'"'"'s median requests per CPU-s >= 1.0x wrk'"'"'s, no round below 0.9x.",
            "Generator CPU = user+sys of the generator process(es) (/usr/bin/time, /proc/PID/stat).",
            "Locust reports percentiles rounded to milliseconds."]}' "${results[@]}" >"$json"
/usr/bin/python3 "$BENCH_DIR/render.py" "$json" | tee "${json%.json}.md"
log "wrote $json and ${json%.json}.md"
