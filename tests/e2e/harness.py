"""Shared pieces of the end-to-end scripts: bounded waits and child processes on loopback."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

DEADLINE_SECONDS = 60  # upper bound on every wait-until loop


class Failure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, predicate, timeout=DEADLINE_SECONDS, period=0.5):
    """Calls predicate() until it returns a truthy value or `timeout` passes."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except (OSError, urllib.error.URLError, ValueError, KeyError) as e:
            last_error = e
        time.sleep(period)
    raise Failure(f"timed out after {timeout} s waiting for {what} (last error: {last_error})")


def http_get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


class Processes:
    """Child processes started by the test, stopped (SIGTERM, then SIGKILL) on close."""

    def __init__(self, log_dir):
        self.children = []
        self.log_dir = log_dir

    def start(self, name, args):
        log = open(os.path.join(self.log_dir, name + ".log"), "w")
        child = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        self.children.append((name, child, log))
        return child

    def log_of(self, name):
        with open(os.path.join(self.log_dir, name + ".log")) as f:
            return f.read()

    def wait_line(self, name, pattern):
        regex = re.compile(pattern, re.M)
        return wait_for(f"{name} to print /{pattern}/",
                        lambda: regex.search(self.log_of(name)), timeout=20, period=0.1)

    def close(self):
        for _, child, _ in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for _, child, log in self.children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            log.close()


def start_backend(processes, path):
    """Starts the demo backend on a free loopback port; returns its HOST:PORT."""
    processes.start("backend", [path, "--listen", "127.0.0.1:0", "--threads", "1"])
    return processes.wait_line("backend", r"listening on http://(\S+)").group(1)


def start_throngd(processes, path, work, threads=1, name="throngd"):
    """Starts throngd on free loopback ports; returns (gRPC HOST:PORT, metrics HOST:PORT)."""
    data = os.path.join(work, "data" if name == "throngd" else "data-" + name)
    processes.start(name, [path, "--grpc-listen", "127.0.0.1:0",
                           "--metrics-listen", "127.0.0.1:0",
                           "--data-dir", data, "--threads", str(threads)])
    grpc_address = processes.wait_line(name, r"^grpc listening on (\S+)").group(1)
    metrics = processes.wait_line(name, r"^metrics listening on http://(\S+)").group(1)
    return grpc_address, metrics


def start_exporter_backend(processes, source_dir, name, schemes):
    """Starts tests/e2e/exporter_backend.py recording under `schemes` (comma-separated) on a free
    loopback port; returns its HOST:PORT. Runs under this interpreter (Debian's python3, which
    has python3-prometheus-client)."""
    script = os.path.join(source_dir, "tests/e2e/exporter_backend.py")
    processes.start(name, [sys.executable, script, "--scheme", schemes, "--listen", "127.0.0.1:0"])
    return processes.wait_line(name, r"listening on http://(\S+)").group(1)


def run_with_servers(description, body, threads=2):
    """The main() of an e2e script: parses --throngd/--throngctl/--backend/--source-dir, starts
    the demo backend and throngd on loopback in a temporary directory, calls
    body(ctx) -> list of failure messages (ctx has args, work, backend URL, grpc address), stops
    everything and prints PASSED or FAILED with the messages. Returns the exit status."""
    import argparse
    import shutil
    import tempfile
    parser = argparse.ArgumentParser(description=description)
    for flag in ("--throngd", "--throngctl", "--backend", "--source-dir"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="throng-e2e-")
    processes = Processes(work)
    failures = []
    try:
        ctx = argparse.Namespace(args=args, work=work, throngctl=args.throngctl,
                                 source=args.source_dir)
        ctx.backend = "http://" + start_backend(processes, args.backend)
        ctx.grpc, ctx.metrics = start_throngd(processes, args.throngd, work, threads=threads)
        failures = body(ctx)
    except (Failure, OSError, subprocess.TimeoutExpired) as e:
        failures.append(repr(e))
    finally:
        processes.close()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("FAILED:\n" + "\n".join(failures))
        return 1
    print("PASSED")
    return 0
