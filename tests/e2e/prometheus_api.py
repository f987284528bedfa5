"""A real Prometheus server for the end-to-end scripts: start it on loopback, query its HTTP API."""

import json
import math
import os
import subprocess
import urllib.parse

from harness import Failure, free_port, http_get, wait_for


class Prometheus:
    """A Prometheus child process (Debian package) scraping the given jobs every second."""

    def __init__(self, processes, work, jobs, rules_dir):
        """jobs: {scrape job name: HOST:PORT}; rules_dir: rule files loaded (*.yml)."""
        config = os.path.join(work, "prometheus.yml")
        with open(config, "w") as f:
            f.write(self.config(jobs, rules_dir))
        check = subprocess.run(["promtool", "check", "config", config], capture_output=True,
                               text=True, timeout=30)
        if check.returncode != 0:
            raise Failure("promtool check config failed:\n" + check.stdout + check.stderr)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        processes.start("prometheus", ["prometheus", f"--config.file={config}",
                                       f"--storage.tsdb.path={os.path.join(work, 'tsdb')}",
                                       f"--web.listen-address=127.0.0.1:{port}"])
        wait_for("Prometheus to be ready", lambda: "Ready" in http_get(self.url + "/-/ready"))
        wait_for(f"all {len(jobs)} scrape targets up",
                 lambda: len(self.query("up == 1")) == len(jobs))

    @staticmethod
    def config(jobs, rules_dir):
        scrapes = "".join(f"""
  - job_name: {name}
    static_configs:
      - targets: ["{address}"]""" for name, address in jobs.items())
        return f"""
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {rules_dir}/*.yml
scrape_configs:{scrapes}
"""

    def api(self, path, **params):
        body = json.loads(http_get(f"{self.url}/api/v1/{path}?" + urllib.parse.urlencode(params)))
        if body.get("status") != "success":
            raise Failure(f"{path} failed: {params}: {body}")
        return body["data"]

    def query(self, expr):
        """Instant query: the result vector."""
        return self.api("query", query=expr)["result"]

    def query_range(self, expr, start, end, step):
        """Range query: the result matrix."""
        return self.api("query_range", query=expr, start=start, end=end, step=step)["result"]


def finite_samples(result):
    return [float(sample["value"][1]) for sample in result
            if math.isfinite(float(sample["value"][1]))]
