# shellcheck shell=bash disable=SC2034  # variables here are read by the scripts that source it
# Shared helpers for bench/*.sh; source it, do not run it.
# Every process started here is recorded in BENCH_PIDS and killed by bench_cleanup (by pid only).

set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
BUILD_DIR="${BUILD_DIR:-$REPO_DIR/build/bench-rel}"
THRONGD="${THRONGD:-$BUILD_DIR/daemon/throngd}"
THRONGCTL="${THRONGCTL:-$BUILD_DIR/cli/throngctl}"
DEMO_BACKEND="${DEMO_BACKEND:-$BUILD_DIR/examples/demo-backend/throng-demo-backend}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
SERVER_CORE="${SERVER_CORE:-0}"
CLIENT_CORE="${CLIENT_CORE:-1}"
# Generator threads: wrk -tN and throngd --threads N (run.sh, latency.sh).
GEN_THREADS="${GEN_THREADS:-1}"
[[ "$GEN_THREADS" =~ ^[1-9][0-9]?$ ]] || { echo "[bench] error: GEN_THREADS must be 1..99, got '$GEN_THREADS'" >&2; exit 1; }
# Debian's locust script runs /usr/bin/python3; a python3 earlier on PATH may lack the module.
LOCUST="${LOCUST:-/usr/bin/locust}"

BENCH_PIDS=()
WORK="$(mktemp -d /tmp/throng-bench.XXXXXX)"

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BENCH_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$WORK"
}
trap bench_cleanup EXIT

log() { echo "[bench] $*" >&2; }
die() { echo "[bench] error: $*" >&2; exit 1; }

require_binaries() {
  local bin
  for bin in "$@"; do
    [[ -x "$bin" ]] || die "$bin not found; build it first:
  cmake -S $REPO_DIR -B $BUILD_DIR -G Ninja -DCMAKE_BUILD_TYPE=Release
  ninja -C $BUILD_DIR throngd throngctl throng-demo-backend"
  done
}

# wait_for_line FILE REGEX [TIMEOUT_S]: prints the first matching line of FILE.
wait_for_line() {
  local file=$1 regex=$2 timeout=${3:-15} i line
  for ((i = 0; i < timeout * 10; i++)); do
    line=$(grep -m1 -E "$regex" "$file" 2>/dev/null || true)
    if [[ -n "$line" ]]; then echo "$line"; return 0; fi
    sleep 0.1
  done
  die "timed out waiting for /$regex/ in $file: $(tail -n5 "$file" 2>/dev/null)"
}

# port_of LINE: the port at the end of a "... host:PORT" start-up line.
port_of() { sed -E 's#.*:([0-9]+)/?$#\1#' <<<"$1"; }

# start_nginx: one worker pinned to SERVER_CORE serving a 2-byte body; sets NGINX_PORT.
start_nginx() {
  local dir="$WORK/nginx"
  mkdir -p "$dir"
  NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
master_process off;
error_log $dir/error.log warn;
pid $dir/nginx.pid;
worker_rlimit_nofile 16384;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $dir;
  proxy_temp_path $dir;
  fastcgi_temp_path $dir;
  uwsgi_temp_path $dir;
  scgi_temp_path $dir;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    location / { default_type text/plain; return 200 "ok"; }
  }
}
EOF
  taskset -c "$SERVER_CORE" nginx -p "$dir" -c "$dir/nginx.conf" >"$dir/out.log" 2>&1 &
  BENCH_PIDS+=($!)
  local i
  for ((i = 0; i < 50; i++)); do
    curl -fs "http://127.0.0.1:$NGINX_PORT/" >/dev/null && return 0
    sleep 0.1
  done
  die "nginx did not start: $(cat "$dir/error.log" "$dir/out.log")"
}

# start_throngd NAME CORE_LIST [extra flags]: sets THRONGD_PID, GRPC_ADDR, METRICS_URL.
start_throngd() {
  local name=$1 cores=$2
  shift 2
  local dir="$WORK/$name"
  mkdir -p "$dir/data"
  taskset -c "$cores" "$THRONGD" --grpc-listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0 \
    --data-dir "$dir/data" --log-level warn "$@" >"$dir/throngd.out" 2>"$dir/throngd.err" &
  THRONGD_PID=$!
  BENCH_PIDS+=("$THRONGD_PID")
  GRPC_ADDR="127.0.0.1:$(port_of "$(wait_for_line "$dir/throngd.out" 'grpc listening on')")"
  METRICS_URL="$(wait_for_line "$dir/throngd.out" 'metrics listening on' | grep -oE 'http://[^ ]+')"
  METRICS_URL="${METRICS_URL%/}/metrics"
  [[ "$GRPC_ADDR" =~ :[0-9]+$ && "$METRICS_URL" == http* ]] ||
    die "throngd did not report its addresses: $(tail -n3 "$dir/throngd.err")"
}

