#!/usr/bin/env python3
"""End to end with a real Prometheus: the dashboard's queries return data and an alert fires.

Starts the demo backend, one small backend per exporter naming scheme (exporter_backend.py:
prometheus-fastapi-instrumentator, django-prometheus, OpenTelemetry), throngd and a Prometheus
server (Debian package) on loopback ports, with deploy/prometheus's rules and a scrape config
pointed at those ports. Submits one open-model job per backend; the demo's requests a missing
route (so failures exist) with a threshold that breaches, the others pass theirs. While the jobs
run, it changes the demo job's rate and the Django job's users (throngctl update; that job uses
the closed model) and evaluates every query of the Grafana
dashboard (variables substituted) through Prometheus's HTTP API: the load row for the demo job,
and the backend row once per scheme (backend_scheme switched: that scheme's targets have data,
the others' are empty). Then ThrongThresholdBreached must fire for the demo job; after the jobs
end, the run annotations must give each job its start, end and verdict, and the rate change.
Last, a fleet run over this throngd and two more: the Fleet row shows its segments, and
`sum by (le)` across the three daemons equals the merged report's buckets (fleet_prometheus.py).

Usage: prometheus_e2e.py --throngd PATH --throngctl PATH --backend PATH --source-dir DIR
Every wait is bounded; all processes are stopped on exit.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from dashboard_checks import (check_annotations, check_backend_row, check_compare_route_variable,
                              check_load_row)
from dashboard_model import Dashboard
from fleet_prometheus import check_fleet
from harness import (Failure, Processes, start_backend, start_exporter_backend, start_throngd,
                     wait_for)
from prometheus_api import Prometheus, finite_samples

JOB_SECONDS = 25       # each job's duration; panel queries run while the jobs still go
RATE_INTERVAL = "5s"   # $__rate_interval: >= 4 scrapes at the 1 s scrape interval
DEMO_TEST = "e2e-prometheus"
# The route each backend names the list endpoint by, for the client-vs-server comparison panel.
LIST_ROUTE = {"demo": "/todos/", "fastapi": "/todos/", "django": "todo-list", "otel": "/todos/"}
# Each exporter's test backend and the schemes it records under: the FastAPI one is instrumented
# twice (instrumentator and OpenTelemetry), so backend_scheme alone must pick what its row shows.
EXPORTERS = {"fastapi": "fastapi,otel", "django": "django", "otel": "otel"}
UPDATE_AFTER_SECONDS = 10  # the target changes, well apart from the start on the time axis
# The load of each job, and the change `throngctl update` makes to it (the Django job is a closed
# model, to have a user count to change).
OPEN_LOAD = "open: {{rate: {rate}, max_users: 10}}"
LOAD = {"demo": OPEN_LOAD.format(rate=40), "fastapi": OPEN_LOAD.format(rate=20),
        "django": "closed: {users: 4, spawn_rate: 100}", "otel": OPEN_LOAD.format(rate=20)}
UPDATES = {"demo": (["--rate", "50"], "arrival rate"), "django": (["--users", "6"], "users")}
THINK_TIME = "    wait: {constant: 200ms}\n"  # about 20 requests/s from the closed model's 4 users


def scenario(name, backend_url, load, tasks):
    """A job of JOB_SECONDS under `load` reading /todos/ (weight 3) beside `tasks` (weight 1 each),
    with the threshold `fail_rate < 1%`."""
    return f"""
name: {name}
base_url: {backend_url}
user_classes:
  - name: Reader
{THINK_TIME if load.startswith("closed") else ""}    tasks:
      - name: list
        weight: 3
        steps:
          - request: {{name: GET /todos/, path: /todos/}}
{tasks}load:
  {load}
  duration: {JOB_SECONDS}s
thresholds:
  - expr: fail_rate < 1%
"""


# The demo job asks for a missing record and expects 200: a quarter of its requests fail, and
# its threshold breaches.
DEMO_TASKS = """      - name: missing
        steps:
          - request:
              name: GET /todos/[missing]
              path: /todos/999999999
              expect: {status: [200]}
"""
# Every route of exporter_backend.py; the 404 and the 500 are expected, so the threshold passes.
EXPORTER_TASKS = """      - name: one
        steps:
          - request: {name: "GET /todos/[id]", path: /todos/7}
      - name: missing
        steps:
          - request: {name: "GET /todos/[missing]", path: /todos/999999, expect: {status: [404]}}
      - name: fail
        steps:
          - request: {name: GET /fail, path: /fail, expect: {status: [500]}}
