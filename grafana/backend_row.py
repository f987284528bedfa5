"""The dashboard's backend row: the system under test's own metrics, for four exporter schemes.

A backend's exporter decides its metric and label names, so each backend panel carries one target
per scheme, written in that exporter's own names (a user editing a panel reads the query their
exporter's docs would show). The dashboard variable `backend_scheme` picks the scheme: every
target ends in a gate that is empty unless the variable holds that target's scheme, so only the
chosen scheme's series are drawn even when a backend exports several schemes' names. Gated targets
have refIds `<scheme>_<n>`; the end-to-end test relies on that to check each scheme separately.
"""

from dataclasses import dataclass

from panels import RATE, panel, row, target, unit_override

BACKEND = 'job="$backend_job"'
COMPARE_ROUTE_LABELS = "route, handler, view, http_route"


@dataclass(frozen=True)
class Scheme:
    """How one exporter names a backend's HTTP server metrics."""
    key: str       # value of the backend_scheme variable
    title: str     # shown in the variable's drop-down
    requests: str  # counter of answered requests, with the route and status labels
    duration: str  # latency histogram (base name: _bucket and _count are appended)
    route: str     # label holding the route pattern (or the view name)
    status: str    # label holding the HTTP status on `requests`


SCHEMES = [
    Scheme("demo", "Throng demo backend", "demo_http_requests_total",
           "demo_http_request_duration_seconds", "route", "status"),
    Scheme("fastapi", "FastAPI (prometheus-fastapi-instrumentator)", "http_requests_total",
           "http_request_duration_seconds", "handler", "status"),
    Scheme("django", "Django (django-prometheus)",
           "django_http_responses_total_by_status_view_method_total",
           "django_http_requests_latency_seconds_by_view_method", "view", "status"),
    Scheme("otel", "OpenTelemetry HTTP server (Prometheus exporter)",
           "http_server_request_duration_seconds_count", "http_server_request_duration_seconds",
           "http_route", "http_response_status_code"),
]


def gate(scheme):
    """Empty unless $backend_scheme is `scheme.key`: two one-series vectors joined on a label."""
    return (f'label_replace(vector(1), "scheme", "$backend_scheme", "", "") and on (scheme) '
            f'label_replace(vector(1), "scheme", "{scheme.key}", "", "")')


def gated(scheme, n, expr, legend):
    return target(f"({expr}) and on () ({gate(scheme)})", legend, f"{scheme.key}_{n}")


def per_scheme(build):
    """Targets of every scheme; build(scheme) returns that scheme's (expr, legend) pairs."""
    return [gated(s, n, expr, legend) for s in SCHEMES for n, (expr, legend) in enumerate(build(s))]


def request_rate(s):
    return [(f"sum by ({s.route}) (rate({s.requests}{{{BACKEND}}}[{RATE}]))", f"{{{{{s.route}}}}}")]


def latency_by_route(s):
    return [(f"histogram_quantile({q}, sum by ({s.route}, le) "
             f"(rate({s.duration}_bucket{{{BACKEND}}}[{RATE}])))",
             f"p{int(q * 100)} {{{{{s.route}}}}}")
            for q in (0.5, 0.95, 0.99)]


def server_error_ratio(s):
    # `5..` matches both codes (503) and the instrumentator's grouped "5xx". `or vector(0)`: no 5xx
    # series yet means a ratio of 0, not "No data"; the denominator keeps it empty without traffic.
    return [(f'(sum(rate({s.requests}{{{BACKEND}, {s.status}=~"5.."}}[{RATE}])) or vector(0)) / '
             f"clamp_min(sum(rate({s.requests}{{{BACKEND}}}[{RATE}])), 1e-9)", "5xx ratio")]


def server_p95(s):
    return (f"histogram_quantile(0.95, sum by (le) (rate({s.duration}_bucket"
            f'{{{BACKEND}, {s.route}="$compare_route"}}[{RATE}])))')


CLIENT_P95 = ("histogram_quantile(0.95, sum by (le) "
              "(rate(throng_http_request_duration_seconds_bucket"
              f'{{run=~"$run", test=~"$test", name="$compare_name"}}[{RATE}])))')


def client_vs_server(s):
    return [(server_p95(s), "backend (server) p95 $compare_route"),
            (f"{CLIENT_P95} - on () {server_p95(s)}", "difference: network and queueing")]


def compare_route_query():
    """Routes of the backend job under any scheme's route label, for the compare_route variable."""
    names = "|".join(f"{s.duration}_count" for s in SCHEMES)
    return (f'query_result(count by ({COMPARE_ROUTE_LABELS}) '
            f'({{{BACKEND}, __name__=~"{names}"}}))')


COMPARE_ROUTE_REGEX = '/(?:route|handler|view|http_route)="([^"]+)"/'


def backend_panels(y):
    """The backend row starting at grid row y: (panels, the grid row after them)."""
    return [
        row(200, "Backend: its own metrics ($backend_scheme exporter, same time axis)", y),
        panel(11, "Backend request rate by route", per_scheme(request_rate), 0, y + 1, "reqps", w=8,
              desc="Requests per second the backend answered, per route (view for Django)."),
        panel(12, "Backend latency p50 / p95 / p99 by route", per_scheme(latency_by_route),
              8, y + 1, "s", w=8, desc="Quantiles from the backend's own histogram buckets; as "
              "precise as its bucket bounds (the instrumentator's default is only 0.1, 0.5, 1 s)."),
        panel(13, "Backend error rate (5xx)", per_scheme(server_error_ratio), 16, y + 1,
              "percentunit", w=8, desc="Share of the backend's answers with a 5xx status."),
        panel(14, "Backend process CPU and memory",
              [(f"rate(process_cpu_seconds_total{{{BACKEND}}}[{RATE}])", "CPU cores {{instance}}"),
               (f"process_resident_memory_bytes{{{BACKEND}}}", "RSS {{instance}}")],
              0, y + 9, "short", desc="From the exporter's process collector (prometheus_client "
              "exports it by default); empty when the backend does not export it.",
              overrides=[unit_override("B", "bytes")]),
        panel(15, "Throng vs backend p95 for one route ($compare_name | $compare_route)",
              [target(CLIENT_P95, "Throng (client) p95 $compare_name", "throng")]
              + per_scheme(client_vs_server), 12, y + 9, "s",
              desc="Client-side p95 (Throng) beside server-side p95 (the backend) for the same "
              "route; the difference is the network and queueing in front of the handler."),
    ], y + 17