# start_demo_backend NAME HOST CORE_LIST THREADS: sets BACKEND_PORT, BACKEND_PID.
start_demo_backend() {
  local name=$1 host=$2 cores=$3 threads=$4
  local out="$WORK/$name.out"
  taskset -c "$cores" "$DEMO_BACKEND" --listen "$host:0" --threads "$threads" \
    --prepared-users 1 >"$out" 2>&1 &
  BACKEND_PID=$!
  BENCH_PIDS+=("$BACKEND_PID")
  BACKEND_PORT=$(port_of "$(wait_for_line "$out" 'listening on')")
  [[ "$BACKEND_PORT" =~ ^[0-9]+$ ]] || die "demo backend on $host did not start: $(tail -n3 "$out")"
}

# cpu_seconds PID: user+sys CPU seconds the process has used so far.
cpu_seconds() {
  local tck
  tck=$(getconf CLK_TCK)
  awk -v t="$tck" '{sub(/^.*\) /, ""); printf "%.3f\n", ($12 + $13) / t}' "/proc/$1/stat"
}

# rss_kb PID FIELD: VmRSS or VmHWM (peak) in KiB.
rss_kb() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }

# scrape_loop URL OUT: curl the Prometheus endpoint every second until killed; sets SCRAPE_PID.
scrape_loop() {
  local url=$1 out=$2
  (
    n=0
    while true; do
      curl -fs -o /dev/null "$url" && n=$((n + 1))
      echo "$n" >"$out"
      sleep 1
    done
  ) &
  SCRAPE_PID=$!
  BENCH_PIDS+=("$SCRAPE_PID")
}

# throng_scenario FILE BASE_URL USERS DURATION WAIT_YAML [SPAWN_RATE] [PATH]: a closed-model job
# of one named GET (so the per-endpoint histogram is recorded).
throng_scenario() {
  local file=$1 base=$2 users=$3 duration=$4 wait=$5 spawn=${6:-0} path=${7:-/}
  cat >"$file" <<EOF
name: bench
base_url: $base
user_classes:
  - name: Hammer
$( [[ -n "$wait" ]] && echo "    wait: $wait")
    tasks:
      - steps:
          - request: {name: "$path", path: "$path"}
load:
  closed: {users: $users, spawn_rate: $spawn}
  duration: $duration
  graceful_stop: 2s
EOF
}

# versions_json: tool versions and machine facts as a JSON object.
versions_json() {
  local throng_rev
  throng_rev=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
  jq -n \
    --arg cores "$(nproc)" \
    --arg cpu "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" \
    --arg kernel "$(uname -r)" \
    --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
    --arg throng "$throng_rev" \
    --arg wrk "$(wrk --version 2>&1 | head -n1 | awk '{print $2}')" \
    --arg nginx "$(nginx -v 2>&1 | sed 's#.*/##')" \
    --arg locust "$(dpkg-query -W -f='${Version}' python3-locust 2>/dev/null || echo unknown)" \
    '{cores: ($cores|tonumber), cpu: $cpu, kernel: $kernel, load_average_at_start: $load,
      versions: {throng: $throng, wrk: $wrk, nginx: $nginx, locust: $locust}}'
}

# wrk_ms VALUE: wrk latency text (e.g. 52.00us, 1.20ms, 2.01s) in milliseconds.
wrk_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
    printf "%.3f\n", n }'
}

# run_wrk OUT_JSON CONNECTIONS DURATION_S URL [LUA_SCRIPT]: wrk -tGEN_THREADS pinned to CLIENT_CORE.
run_wrk() {
  local out=$1 conns=$2 dur=$3 url=$4 script=${5:-}
  local txt="$WORK/wrk.txt" tm="$WORK/wrk.time"
  local -a args=(-t"$GEN_THREADS" -c"$conns" -d"${dur}s" --latency)
  [[ -n "$script" ]] && args+=(-s "$script")
  /usr/bin/time -f '%U %S %M' -o "$tm" taskset -c "$CLIENT_CORE" wrk "${args[@]}" "$url" >"$txt"
  local reqs p50 p99
  reqs=$(awk '/requests in/ {print $1}' "$txt")
  p50=$(wrk_ms "$(awk '$1 == "50%" {print $2}' "$txt")")
  p99=$(wrk_ms "$(awk '$1 == "99%" {print $2}' "$txt")")
  read -r user sys maxrss <"$tm"
  jq -n --arg tool wrk --argjson reqs "$reqs" --argjson dur "$dur" --argjson p50 "$p50" \
    --argjson p99 "$p99" --argjson cpu "$(awk -v a="$user" -v b="$sys" 'BEGIN{print a+b}')" \
    --argjson rss "$maxrss" --argjson errors "$(awk '/Non-2xx|Socket errors/ {s += 1} END {print s+0}' "$txt")" \
    '{tool: $tool, status: "ok", requests: $reqs, duration_s: $dur, rps: ($reqs / $dur), cpu_s: $cpu,
      p50_ms: $p50, p99_ms: $p99, peak_rss_kb: $rss, error_lines: $errors}' >"$out"
}

