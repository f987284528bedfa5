#!/usr/bin/python3
"""The HTML report's configuration, per-endpoint latency charts and recommendations, checked in
headless Chromium (the DOM after the page's scripts ran).

Job 1 (closed model, 2 users then 12): the backend gets 40 ms slower when the second stage starts,
so p95 climbs with the user count; one endpoint always fails (404), so failures concentrate on it.
Job 2 (open model, 200 iterations/s, at most 2 users, 30 ms backend): iterations are dropped, so
the report says to raise max_users. Both reports come from `throngctl report ID --html`.

Usage: report_sections_e2e.py --throngd PATH --throngctl PATH --backend PATH --source-dir DIR
"""

import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from harness import run_with_servers  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

CLIMBING = """
name: climbing
base_url: http://127.0.0.1:8000
user_classes:
  - name: U
    wait: {constant: 20ms}
    tasks:
      - {name: list, weight: 4, steps: [{request: {name: GET /todos/, path: /todos/}}]}
      - {name: missing, steps: [{request: {name: GET /missing, path: /missing}}]}
load:
  closed:
    stages:
      - {name: low, users: 2, duration: 3s, spawn_rate: 10}
      - {name: high, users: 12, duration: 4s, spawn_rate: 50}
"""

DROPPING = """
name: dropping
base_url: http://127.0.0.1:8000
user_classes:
  - name: U
    tasks: [{name: list, steps: [{request: {name: GET /todos/, path: /todos/}}]}]
load:
  open: {rate: 200, max_users: 2, pre_allocated_users: 2}
  duration: 3s
"""


class Text(html.parser.HTMLParser):
    """Collects the text under elements with an id (and the ids of svg charts)."""

    def __init__(self):
        super().__init__()
        self.stack, self.text, self.charts, self.rows = [], {}, [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and "latency-chart" in (attrs.get("class") or ""):
            self.charts.append(attrs.get("data-endpoint"))
        if tag == "tr" and attrs.get("data-key"):
            self.rows[attrs["data-key"]] = ""
            self.stack.append(("row", attrs["data-key"]))
            return
        self.stack.append(("id", attrs.get("id")))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for kind, name in self.stack:
            if kind == "id" and name:
                self.text[name] = self.text.get(name, "") + data
            if kind == "row":
                self.rows[name] += data


def dom(path, work):
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                             f"--user-data-dir={work}/chromium", "--dump-dom",
                             "file://" + path], capture_output=True, text=True, timeout=60)
    parser = Text()
    parser.feed(result.stdout)
    return result.stdout, parser


def faults(ctx, method, body=None):
    request = urllib.request.Request(ctx.backend + "/admin/faults", method=method,
                                     data=body.encode() if body else None,
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5).read()


def submit(ctx, name, text):
    path = os.path.join(ctx.work, name + ".yaml")
    with open(path, "w") as f:
        f.write(text)
    result = subprocess.run([ctx.throngctl, "--daemon", ctx.grpc, "submit", path, "--host",
                             ctx.backend], capture_output=True, text=True, timeout=30)
    return result.stdout.strip()


def wait_for_stage(ctx, job_id, stage, timeout=20.0):
    """Polls `throngctl get` until the job's current stage is `stage`; False after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = subprocess.run([ctx.throngctl, "--daemon", ctx.grpc, "get", job_id],
                                capture_output=True, text=True, timeout=30)
        try:
            if json.loads(result.stdout).get("totals", {}).get("stage") == stage:
                return True
        except ValueError:
            pass
        time.sleep(0.1)
    return False


def wait_and_report(ctx, job_id, name):
    page = os.path.join(ctx.work, name + ".html")
    subprocess.run([ctx.throngctl, "--daemon", ctx.grpc, "watch", job_id, "--html", page,
                    "--exit-code-on-error", "0"], capture_output=True, text=True, timeout=90)
    return page


def main():
    def body(ctx):
        failures = []

        def expect(what, ok, detail=""):
            print(f"  {'ok ' if ok else 'FAIL'} {what}")
            if not ok:
                failures.append(f"{what}: {detail[:3000]}")

        job = submit(ctx, "climbing", CLIMBING)
        # The backend slows down when the second stage (12 users) has begun, whatever the load
        # on the machine makes of the schedule: wait for the stage, not for a guessed time.
        expect("the second stage started", wait_for_stage(ctx, job, "high"))
        faults(ctx, "POST", '{"latency_ms": 40}')
        try:
            page = wait_and_report(ctx, job, "climbing")
        finally:
            faults(ctx, "DELETE")
        raw, parsed = dom(page, ctx.work)
        rows = parsed.rows
        expect("configuration: target, load profile, users, duration, daemon version",
               ctx.backend in rows.get("target", "") and "2 stages" in rows.get("load", "")
               and rows.get("users") == "Users (most at once)12" and " s" in rows.get("duration", "")
               and re.search(r"\d+\.\d+", rows.get("version", "")) is not None, str(rows))
        expect("one latency chart per endpoint", sorted(parsed.charts) ==
               ["GET /missing", "GET /todos/"], str(parsed.charts))
        expect("the charts drew their bars", raw.count("class=\"bar\"") == 22, "")
        advice = parsed.text.get("recommendations", "")
        climb = re.search(r"p95 climbs with the user count, from (\d+) users on", advice)
        expect("recommendation: p95 climbs with the user count, from the 12-user stage",
               climb is not None and int(climb.group(1)) > 2, advice)
        expect("recommendation: failures concentrated on GET /missing",
               "Failures are concentrated on GET /missing" in advice, advice)
        expect("the timeline charts were drawn by the page's script",
               "data-drawn" in raw, raw[-500:])

        faults(ctx, "POST", '{"latency_ms": 30}')
        try:
            page = wait_and_report(ctx, submit(ctx, "dropping", DROPPING), "dropping")
        finally:
            faults(ctx, "DELETE")
        _, parsed = dom(page, ctx.work)
        advice = parsed.text.get("recommendations", "")
        expect("recommendation: dropped iterations -> raise max_users (now 2)",
               "raise max_users" in advice and "(now 2)" in advice, advice)
        expect("open-model configuration row",
               "open: 200 iterations/s, at most 2 users" in parsed.rows.get("load", ""),
               str(parsed.rows))
        return failures

    return run_with_servers(__doc__.splitlines()[0], body)


if __name__ == "__main__":
    sys.exit(main())
