#!/usr/bin/env bash
# Resident memory per virtual user: USER_LEVELS users (default 1k, 10k, 50k), each thinking THINK
# between requests to the demo backend (default: users / MAX_RATE seconds, at least 1 s, so a level
# offers at most MAX_RATE requests/s in all: 50k users think 10 s, 100k users 20 s; a 2-core
# machine serving 50k requests/s would measure its saturation, not memory), spawned at SPAWN_RATE
# users/s in all (split over the shards). Every virtual user holds one keep-alive connection, so a
# level is split into shards of at most SHARD_USERS users (default: the open-file limit minus a
# margin, and half the ephemeral port range minus a margin); shard k is one throngd + one demo
# backend on its own loopback address 127.0.0.(k+2), which keeps both the per-process descriptor
# limit and the kernel's ephemeral port range (one per destination address) out of the way. Per-user memory = sum over shards of
# (throngd peak RSS - its idle RSS) / users. Writes results/memory-<stamp>.{json,md}.
#   USER_LEVELS="1000 10000 50000" DURATION=10 SPAWN_RATE=5000 MAX_RATE=5000 [THINK=1s] bench/memory.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

USER_LEVELS="${USER_LEVELS:-1000 10000 50000}"
DURATION="${DURATION:-10}"
SPAWN_RATE="${SPAWN_RATE:-5000}"
THINK="${THINK:-}"
MAX_RATE="${MAX_RATE:-5000}"
# Linux gives connect() the ephemeral ports of one parity first (half of ip_local_port_range);
# once a destination has used them, every connect() scans the whole range under a lock, and a
# throngd worker opening thousands of connections stalls in the system call (seen at 14,116 users
# per shard with the default 32768-60999: the job stopped for 13 s, then timed out). So a shard
# also stays below that half.
half_ports=$(awk '{print int(($2 - $1 + 1) / 2)}' /proc/sys/net/ipv4/ip_local_port_range)
shard_default=$(($(ulimit -n) < half_ports ? $(ulimit -n) : half_ports))
SHARD_USERS="${SHARD_USERS:-$((shard_default - 1000))}"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "DURATION must be whole seconds > 0, got '$DURATION'"
[[ "$SPAWN_RATE" =~ ^[1-9][0-9]*$ ]] || die "SPAWN_RATE must be a positive integer, got '$SPAWN_RATE'"
[[ "$MAX_RATE" =~ ^[1-9][0-9]*$ ]] || die "MAX_RATE must be a positive integer, got '$MAX_RATE'"
[[ "$SHARD_USERS" -ge 100 ]] || die "SHARD_USERS must be >= 100 (ulimit -n is $(ulimit -n))"
require_binaries "$THRONGD" "$THRONGCTL" "$DEMO_BACKEND"

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
machine=$(versions_json)

# measure_level USERS OUT_JSON
measure_level() {
  local users=$1 out=$2
  local shards=$(((users + SHARD_USERS - 1) / SHARD_USERS))
  ((shards <= 250)) || die "$users users need $shards shards; raise SHARD_USERS"
  # The run must outlast spawning so the peak includes every user.
  local dur=$((DURATION + users / SPAWN_RATE))
  local spawn_rate=$(((SPAWN_RATE + shards - 1) / shards))
  local think=${THINK:-$((users / MAX_RATE > 1 ? users / MAX_RATE : 1))s}
  local -a daemons=() ctls=() idle=() dirs=()
  local k
  for ((k = 0; k < shards; k++)); do
    local n=$((users / shards + (k < users % shards ? 1 : 0)))
    local host="127.0.0.$((k + 2))"
    start_demo_backend "backend-$users-$k" "$host" "$SERVER_CORE" 1
    start_throngd "throngd-$users-$k" "$CLIENT_CORE" --threads 1
    local dir="$WORK/throngd-$users-$k"
    dirs+=("$dir")
    daemons+=("$THRONGD_PID")
    idle+=("$(rss_kb "$THRONGD_PID" VmRSS)")
    throng_scenario "$dir/job.yaml" "http://$host:$BACKEND_PORT" "$n" "${dur}s" \
      "{constant: $think}" "$spawn_rate" /health
    start_throngctl "$dir" "$dur"
    ctls+=("$CTL_PID")
  done
  local extra=0 requests=0 fails=0 status=ok why
  for ((k = 0; k < shards; k++)); do
    await_throngctl "${dirs[k]}" "${ctls[k]}" || status="failed: shard $k: $(cat "${dirs[k]}/why")"
  done
  for ((k = 0; k < shards; k++)); do
    local hwm
    hwm=$(rss_kb "${daemons[k]}" VmHWM)
    extra=$((extra + hwm - idle[k]))
    if [[ $status == ok ]]; then
      requests=$((requests + $(jq -r '.aggregated.requests // 0' "${dirs[k]}/report.json")))
      fails=$((fails + $(jq -r '.aggregated.failures // 0' "${dirs[k]}/report.json")))
    fi
    kill "${daemons[k]}" 2>/dev/null || true
  done
  jq -n --argjson users "$users" --argjson shards "$shards" --argjson extra "$extra" \
    --argjson requests "$requests" --argjson fails "$fails" --arg status "$status" \
    --argjson dur "$dur" --arg think "$think" \
    '{users: $users, shards: $shards, duration_s: $dur, think: $think, status: $status,
      rss_over_idle_kb: $extra, kb_per_user: (if $status == "ok" then $extra / $users else null end), requests: $requests,
      failures: $fails}' >"$out"
  # Backends of this level are no longer needed; free their descriptors before the next level.
  for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}

levels=()
for users in $USER_LEVELS; do
  [[ "$users" =~ ^[1-9][0-9]*$ ]] || die "USER_LEVELS: '$users' is not a positive integer"
  log "memory: $users users"
  measure_level "$users" "$WORK/level-$users.json"
  levels+=("$WORK/level-$users.json")
done

mkdir -p "$RESULTS_DIR"
json="$RESULTS_DIR/memory-$(date -u +%Y%m%d-%H%M%S).json"
jq -s --argjson machine "$machine" --arg at "$started_at" --argjson shard "$SHARD_USERS" \
  '{title: "Resident memory per virtual user", started_at: $at, machine: $machine,
    shard_users: $shard, levels: .}' "${levels[@]}" >"$json"
{
  jq -r '"# \(.title)\n\n\(.started_at) · \(.machine.cores) cores · throng \(.machine.versions.throng)" +
    " · at most \(.shard_users) users per throngd (open-file limit)\n\n" +
    "| users | shards | think | status | throngd RSS over idle MiB | KiB per user | requests | failures |\n" +
    "|---:|---:|---:|---|---:|---:|---:|---:|"' "$json"
  jq -r '.levels[] | "| \(.users) | \(.shards) | \(.think) | \(.status) | \(.rss_over_idle_kb / 1024 * 10 | round / 10) | " +
    "\(if .kb_per_user then .kb_per_user * 100 | round / 100 else "-" end) | \(.requests) | \(.failures) |"' "$json"
  echo
  echo "Target: under 20 KB resident per virtual user at 50k users."
} | tee "${json%.json}.md"
log "wrote $json and ${json%.json}.md"
