#!/usr/bin/env python3
"""Every example scenario runs green against the demo backend through throngd and throngctl.

Starts the demo backend and throngd on loopback, then runs each examples/scenarios/*.yaml with
`throngctl run` and Locust-style overrides that shorten it (users, run time), and asserts: exit
code 0 (thresholds passed), requests were made, and no request failed. A new example file fails
this test until it gets an entry in OVERRIDES, so every example stays covered. Finally, the todo
example with an unreachable threshold added must make throngctl exit 1.

Usage: examples_e2e.py --throngd PATH --throngctl PATH --backend PATH --source-dir DIR
"""

import glob
import json
import os
import subprocess
import sys

from harness import run_with_servers

# Per example: throngctl overrides that keep it short (seconds, not minutes) on a 2-core machine.
OVERRIDES = {
    "token_auth.yaml": ["--run-time", "5s", "--users", "10", "--spawn-rate", "10"],
    "todo_crud.yaml": ["--run-time", "5s", "--users", "10", "--spawn-rate", "10"],
    "items.yaml": ["--run-time", "6s", "--users", "20", "--spawn-rate", "20"],
    # Seed 002 keeps its SLO of rps >= 100: enough users to meet it with the think times.
    "shop.yaml": ["--run-time", "8s", "--users", "150", "--spawn-rate", "150"],
    # Per-user iterations: 100 of the 1000 users, still 50 at a time, each logging in once.
    "lockers.yaml": ["--users", "100"],
}
RUN_TIMEOUT_SECONDS = 120


def run_example(throngctl, grpc_address, backend_url, path, work):
    name = os.path.basename(path)
    report_file = os.path.join(work, name + ".json")
    args = [throngctl, "--daemon", grpc_address, "run", path, "--host", backend_url,
            "--json", report_file] + OVERRIDES[name]
    result = subprocess.run(args, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS)
    problems = []
    if result.returncode != 0:
        problems.append(f"throngctl exited {result.returncode}")
    report = {}
    if os.path.exists(report_file):
        with open(report_file) as f:
            report = json.load(f)
    aggregated = report.get("aggregated", {})
    requests, failures = aggregated.get("requests", 0), aggregated.get("failures", 0)
    if requests == 0:
        problems.append("no requests")
    if failures != 0:
        problems.append(f"{failures} failed requests: {report.get('errors')}")
    if name == "lockers.yaml":
        problems += lockers_setup_problems(report)
    print(f"  {'ok ' if not problems else 'FAIL'} {name}: {requests} requests, {failures} failures"
          f", state {report.get('job', {}).get('state')}, verdict {report.get('verdict')}")
    if problems:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-25:])
        return [f"{name}: {', '.join(problems)}\n{tail}"]
    return []


def lockers_setup_problems(report):
    """Setup and teardown count their 1000 accounts with {{repeat_index}}: exactly 1000 calls
    each, and no other request (the old counting trick sent a GET /health after each)."""
    counts = {e["name"]: e["requests"] for e in report.get("endpoints", [])}
    problems = []
    for name in ("setup POST /admin/users", "teardown DELETE /admin/users/[username]"):
        if counts.get(name) != 1000:
            problems.append(f"{name}: {counts.get(name)} requests, expected 1000")
    extra = [n for n in counts if "health" in n.lower()]
    if extra:
        problems.append(f"unexpected requests {extra}")
    return problems


def failing_thresholds_exit_one(throngctl, grpc_address, backend_url, source_dir, work):
    """The todo example with an unreachable threshold added: throngctl must exit 1 (CI gates)."""
    with open(os.path.join(source_dir, "examples/scenarios/todo_crud.yaml")) as f:
        text = f.read()
    marker = "thresholds:\n"
    if marker not in text:
        return ["todo_crud.yaml has no thresholds section to extend"]
    path = os.path.join(work, "todo_unreachable_slo.yaml")
    with open(path, "w") as f:
        f.write(text.replace(marker, marker + "  - expr: rps > 1000000\n", 1))
    result = subprocess.run([throngctl, "--daemon", grpc_address, "run", path, "--host",
                             backend_url] + OVERRIDES["todo_crud.yaml"],
                            capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS)
    ok = result.returncode == 1 and "verdict FAIL" in result.stdout
    print(f"  {'ok ' if ok else 'FAIL'} unreachable threshold: exit {result.returncode}")
    return [] if ok else [f"failing thresholds: exit {result.returncode}, expected 1\n"
                          + result.stdout[-2000:] + result.stderr[-2000:]]


def main():
    def body(ctx):
        examples = sorted(glob.glob(os.path.join(ctx.source, "examples/scenarios/*.yaml")))
        uncovered = [p for p in examples if os.path.basename(p) not in OVERRIDES]
        if not examples or uncovered:
            return [f"examples without an OVERRIDES entry: {uncovered or 'none found'}"]
        failures = []
        for path in examples:
            failures += run_example(ctx.throngctl, ctx.grpc, ctx.backend, path, ctx.work)
        return failures + failing_thresholds_exit_one(ctx.throngctl, ctx.grpc, ctx.backend,
                                                      ctx.source, ctx.work)
    return run_with_servers(__doc__.splitlines()[0], body)


if __name__ == "__main__":
    sys.exit(main())
