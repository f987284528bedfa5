"""The fleet part of prometheus_e2e.py: one run over three throngd scraped by one Prometheus.

While the run goes, the dashboard's Fleet row must show three segments alive and one request
rate per daemon; after it, Prometheus' `sum by (le)` of the three daemons' bucket series must
equal, bucket for bucket, the counts of the merged report's histogram (throngctl's exact merge)
at the same bounds, and the summed request counter the merged report's total.
"""

import json
import math
import os
import subprocess

from dashboard_model import substitute
from harness import Failure, wait_for
from prometheus_api import finite_samples

FLEET_RUN = "e2e-fleet"
FLEET_ROW = "Fleet"
SCENARIO = """
name: e2e-fleet
base_url: {url}
user_classes:
  - name: Reader
    wait: {{constant: 50ms}}
    tasks: [{{steps: [{{request: {{name: GET /todos/, path: /todos/}}}}]}}]
load:
  closed: {{users: 30}}
  duration: 6s
"""


def highest_equivalent_us(index):
    """The largest value (us) of bucket `index` of the engine's HDR layout (histogram.h)."""
    shift = max(0, (index >> 10) - 1)
    sub_bucket = index - ((shift + 1) << 10) + 1024
    return (sub_bucket << shift) + (1 << shift) - 1


def count_at_or_below(histogram, bound_seconds):
    """LatencyHistogram::CountAtOrBelow of a JSON report's latency_histogram: the values whose
    bucket lies wholly at or below the bound (the daemon's rule for its `le` series)."""
    bound_us = math.floor(bound_seconds * 1e6 + 1e-6)
    index, total = 0, 0
    for delta, count in zip(histogram["index_delta"], histogram["counts"]):
        index += delta
        if highest_equivalent_us(index) <= bound_us:
            total += count
    return total


def check_fleet(args, work, prometheus, dashboard, daemons, backend_url):
    """Runs the fleet job on `daemons` (gRPC addresses); a list of failures."""
    path = os.path.join(work, "fleet.yaml")
    with open(path, "w") as f:
        f.write(SCENARIO.format(url=backend_url))
    report_path = os.path.join(work, "fleet.json")
    starter = subprocess.Popen(
        [args.throngctl, "run", path, "--fleet", ",".join(daemons), "--run-id", FLEET_RUN,
         "--json", report_path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    failures = []
    try:
        variables = {"run": FLEET_RUN, "test": ".*", "name": ".*", "__rate_interval": "5s"}
        targets = [t for t in dashboard.targets() if t.row.startswith(FLEET_ROW)]
        if len(targets) < 2:
            failures.append(f"only {len(targets)} fleet-row queries found")
        for t in targets:
            expr = substitute(t.expr, variables)
            # Segments alive: one series (the run) of value 3; per daemon: three series.
            wanted = [3.0] if "count by" in expr else None
            samples = wait_for(f"fleet panel '{t.panel}'", lambda e=expr: (
                lambda s: s if (s == wanted if wanted else len(s) == 3) else None)(
                    finite_samples(prometheus.query(e))), timeout=15)
            print(f"  ok  fleet {t.panel}: {expr} -> {samples}")
        output, _ = starter.communicate(timeout=60)
    except Failure as failure:
        starter.kill()
        output, _ = starter.communicate()
        failures.append(str(failure))
    if starter.returncode != 0:
        return failures + [f"throngctl run --fleet exited {starter.returncode}:\n{output}"]
    with open(report_path) as f:
        report = json.load(f)
    total = report["aggregated"]["requests"]
    summed = f'sum(throng_http_requests_total{{run="{FLEET_RUN}"}})'
    wait_for(f"Prometheus' fleet total to reach the report's {total}",
             lambda: finite_samples(prometheus.query(summed)) == [float(total)], timeout=15)
    buckets = prometheus.query(
        f'sum by (le) (throng_http_request_duration_seconds_bucket{{run="{FLEET_RUN}"}})')
    histogram = report["aggregated"]["latency_histogram"]
    compared = 0
    for sample in buckets:
        le, value = sample["metric"]["le"], float(sample["value"][1])
        expected = total if le == "+Inf" else count_at_or_below(histogram, float(le))
        compared += 1
        if value != expected:
            failures.append(f"sum by (le) for le={le}: Prometheus {value}, merged report {expected}")
    print(f"  fleet: {total} requests over {len(daemons)} daemons; {compared} `le` buckets of "
          f"sum by (le) equal the merged report's")
    if compared < 10:
        failures.append(f"only {compared} buckets compared")
    return failures
