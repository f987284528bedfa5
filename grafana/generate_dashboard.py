#!/usr/bin/env python3
"""Generates dashboards/throng.json, the provisioned Throng dashboard.

The dashboard is code: edit this file (the load row and the assembly), backend_row.py (the
backend's own metrics, per exporter scheme) or run_annotations.py (runs on the time axis), then
re-run `python3 grafana/generate_dashboard.py` (`--check` only compares); the test suite checks
the committed JSON is current and evaluates every panel and annotation query against a real
Prometheus. Latency quantiles are computed from summed `_bucket` rates, so they stay correct when
several daemons are scraped.
"""
import json
import pathlib
import sys

sys.dont_write_bytecode = True  # run from the source tree by the test suite: leave no __pycache__
# pylint: disable=wrong-import-position
from backend_row import COMPARE_ROUTE_REGEX, SCHEMES, backend_panels, compare_route_query
from dashboard_lint import problems
from panels import RATE, custom_variable, panel, row, variable
from run_annotations import run_annotations

SEL = 'run=~"$run", test=~"$test"'
SEL_NAME = SEL + ', name=~"$name"'


def quantile(q, by):
    return (f"histogram_quantile({q}, sum by ({by}) "
            f"(rate(throng_http_request_duration_seconds_bucket{{{SEL_NAME}}}[{RATE}])))")


def fleet_panels(y):
    """A fleet run (throngctl run --fleet): every daemon's series carry the run's `run` label, so
    the panels above already show the fleet summed; these show its segments."""
    live = 'state=~"starting|running|paused|stopping"'
    return [
        row(300, "Fleet: one run over several daemons (the panels above are its sum)", y),
        panel(20, "Segments alive",
              [(f"count by (run) (throng_run_info{{{SEL}, {live}}})", "{{run}}")],
              0, y + 1, "short",
              desc="Daemons exposing a live segment of the run; a lost daemon drops out."),
        panel(21, "Request rate per segment (daemon)",
              [(f"sum by (instance) (rate(throng_http_requests_total{{{SEL_NAME}}}[{RATE}]))",
                "{{instance}}")],
              12, y + 1, "reqps", desc="Each segment's share; they differ by at most one user or "
              "arrival."),
    ]


def dashboard():
    panels = [
        row(100, "Load (Throng)", 0),
        panel(1, "Request rate by name",
              [(f"sum by (name) (rate(throng_http_requests_total{{{SEL_NAME}}}[{RATE}]))", "{{name}}")],
              0, 1, "reqps", desc="Requests per second sent by Throng, per request name."),
        panel(2, "Failure rate",
              # `or vector(0)`: no failure series yet means a ratio of 0, not "No data".
              [(f"(sum(rate(throng_http_request_failures_total{{{SEL_NAME}}}[{RATE}])) or vector(0)) / "
                f"clamp_min(sum(rate(throng_http_requests_total{{{SEL_NAME}}}[{RATE}])), 1e-9)", "failure ratio")],
              12, 1, "percentunit", desc="Share of requests that failed (any reason)."),
        panel(3, "Failures by reason",
              [(f"sum by (reason) (rate(throng_http_request_failures_total{{{SEL_NAME}}}[{RATE}]))", "{{reason}}")],
              0, 9, "reqps", desc="Failed requests per second by failure kind."),
        panel(4, "Latency p50 / p95 / p99 (all selected names)",
              [(quantile(0.5, "le"), "p50"), (quantile(0.95, "le"), "p95"), (quantile(0.99, "le"), "p99")],
              12, 9, "s", desc="Quantiles from summed histogram buckets across daemons."),
        panel(5, "Latency p95 by name", [(quantile(0.95, "name, le"), "{{name}}")], 0, 17, "s"),
        panel(6, "Active vs target users",
              [(f"sum(throng_active_users{{{SEL}}})", "active"), (f"sum(throng_target_users{{{SEL}}})", "target")],
              12, 17),
        panel(7, "Arrival rate and dropped iterations",
              [(f"sum(throng_target_arrival_rate{{{SEL}}})", "target arrival rate"),
               (f"sum(rate(throng_iterations_total{{{SEL}}}[{RATE}]))", "iterations/s"),
               (f"sum(rate(throng_dropped_iterations_total{{{SEL}}}[{RATE}]))", "dropped/s")],
              0, 25, "ops"),
        panel(8, "Threshold states (1 = passing)",
              [(f"throng_threshold_passing{{{SEL}}}", "{{test}}: {{threshold}}")], 12, 25, "short",
              kind="state-timeline"),
        panel(9, "Throng daemon CPU and memory",
              [('rate(process_cpu_seconds_total{job="throngd"}[' + RATE + '])', "CPU cores {{instance}}"),
               ('process_resident_memory_bytes{job="throngd"} / 1e9', "RSS GB {{instance}}")],
              0, 33, "short"),
        panel(10, "Runs", [(f"throng_run_info{{{SEL}}}", "{{run}} {{test}} {{state}}")], 12, 33, kind="table"),
        *backend_panels(41)[0],
        *fleet_panels(backend_panels(41)[1]),
    ]
    return {
        "uid": "throng-load", "title": "Throng load test", "tags": ["throng", "load-test"],
        "timezone": "browser", "schemaVersion": 37, "version": 1, "refresh": "5s",
        "time": {"from": "now-15m", "to": "now"},
        "templating": {"list": [
            {"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus",
             "current": {}, "hide": 0},
            variable("run", "Run", "label_values(throng_run_info, run)"),
            variable("test", "Test", 'label_values(throng_run_info{run=~"$run"}, test)'),
            variable("name", "Request name", 'label_values(throng_http_requests_total{run=~"$run"}, name)'),
            variable("backend_job", "Backend scrape job", "label_values(up, job)", include_all=False),
            custom_variable("backend_scheme", "Backend exporter", [(s.title, s.key) for s in SCHEMES],
                            default="demo"),
            variable("compare_name", "Compare: Throng request name",
                     'label_values(throng_http_requests_total{run=~"$run"}, name)', include_all=False),
            variable("compare_route", "Compare: backend route", compare_route_query(),
                     include_all=False, regex=COMPARE_ROUTE_REGEX),
        ]},
        "annotations": {"list": run_annotations()},
        "panels": panels,
    }


def main():
    out = pathlib.Path(__file__).parent / "dashboards" / "throng.json"
    model = dashboard()
    found = problems(model)
    if found:
        print("the generated dashboard is malformed:\n  " + "\n  ".join(found))
        return 1
    text = json.dumps(model, indent=2) + "\n"
    if sys.argv[1:] == ["--check"]:
        if out.read_text() != text:
            print(f"{out} is stale: run python3 grafana/generate_dashboard.py and commit it")
            return 1
        print(f"{out} is current")
        return 0
    out.write_text(text)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
