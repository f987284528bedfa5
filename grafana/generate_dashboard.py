#!/usr/bin/env python3
"""Generates dashboards/throng.json, the provisioned Throng dashboard.

The dashboard is code: edit this file and re-run it (`python3 grafana/generate_dashboard.py`; `--check` only
compares); the
test suite checks the committed JSON is current and evaluates every panel query against a real
Prometheus. Latency quantiles are computed from summed `_bucket` rates, so they stay correct when
several daemons are scraped.
"""
import json
import pathlib
import sys

SEL = 'run=~"$run", test=~"$test"'
SEL_NAME = SEL + ', name=~"$name"'
RATE = "$__rate_interval"
BACKEND = 'job="$backend_job"'


def target(expr, legend, ref):
    return {"datasource": {"type": "prometheus", "uid": "${datasource}"}, "expr": expr,
            "legendFormat": legend, "refId": ref}


def panel(pid, title, targets, x, y, unit="short", kind="timeseries", w=12, h=8, desc=""):
    return {
        "id": pid, "title": title, "type": kind, "description": desc,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]}},
        "targets": [target(e, l, chr(ord("A") + i)) for i, (e, l) in enumerate(targets)],
    }


def row(pid, title, y):
    return {"id": pid, "type": "row", "title": title, "collapsed": False,
            "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}, "panels": []}


def quantile(q, by):
    return (f"histogram_quantile({q}, sum by ({by}) "
            f"(rate(throng_http_request_duration_seconds_bucket{{{SEL_NAME}}}[{RATE}])))")


def backend_quantile(q):
    return (f"histogram_quantile({q}, sum by (le) "
            f"(rate(demo_http_request_duration_seconds_bucket{{{BACKEND}}}[{RATE}])))")


def variable(name, label, query, include_all=True):
    return {"name": name, "label": label, "type": "query",
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "query": {"query": query, "refId": name}, "definition": query, "refresh": 2,
            "includeAll": include_all, "multi": include_all, "allValue": ".*",
            "current": {"selected": True, "text": "All", "value": "$__all"} if include_all else {},
            "sort": 1}


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
        row(200, "Backend (its own metrics, same time axis)", 41),
        panel(11, "Backend request rate by route",
              [(f"sum by (route) (rate(demo_http_requests_total{{{BACKEND}}}[{RATE}]))", "{{route}}")],
              0, 42, "reqps", w=8),
        panel(12, "Backend latency p50 / p95 / p99",
              [(backend_quantile(0.5), "p50"), (backend_quantile(0.95), "p95"), (backend_quantile(0.99), "p99")],
              8, 42, "s", w=8),
        panel(13, "Backend error rate (5xx)",
              [(f'(sum(rate(demo_http_requests_total{{{BACKEND}, status=~"5.."}}[{RATE}])) or vector(0)) / '
                f"clamp_min(sum(rate(demo_http_requests_total{{{BACKEND}}}[{RATE}])), 1e-9)", "5xx ratio")],
              16, 42, "percentunit", w=8),
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
        ]},
        "panels": panels,
    }


def main():
    out = pathlib.Path(__file__).parent / "dashboards" / "throng.json"
    text = json.dumps(dashboard(), indent=2) + "\n"
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
