#!/usr/bin/python3
"""Locust's command-line habits in throngctl, against throngd and the demo backend on loopback:
positional class names and --tags/--exclude-tags (with their errors), `compare` (exit 0 on the
same code, exit 1 when the backend got slower; by JSON files and by job ids; --html), a job
without thresholds that had failures exits 1 (--exit-code-on-error), and --junit.

Usage: cli_habits_e2e.py --throngd PATH --throngctl PATH --backend PATH --source-dir DIR
"""

import json
import os
import re
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from harness import run_with_servers  # noqa: E402

TAGGED = """
name: tagged
base_url: http://127.0.0.1:8000
user_classes:
  - name: Reader
    weight: 2
    wait: {constant: 50ms}
    tasks:
      - {name: health, tags: [smoke], steps: [{request: {name: health, path: /health}}]}
      - {name: list, tags: [read], steps: [{request: {name: list, path: /todos/}}]}
  - name: Writer
    wait: {constant: 50ms}
    tasks:
      - name: create
        tags: [write]
        steps:
          - request: {name: create, method: POST, path: /todos/, json: {title: t},
                      expect: {status: [201]}}
load:
  closed: {users: 4, spawn_rate: 4}
  duration: 2s
"""

# No thresholds; one endpoint always fails (404), one never does.
FAILING = """
name: failing
base_url: http://127.0.0.1:8000
user_classes:
  - name: U
    wait: {constant: 100ms}
    tasks:
      - {name: ok, steps: [{request: {name: ok, path: /health}}]}
      - {name: missing, steps: [{request: {name: missing, path: /no-such-page}}]}
load:
  closed: {users: 2, spawn_rate: 2}
  duration: 2s
"""

TODO = """
name: compare-me
base_url: http://127.0.0.1:8000
user_classes:
  - name: U
    wait: {constant: 20ms}
    tasks:
      - {name: list, steps: [{request: {name: GET /todos/, path: /todos/}}]}
      - {name: health, steps: [{request: {name: GET /health, path: /health}}]}
load:
  closed: {users: 4, spawn_rate: 4}
  duration: 3s
"""


