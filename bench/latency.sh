#!/usr/bin/env bash
# Latency accuracy: Throng's p50/p99 beside wrk's at the same fixed, moderate rate on one nginx.
# Both tools run CONNECTIONS closed-loop connections that each wait DELAY_MS after every response
# (wrk through its Lua delay() hook, Throng through `wait: {constant: ...}`), so the offered rate is
# about CONNECTIONS * 1000 / DELAY_MS requests/s for both. Writes results/latency-<stamp>.{json,md}.
#   CONNECTIONS=10 DELAY_MS=10 DURATION=10 bench/latency.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS="${CONNECTIONS:-10}"
DELAY_MS="${DELAY_MS:-10}"
DURATION="${DURATION:-10}"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS must be a positive integer, got '$CONNECTIONS'"
[[ "$DELAY_MS" =~ ^[1-9][0-9]*$ ]] || die "DELAY_MS must be a positive integer, got '$DELAY_MS'"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "DURATION must be whole seconds > 0, got '$DURATION'"
require_binaries "$THRONGD" "$THRONGCTL"

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
machine=$(versions_json)
start_nginx
url="http://127.0.0.1:$NGINX_PORT"
echo "function delay() return $DELAY_MS end" >"$WORK/delay.lua"

log "wrk: $CONNECTIONS connections, ${DELAY_MS} ms between requests, ${DURATION}s"
run_wrk "$WORK/wrk.json" "$CONNECTIONS" "$DURATION" "$url/" "$WORK/delay.lua"
log "throng: same shape"
run_throng "$WORK/throng.json" "$CONNECTIONS" "$DURATION" "$url" "{constant: ${DELAY_MS}ms}"

mkdir -p "$RESULTS_DIR"
json="$RESULTS_DIR/latency-$(date -u +%Y%m%d-%H%M%S).json"
jq -s --argjson machine "$machine" --arg at "$started_at" --argjson c "$CONNECTIONS" \
  --argjson delay "$DELAY_MS" --argjson d "$DURATION" '{
    title: "Latency at a fixed moderate rate: Throng beside wrk",
    started_at: $at, machine: $machine, connections: $c, delay_ms: $delay, duration_s: $d,
    setup: ("nginx-light, 1 worker, on core \(env.SERVER_CORE // "0"); generator on core " +
            "\(env.CLIENT_CORE // "1"); \($c) connections each waiting \($delay) ms after every " +
            "response (about \($c * 1000 / $delay | floor) requests/s offered), \($d) s."),
    tools: .,
    notes: (
      if (.[0].status == "ok" and .[1].status == "ok") then
        ["p50 difference Throng - wrk: \(((.[1].p50_ms - .[0].p50_ms) * 1000) | round) us (target: within 20 us, issue 21)"]
      else ["No comparison: a tool did not complete."] end)}' \
  "$WORK/wrk.json" "$WORK/throng.json" >"$json"
/usr/bin/python3 "$BENCH_DIR/render.py" "$json" | tee "${json%.json}.md"
log "wrote $json and ${json%.json}.md"