"""


def throngctl(args, grpc_address, *command):
    done = subprocess.run([args.throngctl, "--daemon", grpc_address, *command],
                          capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise Failure(f"throngctl {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def submit(args, grpc_address, work, name, text):
    path = os.path.join(work, name + ".yaml")
    with open(path, "w") as f:
        f.write(text)
    return throngctl(args, grpc_address, "submit", path).strip().splitlines()[-1]


def seconds(timestamp):
    """An RFC 3339 timestamp from the JSON mapping of google.protobuf.Timestamp, in Unix seconds."""
    return datetime.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


def finished_job(args, grpc_address, run_id):
    """(started, ended, passed) of a finished job, from throngctl get; None while it runs."""
    job = json.loads(throngctl(args, grpc_address, "get", run_id))
    ended = job.get("endedAt") or job.get("ended_at")
    if not ended:
        return None
    started = job.get("startedAt") or job.get("started_at")
    return seconds(started), seconds(ended), job.get("verdict") == "VERDICT_PASS"


def run(args, work):
    processes = Processes(work)
    try:
        backends = {"demo": start_backend(processes, args.backend)}
        for scheme, recorded in EXPORTERS.items():
            backends[scheme] = start_exporter_backend(processes, args.source_dir,
                                                      "backend-" + scheme, recorded)
        grpc_address, throngd_metrics = start_throngd(processes, args.throngd, work)
        # Two more daemons: with the first, the fleet run's three segments (fleet_prometheus.py).
        fleet = {f"throngd-fleet-{i}": start_throngd(processes, args.throngd, work,
                                                     name=f"throngd-fleet-{i}") for i in (1, 2)}
        scrape_job = {scheme: "backend" if scheme == "demo" else "backend-" + scheme
                      for scheme in backends}
        prometheus = Prometheus(
            processes, work,
            {"throngd": throngd_metrics, **{scrape_job[s]: a for s, a in backends.items()},
             **{name: addresses[1] for name, addresses in fleet.items()}},
            os.path.join(args.source_dir, "deploy/prometheus/rules"))

        submitted_at = time.time()
        runs = {"demo": submit(args, grpc_address, work, "demo", scenario(
            DEMO_TEST, "http://" + backends["demo"], LOAD["demo"], DEMO_TASKS))}
        for scheme in EXPORTERS:
            runs[scheme] = submit(args, grpc_address, work, scheme, scenario(
                "e2e-" + scheme, "http://" + backends[scheme], LOAD[scheme], EXPORTER_TASKS))
        print(f"jobs {runs}; backends {backends}; throngd {throngd_metrics}; "
              f"prometheus {prometheus.url}")

        for scheme, run_id in runs.items():
            rate = f'sum(rate(throng_http_requests_total{{run="{run_id}"}}[5s])) > 0'
            wait_for(f"the {scheme} job's request rate in Prometheus",
                     lambda: finite_samples(prometheus.query(rate)), timeout=JOB_SECONDS)
        time.sleep(max(0.0, submitted_at + UPDATE_AFTER_SECONDS - time.time()))
        updates = {}
        for scheme, (flags, target) in UPDATES.items():
            throngctl(args, grpc_address, "update", runs[scheme], *flags)
            updates[runs[scheme]] = (target, time.time())
        time.sleep(6)  # enough scrapes of the running jobs for every rate window

        dashboard = Dashboard(args.dashboard)
        common = {"test": ".*", "name": ".*", "compare_name": "GET /todos/",
                  "__rate_interval": RATE_INTERVAL}
        failures = check_load_row(prometheus, dashboard, dict(
            common, run=runs["demo"], test=DEMO_TEST, backend_job="backend"))
        for scheme, run_id in runs.items():
            variables = dict(common, run=run_id, backend_job=scrape_job[scheme],
                             compare_route=LIST_ROUTE[scheme])
            failures += check_backend_row(prometheus, dashboard, scheme, variables)
            failures += check_compare_route_variable(prometheus, dashboard, variables,
                                                     LIST_ROUTE[scheme])
        # The same FastAPI backend read through its OpenTelemetry names instead.
        failures += check_backend_row(prometheus, dashboard, "otel", dict(
            common, run=runs["fastapi"], backend_job="backend-fastapi", compare_route="/todos/"))

        def breached_alert():
            body = prometheus.api("alerts")
            return [a for a in body["alerts"]
                    if a["labels"].get("alertname") == "ThrongThresholdBreached"
                    and a["labels"].get("run") == runs["demo"] and a["state"] == "firing"]

        alerts = wait_for("ThrongThresholdBreached to fire", breached_alert, timeout=20)
        print(f"  alert firing: {alerts[0]['labels']} {alerts[0]['annotations']}")
        if alerts[0]["labels"].get("threshold") != "fail_rate < 1%":
            failures.append(f"alert has the wrong threshold label: {alerts[0]['labels']}")

        finished = {}
        for scheme, run_id in runs.items():
            finished[run_id] = wait_for(f"the {scheme} job to end", lambda: finished_job(
                args, grpc_address, run_id), timeout=JOB_SECONDS + 30)
        time.sleep(7)  # the verdict point is the first annotation step (5 s) after the end
        failures += check_annotations(prometheus, dashboard, dict(common, run=".*"), finished,
                                      updates, (submitted_at - 10, time.time()))
        failures += check_fleet(args, work, prometheus, dashboard,
                                [grpc_address, *(a[0] for a in fleet.values())],
                                "http://" + backends["demo"])
        if failures:
            raise Failure("\n".join(failures))
    except Exception:
        for name in ("backend", *("backend-" + s for s in EXPORTERS), "throngd",
                     "throngd-fleet-1", "throngd-fleet-2", "prometheus"):
            try:
                print(f"--- {name} log (tail) ---\n" + processes.log_of(name)[-3000:])
            except OSError:
                pass
        raise
    finally:
        processes.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--throngd", required=True)
    parser.add_argument("--throngctl", required=True)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()
    args.source_dir = os.path.abspath(args.source_dir)  # Prometheus resolves rule paths itself
    args.dashboard = os.path.join(args.source_dir, "grafana/dashboards/throng.json")
    if shutil.which("prometheus") is None or shutil.which("promtool") is None:
        print("prometheus/promtool not installed (scripts/install-deps.sh installs them)")
        return 1
    work = tempfile.mkdtemp(prefix="throng-e2e-")
    try:
        run(args, work)
    except Failure as e:
        print(f"FAILED: {e}")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