class Checks:
    def __init__(self, args, work, grpc, backend):
        self.args, self.work, self.grpc, self.backend = args, work, grpc, backend
        self.failures = []

    def write(self, name, text):
        path = os.path.join(self.work, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def ctl(self, *args, timeout=90):
        return subprocess.run([self.args.throngctl, "--daemon", self.grpc] + list(args),
                              capture_output=True, text=True, timeout=timeout)

    def expect(self, what, ok, detail=""):
        print(f"  {'ok ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failures.append(f"{what}\n{detail[-3000:]}")

    def run_json(self, path, *extra):
        report = os.path.join(self.work, f"report{len(os.listdir(self.work))}.json")
        result = self.ctl("run", path, "--host", self.backend, "--json", report, *extra)
        data = {}
        if os.path.exists(report):
            with open(report) as f:
                data = json.load(f)
        return result, data, report

    # ---- class selection and tags -----------------------------------------------------------

    def selection(self):
        tagged = self.write("tagged.yaml", TAGGED)

        def tasks(*flags):
            result = self.ctl("validate", tagged, "--print", *flags)
            if result.returncode != 0:
                return result.returncode, result.stderr
            spec = json.loads(result.stdout)
            return 0, sorted(t["name"] for u in spec["user_classes"] for t in u["tasks"])

        self.expect("positional class Writer keeps Writer only",
                    tasks("Writer") == (0, ["create"]), str(tasks("Writer")))
        self.expect("--tags read,smoke", tasks("--tags", "read,smoke") == (0, ["health", "list"]))
        self.expect("--exclude-tags read", tasks("--exclude-tags", "read") ==
                    (0, ["create", "health"]))
        code, message = tasks("Nobody")
        self.expect("unknown class is an error naming it",
                    code == 2 and '"Nobody" is not in the file' in message, message)
        code, message = tasks("--tags", "nope")
        self.expect("unknown tag is an error naming it", code == 2 and '"nope"' in message, message)
        code, message = tasks("Writer", "--tags", "read")
        self.expect("a selection leaving nothing is an error",
                    code == 2 and "no task" in message, message)
        long_tag = self.write("long_tag.yaml", TAGGED.replace("tags: [smoke]",
                                                              "tags: [" + "x" * 65 + "]"))
        result = self.ctl("validate", long_tag)
        self.expect("a 65-character tag is refused with its field path",
                    result.returncode == 2 and "user_classes[0].tasks[0].tags[0]" in result.stderr
                    and "64" in result.stderr, result.stderr)
        result, report, _ = self.run_json(tagged, "--tags", "read,write")
        names = {e["name"]: e["requests"] for e in report.get("endpoints", [])}
        self.expect("run --tags read,write sends only list and create",
                    result.returncode == 0 and set(names) == {"list", "create"}
                    and all(names.values()), f"{names}\n{result.stdout}{result.stderr}")

    # ---- exit codes and JUnit -------------------------------------------------------------------

    def exit_codes(self):
        failing = self.write("failing.yaml", FAILING)
        result, report, _ = self.run_json(failing)
        self.expect("failures without thresholds exit 1 (like Locust)",
                    result.returncode == 1 and report["aggregated"]["failures"] > 0
                    and "no thresholds" in result.stderr, result.stdout + result.stderr)
        result, _, _ = self.run_json(failing, "--exit-code-on-error", "0")
        self.expect("--exit-code-on-error 0 exits 0", result.returncode == 0, result.stderr)
        result, _, _ = self.run_json(failing, "--exit-code-on-error", "3")
        self.expect("--exit-code-on-error 3 exits 3", result.returncode == 3, result.stderr)
        job_id = re.search(r"submitted job (\S+)", result.stdout).group(1)
        junit = os.path.join(self.work, "report.xml")
        result = self.ctl("report", job_id, "--junit", junit)
        self.expect("report of that job exits 1 too", result.returncode == 1, result.stderr)
        suite = ElementTree.parse(junit).getroot().find("testsuite")
        cases = {c.get("name"): c.find("failure") for c in suite.findall("testcase")}
        self.expect("JUnit: one case per endpoint, the failing one failed",
                    set(cases) == {"failures: GET ok", "failures: GET missing"}
                    and cases["failures: GET ok"] is None
                    and "requests failed" in cases["failures: GET missing"].get("message"),
                    ElementTree.tostring(suite, encoding="unicode"))
        with_thresholds = self.write("thresholds.yaml", FAILING + """
thresholds:
  - expr: fail_rate < 100%
  - expr: rps > 1000000
    request_name: ok
""")
        junit = os.path.join(self.work, "run.xml")
        result, _, _ = self.run_json(with_thresholds, "--junit", junit)
        suite = ElementTree.parse(junit).getroot().find("testsuite")
        failed = sorted(c.get("name") for c in suite.findall("testcase")
                        if c.find("failure") is not None)
        self.expect("run --junit: thresholds and endpoints as cases, exit 1 on the failed one",
                    result.returncode == 1 and suite.get("tests") == "4"
                    and failed == ["failures: GET missing", "rps > 1000000 [ok]"],
                    f"{failed} {suite.attrib}\n{result.stdout}")

    # ---- compare --------------------------------------------------------------------------------

    def faults(self, body):
        request = urllib.request.Request(self.backend + "/admin/faults", method=body[0],
                                         data=body[1].encode() if body[1] else None,
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=5).read()

    def compare(self):
        scenario = self.write("compare.yaml", TODO)
        result, _, base = self.run_json(scenario)
        base_id = re.search(r"submitted job (\S+)", result.stdout).group(1)
        _, _, same = self.run_json(scenario)
        self.faults(("POST", '{"latency_ms": 25}'))
        try:
            result, _, slower = self.run_json(scenario)
            slower_id = re.search(r"submitted job (\S+)", result.stdout).group(1)
        finally:
            self.faults(("DELETE", None))
        # A loaded machine (CI runs tests in parallel) jitters a sub-millisecond backend by a few
        # ms: the same code is compared with a 5 ms floor (the slow backend adds 25 ms).
        result = self.ctl("compare", base, same, "--min-latency-change", "5")
        self.expect("compare of two runs of the same code exits 0",
                    result.returncode == 0 and "verdict OK" in result.stdout,
                    result.stdout + result.stderr)
        html = os.path.join(self.work, "compare.html")
        result = self.ctl("compare", base, slower, "--max-regression", "p95=10%", "--html", html)
        self.expect("compare against a 25 ms slower backend exits 1 with the regressions",
                    result.returncode == 1 and "REGRESSION p95" in result.stdout
                    and "verdict REGRESSION" in result.stdout, result.stdout + result.stderr)
        print("\n".join("    " + line for line in result.stdout.splitlines()))
        with open(html) as f:
            page = f.read()
        self.expect("compare --html writes the side-by-side page",
                    "verdict REGRESSION" in page and 'class="regressed"' in page)
        result = self.ctl("compare", base_id, slower_id)
        self.expect("compare by job ids (default limit p95 10%) exits 1",
                    result.returncode == 1 and base_id in result.stdout, result.stdout)
        result = self.ctl("compare", base, slower, "--max-regression", "rps=99%",
                          "--min-latency-change", "1000")
        self.expect("limits that a 25 ms slowdown stays within exit 0", result.returncode == 0,
                    result.stdout)
        result = self.ctl("compare", base, slower, "--max-regression", "p97=1%")
        self.expect("a bad --max-regression is an error naming the metrics",
                    result.returncode == 2 and "p50, p95, p99, rps, fail_rate" in result.stderr,
                    result.stderr)
        result = self.ctl("compare", base, os.path.join(self.work, "missing.json"))
        self.expect("a missing report file is an error", result.returncode == 2, result.stderr)


def main():
    def body(ctx):
        checks = Checks(ctx.args, ctx.work, ctx.grpc, ctx.backend)
        try:
            checks.selection()
            checks.exit_codes()
            checks.compare()
        except (AttributeError, KeyError, ElementTree.ParseError) as e:  # a missing id or file
            checks.failures.append(repr(e))
        return checks.failures
    return run_with_servers(__doc__.splitlines()[0], body)


if __name__ == "__main__":
    sys.exit(main())
