#!/usr/bin/env python3
"""End to end with a real Prometheus: the dashboard's queries return data and an alert fires.

Starts the demo backend, throngd and a Prometheus server (Debian package) on loopback ports,
with deploy/prometheus's rules and a copy of its scrape config pointed at those ports. Submits an
open-model job that requests one good and one missing route (so failures exist) with a
threshold that breaches, then, while the job runs, evaluates every query of the Grafana
dashboard (variables substituted) through Prometheus's HTTP API and asserts each returns
finite data; finally asserts ThrongThresholdBreached fires for the job.

Usage: prometheus_e2e.py --throngd PATH --throngctl PATH --backend PATH --source-dir DIR
Every wait is bounded; all processes are stopped on exit.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

from harness import Failure, Processes, free_port, http_get, start_backend, start_throngd, wait_for

JOB_SECONDS = 25       # the job's duration; queries run while it is still going
RATE_INTERVAL = "5s"   # $__rate_interval: >= 4 scrapes at the 1 s scrape interval


def scenario(backend_url):
    return f"""
name: e2e-prometheus
base_url: {backend_url}
user_classes:
  - name: Reader
    tasks:
      - name: list
        weight: 3
        steps:
          - request: {{name: GET /todos/, path: /todos/}}
      - name: missing
        steps:
          - request:
              name: GET /todos/[missing]
              path: /todos/999999999
              expect: {{status: [200]}}
load:
  open: {{rate: 40, max_users: 10}}
  duration: {JOB_SECONDS}s
thresholds:
  - expr: fail_rate < 1%
"""


def prometheus_config(throngd_metrics, backend_address, rules_dir):
    return f"""
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {rules_dir}/*.yml
scrape_configs:
  - job_name: throngd
    static_configs:
      - targets: ["{throngd_metrics}"]
  - job_name: backend
    static_configs:
      - targets: ["{backend_address}"]
"""


def dashboard_queries(path):
    """(panel title, expr) of every target of every panel, nested rows included."""
    with open(path) as f:
        dashboard = json.load(f)

    def panels(items):
        for panel in items:
            yield panel
            yield from panels(panel.get("panels", []))

    return [(panel["title"], target["expr"]) for panel in panels(dashboard["panels"])
            for target in panel.get("targets", []) if target.get("expr")]


def substitute(expr, variables):
    for name, value in variables.items():
        expr = expr.replace("$" + name, value)
    if "$" in expr:
        raise Failure(f"unsubstituted variable in {expr}")
    return expr


def query(prometheus, expr):
    url = f"{prometheus}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    body = json.loads(http_get(url))
    if body.get("status") != "success":
        raise Failure(f"query failed: {expr}: {body}")
    return body["data"]["result"]


def finite_samples(result):
    return [float(sample["value"][1]) for sample in result
            if math.isfinite(float(sample["value"][1]))]


def run(args, work):
    processes = Processes(work)
    try:
        backend_address = start_backend(processes, args.backend)
        backend_url = "http://" + backend_address
        grpc_address, throngd_metrics = start_throngd(processes, args.throngd, work)

        config = os.path.join(work, "prometheus.yml")
        with open(config, "w") as f:
            f.write(prometheus_config(throngd_metrics, backend_address,
                                      os.path.join(args.source_dir, "deploy/prometheus/rules")))
        check = subprocess.run(["promtool", "check", "config", config], capture_output=True,
                               text=True)
        if check.returncode != 0:
            raise Failure("promtool check config failed:\n" + check.stdout + check.stderr)
        prometheus_port = free_port()
        prometheus = f"http://127.0.0.1:{prometheus_port}"
        processes.start("prometheus", ["prometheus", f"--config.file={config}",
                                       f"--storage.tsdb.path={os.path.join(work, 'tsdb')}",
                                       f"--web.listen-address=127.0.0.1:{prometheus_port}"])
        wait_for("Prometheus to be ready", lambda: "Ready" in http_get(prometheus + "/-/ready"))
        wait_for("both scrape targets up", lambda: len(
            [s for s in query(prometheus, "up == 1")]) == 2)

        scenario_file = os.path.join(work, "scenario.yaml")
        with open(scenario_file, "w") as f:
            f.write(scenario(backend_url))
        submitted = subprocess.run([args.throngctl, "--daemon", grpc_address,
                                    "submit", scenario_file], capture_output=True, text=True,
                                   timeout=30)
        if submitted.returncode != 0:
            raise Failure("throngctl submit failed:\n" + submitted.stdout + submitted.stderr)
        run_id = submitted.stdout.strip().splitlines()[-1]
        print(f"job {run_id} submitted; backend {backend_url}, throngd {throngd_metrics}, "
              f"prometheus {prometheus}")

        variables = {"run": run_id, "test": "e2e-prometheus", "name": ".*",
                     "backend_job": "backend", "__rate_interval": RATE_INTERVAL}
        # Enough scrapes of the running job for every rate window.
        wait_for("the job's request rate in Prometheus", lambda: finite_samples(query(
            prometheus, f'sum(rate(throng_http_requests_total{{run="{run_id}"}}[5s])) > 0')),
            timeout=JOB_SECONDS)
        time.sleep(6)

        failures = []
        queries = dashboard_queries(args.dashboard)
        for title, expr in queries:
            concrete = substitute(expr, variables)
            samples = finite_samples(query(prometheus, concrete))
            print(f"  {'ok ' if samples else 'NO DATA'} {title}: {concrete} -> {samples[:4]}")
            if not samples:
                failures.append(f"panel '{title}' query returned no finite data: {concrete}")
        if len(queries) < 15:
            failures.append(f"only {len(queries)} queries found in {args.dashboard}")

        def breached_alert():
            body = json.loads(http_get(prometheus + "/api/v1/alerts"))
            return [a for a in body["data"]["alerts"]
                    if a["labels"].get("alertname") == "ThrongThresholdBreached"
                    and a["labels"].get("run") == run_id and a["state"] == "firing"]

        alerts = wait_for("ThrongThresholdBreached to fire", breached_alert, timeout=20)
        print(f"  alert firing: {alerts[0]['labels']} {alerts[0]['annotations']}")
        if alerts[0]["labels"].get("threshold") != "fail_rate < 1%":
            failures.append(f"alert has the wrong threshold label: {alerts[0]['labels']}")
        if failures:
            raise Failure("\n".join(failures))
    except Exception:
        for name in ("backend", "throngd", "prometheus"):
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