# throng_report_field JSON JQ: one value from throngctl's JSON report.
throng_report_field() { jq -r "$2" "$1"; }

# run_locust OUT_JSON USERS DURATION_S URL [WAIT_S]: headless FastHttpUser pinned to CLIENT_CORE.
run_locust() {
  local out=$1 users=$2 dur=$3 url=$4 wait=${5:-0}
  local file="$WORK/locustfile.py" tm="$WORK/locust.time"
  cat >"$file" <<PY
from locust import FastHttpUser, constant, task


class Hammer(FastHttpUser):
    wait_time = constant($wait)

    @task
    def root(self):
        self.client.get("/", name="/")
PY
  /usr/bin/time -f '%U %S %M' -o "$tm" taskset -c "$CLIENT_CORE" "$LOCUST" -f "$file" --headless \
    -u "$users" -r "$users" -t "${dur}s" --host "$url" --only-summary \
    --loglevel WARNING >"$WORK/locust.out" 2>&1 || true
  # The final console table is complete; the --csv files are flushed periodically and can lag.
  local line
  line=$(awk '$1 == "Aggregated" && NF == 13' "$WORK/locust.out" | tail -n1)
  [[ -n "$line" ]] || {
    jq -n --arg why "no summary: $(tail -n1 "$WORK/locust.out")" \
      '{tool: "locust", status: ("failed: " + $why)}' >"$out"
    return 0
  }
  local fails
  fails=$(awk '$1 == "Aggregated" && NF != 13 {print $3}' "$WORK/locust.out" | tail -n1)
  read -r user sys maxrss <"$tm"
  read -r _ p50 _ _ _ _ _ _ p99 _ _ _ reqs <<<"$line"
  jq -n --argjson reqs "$reqs" --argjson dur "$dur" --argjson p50 "$p50" --argjson p99 "$p99" \
    --argjson cpu "$(awk -v a="$user" -v b="$sys" 'BEGIN{print a+b}')" --argjson rss "$maxrss" \
    --argjson fails "${fails%%(*}" \
    '{tool: "locust", status: "ok", requests: $reqs, duration_s: $dur, rps: ($reqs / $dur),
      cpu_s: $cpu, p50_ms: $p50, p99_ms: $p99, peak_rss_kb: $rss, failures: $fails}' >"$out"
}

# start_throngctl DIR DURATION_S [PREFIX...]: `throngctl run DIR/job.yaml` in the background against
# GRPC_ADDR, report to DIR/report.json, output in DIR/ctl.out; sets CTL_PID.
start_throngctl() {
  local dir=$1 dur=$2
  shift 2
  timeout $((dur + 60)) "$@" "$THRONGCTL" --daemon "$GRPC_ADDR" run "$dir/job.yaml" \
    --json "$dir/report.json" >"$dir/ctl.out" 2>&1 &
  CTL_PID=$!
  BENCH_PIDS+=("$CTL_PID")
}

# await_throngctl DIR PID: waits for it; on failure writes why to DIR/why and returns non-zero.
# Must run in the shell that started PID (not in $(...): `wait` only knows its own children).
# A job that never starts (still QUEUED) is given up after START_TIMEOUT seconds.
await_throngctl() {
  local dir=$1 pid=$2 i rc=0
  local started_re='\b(STARTING|RUNNING|PAUSED|STOPPING|COMPLETED|STOPPED|FAILED)\b'
  for ((i = 0; i < ${START_TIMEOUT:-15} * 10; i++)); do
    grep -qE "$started_re" "$dir/ctl.out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -qE "$started_re" "$dir/ctl.out" 2>/dev/null && kill "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    echo "job still QUEUED after ${START_TIMEOUT:-15}s" >"$dir/why"
    return 1
  fi
  wait "$pid" || rc=$?
  if [[ $rc -ne 0 || ! -s "$dir/report.json" ]]; then
    echo "throngctl run exit $rc: $(tail -n1 "$dir/ctl.out" | tr -s ' ')" >"$dir/why"
    return 1
  fi
}

