#!/usr/bin/env bash
# The demo: builds Throng, starts the bundled demo backend and throngd on free loopback ports,
# validates and submits the todo example (seed 001) with throngctl, lists it, then stops both.
# Until the engine is wired into throngd's job executor (issue 4), a submitted job is registered
# and persisted but not run; the engine itself is exercised by tests/integration/engine.
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
"${ctl[@]}" validate examples/scenarios/todo_crud.yaml --host "$backend_url"
job_id=$("${ctl[@]}" submit examples/scenarios/todo_crud.yaml --host "$backend_url" --run-time 15s)
echo "submitted job $job_id"
"${ctl[@]}" list
"${ctl[@]}" get "$job_id" | head -n 20
curl -fsS "$metrics_url" | grep -E '^throngd_build_info|^process_' || true
