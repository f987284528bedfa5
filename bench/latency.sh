#!/usr/bin/env bash
# Latency accuracy: Throng's p50/p99 beside wrk's at the same fixed, moderate rate on one nginx.
# Both tools run CONNECTIONS closed-loop connections that each wait DELAY_MS after every response
# (wrk through its Lua delay() hook, Throng through `wait: {constant: ...}`), so the offered rate is
# about CONNECTIONS * 1000 / DELAY_MS requests/s for both, ROUNDS times in turn (each round's
# difference is against that round's wrk). Writes results/latency-<stamp>.{json,md}.
#   CONNECTIONS=10 DELAY_MS=10 DURATION=10 ROUNDS=1 bench/latency.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS="${CONNECTIONS:-10}"
DELAY_MS="${DELAY_MS:-10}"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-1}"
[[ "$ROUNDS" =~ ^[1-9][0-9]?$ ]] || die "ROUNDS must be 1..99, got '$ROUNDS'"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS must be a positive integer, got '$CONNECTIONS'"
[[ "$DELAY_MS" =~ ^[1-9][0-9]*$ ]] || die "DELAY_MS must be a positive integer, got '$DELAY_MS'"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "DURATION must be whole seconds > 0, got '$DURATION'"
require_binaries "$THRONGD" "$THRONGCTL"

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
machine=$(versions_json)
start_nginx
url="http://127.0.0.1:$NGINX_PORT"
echo "function delay() return $DELAY_MS end" >"$WORK/delay.lua"

results=()
for ((round = 1; round <= ROUNDS; round++)); do
  log "round $round/$ROUNDS: wrk, $CONNECTIONS connections, ${DELAY_MS} ms between requests, ${DURATION}s"
  run_wrk "$WORK/wrk-$round.json" "$CONNECTIONS" "$DURATION" "$url/" "$WORK/delay.lua"
  log "round $round/$ROUNDS: throng, same shape"
  run_throng "$WORK/throng-$round.json" "$CONNECTIONS" "$DURATION" "$url" "{constant: ${DELAY_MS}ms}"
  for tool in wrk throng; do
    jq --argjson r "$round" '. + {round: $r}' "$WORK/$tool-$round.json" >"$WORK/$tool-$round.r"
    results+=("$WORK/$tool-$round.r")
  done
done

mkdir -p "$RESULTS_DIR"
json="$RESULTS_DIR/latency-$(date -u +%Y%m%d-%H%M%S).json"
jq -s --argjson machine "$machine" --arg at "$started_at" --argjson c "$CONNECTIONS" \
  --argjson delay "$DELAY_MS" --argjson d "$DURATION" --argjson rounds "$ROUNDS" '{
    title: "Latency at a fixed moderate rate: Throng beside wrk",
    started_at: $at, machine: $machine, connections: $c, delay_ms: $delay, duration_s: $d,
    rounds: $rounds,
    setup: ("nginx-light, 1 worker, on core \(env.SERVER_CORE // "0"); generator on core " +
            "\(env.CLIENT_CORE // "1"); \($c) connections each waiting \($delay) ms after every " +
            "response (about \($c * 1000 / $delay | floor) requests/s offered), \($d) s."),
    tools: .,
    notes: ["Target (issue 21): Throng'"'"'s p50 within 20 us of wrk'"'"'s at the same rate."]}' \
  "${results[@]}" >"$json"
/usr/bin/python3 "$BENCH_DIR/render.py" "$json" | tee "${json%.json}.md"
log "wrote $json and ${json%.json}.md"