# run_throng OUT_JSON USERS DURATION_S URL WAIT_YAML: throngd --threads GEN_THREADS pinned to
# CLIENT_CORE driving one
# closed-model job through `throngctl run`, its Prometheus endpoint scraped every second.
run_throng() {
  local out=$1 users=$2 dur=$3 url=$4 wait=$5
  local name="throng-$RANDOM"
  start_throngd "$name" "$CLIENT_CORE" --threads "$GEN_THREADS"
  local dir="$WORK/$name"
  throng_scenario "$dir/job.yaml" "$url" "$users" "${dur}s" "$wait"
  scrape_loop "$METRICS_URL" "$dir/scrapes"
  local cpu0 cpu1 rc=0 why
  cpu0=$(cpu_seconds "$THRONGD_PID")
  start_throngctl "$dir" "$dur" taskset -c "$CLIENT_CORE"
  await_throngctl "$dir" "$CTL_PID" || { rc=$?; why=$(cat "$dir/why"); }
  cpu1=$(cpu_seconds "$THRONGD_PID")
  kill "$SCRAPE_PID" 2>/dev/null || true
  local hwm scrapes
  hwm=$(rss_kb "$THRONGD_PID" VmHWM)
  scrapes=$(cat "$dir/scrapes" 2>/dev/null || echo 0)
  kill "$THRONGD_PID" 2>/dev/null || true
  if [[ $rc -ne 0 ]]; then
    jq -n --arg why "$why" '{tool: "throng", status: ("failed: " + $why)}' >"$out"
    log "throng did not complete; last lines of throngctl:"; tail -n3 "$dir/ctl.out" >&2
    return 0
  fi
  # Layout of api/src/report_json.cpp: aggregated.{requests,failures,latency_ms.{p50,p99}} and
  # summary.duration_s (the job's measured length, used for requests/s when present).
  jq --argjson dur "$dur" --argjson cpu "$(awk -v a="$cpu1" -v b="$cpu0" 'BEGIN{print a-b}')" \
    --argjson rss "$hwm" --argjson scrapes "$scrapes" '
    .aggregated as $a | ((.summary.duration_s // 0) | if . > 0 then . else $dur end) as $d |
    {tool: "throng", status: "ok", state: .job.state, requests: $a.requests, duration_s: $d,
     rps: ($a.requests / $d), cpu_s: $cpu, p50_ms: $a.latency_ms.p50, p99_ms: $a.latency_ms.p99,
     peak_rss_kb: $rss, failures: $a.failures, prometheus_scrapes: $scrapes}' \
    "$dir/report.json" >"$out"
}

# ctl ARGS...: throngctl against GRPC_ADDR (set by start_throngd).
ctl() { "$THRONGCTL" --daemon "$GRPC_ADDR" "$@"; }

# submit_job FILE: `throngctl submit FILE`; prints the job id.
submit_job() {
  local id
  id=$(ctl submit "$1") || die "throngctl submit $1 failed"
  [[ "$id" =~ ^[A-Za-z0-9._-]+$ ]] || die "throngctl submit printed no job id: '$id'"
  echo "$id"
}

# job_json ID: the job as `throngctl get` prints it (proto JSON: 64-bit counters are strings,
# zero fields are left out).
job_json() { ctl get "$1"; }

# await_job_state ID REGEX TIMEOUT_S: polls the job's state every 0.2 s until it matches REGEX
# (e.g. 'RUNNING' or 'COMPLETED|STOPPED|FAILED'); prints the state, non-zero on timeout.
await_job_state() {
  local id=$1 regex=$2 timeout=$3 i state=
  for ((i = 0; i < timeout * 5; i++)); do
    state=$(job_json "$id" | jq -r '.state // empty') || true
    if [[ "$state" =~ ^($regex)$ ]]; then echo "$state"; return 0; fi
    sleep 0.2
  done
  echo "${state:-unknown}"
  return 1
}

# require_whole NAME...: each named variable holds whole seconds/counts > 0, or the script dies.
require_whole() {
  local name
  for name in "$@"; do
    [[ "${!name}" =~ ^[1-9][0-9]*$ ]] || die "$name must be a whole number > 0, got '${!name}'"
  done
}

# require_number NAME...: each named variable holds a number > 0, or the script dies.
require_number() {
  local name
  for name in "$@"; do
    [[ "${!name}" =~ ^[0-9]*[.]?[0-9]+$ && ! "${!name}" =~ ^[0.]+$ ]] ||
      die "$name must be a number > 0, got '${!name}'"
  done
}
