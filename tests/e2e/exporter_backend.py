#!/usr/bin/env python3
"""A small HTTP backend that exports its request metrics the way a real exporter names them.

The Grafana dashboard's backend row has one query per exporter naming scheme; this backend lets the
Prometheus end-to-end test check them against the exact metric and label names of:

  fastapi  prometheus-fastapi-instrumentator: http_requests_total{handler,method,status} (status
           grouped as 2xx/4xx/5xx, its default), http_request_duration_seconds{handler,method}
           (its default buckets 0.1, 0.5, 1), http_request_duration_highr_seconds (no labels)
  django   django-prometheus: django_http_requests_latency_seconds_by_view_method{view,method},
           django_http_responses_total_by_status_view_method_total{status,view,method},
           django_http_requests_total_by_view_transport_method_total{view,transport,method}
  otel     OpenTelemetry HTTP server semantic conventions through the Prometheus exporter:
           http_server_request_duration_seconds{http_request_method,http_response_status_code,
           http_route,url_scheme,network_protocol_version,otel_scope_name}

Metrics are recorded from real requests served on loopback (GET /todos/, GET /todos/{id} with 404
past id 100, GET /fail answering 500), and /metrics serves prometheus_client's default registry,
which adds process_cpu_seconds_total and process_resident_memory_bytes as the real exporters do.
Prints "listening on http://HOST:PORT" once bound; stops on SIGTERM or SIGINT.

Several schemes at once (`--scheme fastapi,otel`: a FastAPI app instrumented both ways) record
every request under each.

Usage: exporter_backend.py --scheme fastapi|django|otel[,...] [--listen 127.0.0.1:0]
"""

import argparse
import http.server
import json
import re
import signal
import sys
import threading
import time

import prometheus_client

FASTAPI_BUCKETS = (0.1, 0.5, 1)
DJANGO_BUCKETS = (0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 25.0,
                  50.0, 75.0)
OTEL_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10)
MAX_TODO_ID = 100
SERVICE_SECONDS = 0.002  # a little work per request, so latencies are not all zero


class Route:
    """One route of the backend: its path pattern, the names each exporter gives it, a handler."""

    def __init__(self, pattern, template, view, handler):
        self.regex = re.compile(pattern)
        self.template = template  # FastAPI's handler and OpenTelemetry's http_route
        self.view = view          # Django's view name (the URL pattern's name)
        self.handler = handler


def list_todos(_match):
    return 200, [{"id": i, "title": f"todo {i}"} for i in range(1, 4)]


def get_todo(match):
    todo_id = int(match.group(1))
    if todo_id > MAX_TODO_ID:
        return 404, {"detail": "Not Found"}
    return 200, {"id": todo_id, "title": f"todo {todo_id}"}


def fail(_match):
    return 500, {"detail": "Internal Server Error"}


ROUTES = [
    Route(r"^/todos/$", "/todos/", "todo-list", list_todos),
    Route(r"^/todos/(\d{1,9})$", "/todos/{todo_id}", "todo-detail", get_todo),
    Route(r"^/fail$", "/fail", "fail", fail),
]


class FastApiRecorder:
    def __init__(self):
        self.requests = prometheus_client.Counter(
            "http_requests_total", "Total number of requests by method, status and handler.",
            ["method", "status", "handler"])
        self.latency = prometheus_client.Histogram(
            "http_request_duration_seconds", "Latency with only few buckets by handler.",
            ["method", "handler"], buckets=FASTAPI_BUCKETS)
        self.latency_highr = prometheus_client.Histogram(
            "http_request_duration_highr_seconds", "Latency with many buckets but no labels.")

    def record(self, method, route, status, seconds):
        self.requests.labels(method, f"{status // 100}xx", route.template).inc()
        self.latency.labels(method, route.template).observe(seconds)
        self.latency_highr.observe(seconds)


class DjangoRecorder:
    def __init__(self):
        self.latency = prometheus_client.Histogram(
            "django_http_requests_latency_seconds_by_view_method",
            "Histogram of request processing time labelled by view.", ["view", "method"],
            buckets=DJANGO_BUCKETS)
        self.responses = prometheus_client.Counter(
            "django_http_responses_total_by_status_view_method",
            "Count of responses by status, view, method.", ["status", "view", "method"])
        self.requests = prometheus_client.Counter(
            "django_http_requests_total_by_view_transport_method",
            "Count of requests by view, transport, method.", ["view", "transport", "method"])

    def record(self, method, route, status, seconds):
        self.latency.labels(route.view, method).observe(seconds)
        self.responses.labels(str(status), route.view, method).inc()
        self.requests.labels(route.view, "http", method).inc()


class OtelRecorder:
    def __init__(self):
        self.duration = prometheus_client.Histogram(
            "http_server_request_duration_seconds", "Duration of HTTP server requests.",
            ["http_request_method", "http_response_status_code", "http_route", "url_scheme",
             "network_protocol_version", "otel_scope_name"], buckets=OTEL_BUCKETS)

    def record(self, method, route, status, seconds):
        self.duration.labels(method, str(status), route.template, "http", "1.1",
                             "opentelemetry.instrumentation.fastapi").observe(seconds)


RECORDERS = {"fastapi": FastApiRecorder, "django": DjangoRecorder, "otel": OtelRecorder}


class Recorders:
    """Records each request with every scheme's recorder."""

    def __init__(self, schemes):
        self.recorders = [RECORDERS[scheme]() for scheme in schemes]

    def record(self, method, route, status, seconds):
        for recorder in self.recorders:
            recorder.record(method, route, status, seconds)


def make_handler(recorder):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Throng's client expects

        def do_GET(self):
            if self.path == "/metrics":
                self.answer(200, prometheus_client.generate_latest(),
                            prometheus_client.CONTENT_TYPE_LATEST)
                return
            started = time.perf_counter()
            for route in ROUTES:
                match = route.regex.match(self.path)
                if match:
                    time.sleep(SERVICE_SECONDS)
                    status, body = route.handler(match)
                    self.answer(status, json.dumps(body).encode(), "application/json")
                    recorder.record("GET", route, status, time.perf_counter() - started)
                    return
            # Unmatched paths are not recorded, as the instrumentator's default
            # should_ignore_untemplated would not label them with a raw URL either.
            self.answer(404, b'{"detail":"Not Found"}', "application/json")

        def answer(self, status, body, content_type):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass  # one line per request would flood the test's log

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scheme", required=True, help="comma-separated: " + ", ".join(RECORDERS))
    parser.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT (loopback only)")
    args = parser.parse_args()
    schemes = args.scheme.split(",")
    unknown = [s for s in schemes if s not in RECORDERS]
    if unknown or len(set(schemes)) != len(schemes):
        print(f"--scheme: {args.scheme} is not a list of distinct schemes among "
              f"{', '.join(RECORDERS)}")
        return 2
    host, _, port = args.listen.rpartition(":")
    if host not in ("127.0.0.1", "::1", "localhost"):
        print(f"--listen: {host} is not a loopback address")
        return 2
    server = http.server.ThreadingHTTPServer((host, int(port)), make_handler(Recorders(schemes)))
    server.daemon_threads = True
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bound_host, bound_port = server.server_address[:2]
    print(f"{args.scheme} backend listening on http://{bound_host}:{bound_port}", flush=True)
    stop.wait()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
