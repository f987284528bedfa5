#!/usr/bin/env bash
# The demo: builds Throng, starts the bundled demo backend and throngd on free loopback ports,
# runs the todo example (seed 001) with throngctl's live view, writes the HTML report and the
# Locust-style CSV files into demo-report/, shows a few of throngd's live series, then stops both.
# DEMO_RUN_TIME (default 20s) and DEMO_USERS (default 20) override the example's load.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target throngd throngctl throng-demo-backend -j "$(nproc)"
bin=build/release
work=$(mktemp -d)
cleanup() {
  [ -n "${backend_pid:-}" ] && kill "$backend_pid" 2>/dev/null || true
  [ -n "${daemon_pid:-}" ] && kill -TERM "$daemon_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_line() {  # wait_line FILE REGEX -> prints the first match (10 s at most)
  for _ in $(seq 100); do
    if line=$(grep -m1 -E "$2" "$1" 2>/dev/null); then echo "$line"; return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}

"$bin/examples/demo-backend/throng-demo-backend" --listen 127.0.0.1:0 --threads 2 >"$work/backend.out" 2>&1 &
backend_pid=$!
backend_url=$(wait_line "$work/backend.out" 'listening on http://' | grep -oE 'http://[0-9.:]+')
"$bin/daemon/throngd" --grpc-listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0 \
  --data-dir "$work/data" >"$work/throngd.out" 2>"$work/throngd.log" &
daemon_pid=$!
grpc_addr=$(wait_line "$work/throngd.out" 'grpc listening on' | awk '{print $NF}')
metrics_url=$(wait_line "$work/throngd.out" 'metrics listening on' | awk '{print $NF}')
echo "demo backend: $backend_url   throngd: grpc $grpc_addr, metrics $metrics_url"

ctl=("$bin/cli/throngctl" --daemon "$grpc_addr")
out=demo-report
mkdir -p "$out"
"${ctl[@]}" validate examples/scenarios/todo_crud.yaml --host "$backend_url"
status=0
"${ctl[@]}" run examples/scenarios/todo_crud.yaml --host "$backend_url" \
  --run-time "${DEMO_RUN_TIME:-20s}" --users "${DEMO_USERS:-20}" \
  --html "$out/report.html" --csv "$out/todo" --json "$out/report.json" || status=$?
echo
echo "throngd's series for the job (a few of them; Prometheus would scrape $metrics_url):"
curl -fsS "$metrics_url/metrics" | grep -E '^throng_(http_requests_total|threshold_passing|run_info)' | head -n 8 || true
echo
echo "reports: $out/report.html (open it in a browser; self-contained), $out/todo_stats.csv," \
  "$out/todo_stats_history.csv, $out/todo_failures.csv, $out/report.json"
echo "throngctl exit code: $status (0 pass, 1 thresholds failed, 2 bad input or job error)"
exit "$status"
