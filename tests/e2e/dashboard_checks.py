"""The dashboard's checks against a live Prometheus, used by prometheus_e2e.py.

Each check evaluates the dashboard's own query text (variables substituted as Grafana would) and
returns a list of failure messages; it prints one line per query so a failure can be read in the
ctest log.
"""

import re

from dashboard_model import SCHEMES, annotation_events, substitute
from prometheus_api import finite_samples

LOAD_ROW = "Load (Throng)"


def check_load_row(prometheus, dashboard, variables):
    """Every query of the load row returns finite data for the given run."""
    failures = []
    targets = [t for t in dashboard.targets() if t.row == LOAD_ROW]
    for t in targets:
        concrete = substitute(t.expr, variables)
        samples = finite_samples(prometheus.query(concrete))
        print(f"  {'ok ' if samples else 'NO DATA'} {t.panel}: {concrete} -> {samples[:4]}")
        if not samples:
            failures.append(f"panel '{t.panel}' query returned no finite data: {concrete}")
    if len(targets) < 10:
        failures.append(f"only {len(targets)} load-row queries found")
    return failures


def check_backend_row(prometheus, dashboard, scheme, variables):
    """With backend_scheme = scheme: every panel of the backend row has data, every target of that
    scheme (and every target shared by all schemes) has data, and every other scheme's target is
    empty, so the variable really switches the row."""
    failures = []
    variables = dict(variables, backend_scheme=scheme)
    targets = [t for t in dashboard.targets() if t.row.startswith("Backend")]
    panels_with_data = set()
    for t in targets:
        concrete = substitute(t.expr, variables)
        samples = finite_samples(prometheus.query(concrete))
        expected = t.scheme in (None, scheme)
        if samples:
            panels_with_data.add(t.panel)
        if expected:
            print(f"  {scheme:7} {'ok ' if samples else 'NO DATA'} {t.panel} [{t.ref}] -> "
                  f"{samples[:4]}")
            if not samples:
                failures.append(f"{scheme}: panel '{t.panel}' target {t.ref} has no data: "
                                f"{concrete}")
        elif samples:
            failures.append(f"{scheme}: panel '{t.panel}' target {t.ref} of another scheme has "
                            f"data (the backend_scheme gate does not hold): {concrete}")
    for panel in sorted({t.panel for t in targets} - panels_with_data):
        failures.append(f"{scheme}: backend panel '{panel}' shows no data")
    covered = {t.scheme for t in targets}
    if covered != set(SCHEMES) | {None}:
        failures.append(f"backend row targets cover {sorted(filter(None, covered))} and shared: "
                        f"{None in covered}")
    return failures


def check_compare_route_variable(prometheus, dashboard, variables, route):
    """The compare_route variable's query_result(...) lists `route` (through its regex)."""
    definition = dashboard.variable("compare_route")
    query = substitute(definition["query"]["query"], variables)
    inner = re.fullmatch(r"query_result\((.*)\)", query).group(1)
    regex = re.compile(definition["regex"].strip("/"))
    lines = ["{" + ",".join(f'{k}="{v}"' for k, v in s["metric"].items()) + "}"
             for s in prometheus.query(inner)]
    values = sorted({m.group(1) for m in map(regex.search, lines) if m})
    print(f"  compare_route for {variables['backend_job']}: {values}")
    if route not in values:
        return [f"compare_route variable for {variables['backend_job']} lacks {route}: {values}"]
    return []


def events_of(prometheus, dashboard, name, variables, start, end):
    """The events Grafana draws for annotation `name` over [start, end], and its step. The range
    starts at a multiple of the step, as Grafana aligns it."""
    annotation = dashboard.annotations()[name]
    step = int(annotation["step"].rstrip("s"))
    expr = substitute(annotation["expr"], dict(variables, __interval=f"{step}s"))
    matrix = prometheus.query_range(expr, start - start % step, end, step)
    events = annotation_events(matrix, step)
    for labels, first, last in events:
        print(f"  annotation '{name}': {labels.get('run')} {labels.get('state', '')}"
              f"{labels.get('target', '')} {first:.0f}..{last:.0f}")
    return events, step


def within(value, low, high):
    return low <= value <= high


def check_annotations(prometheus, dashboard, variables, runs, update, start, end):
    """runs: {run id: (started, ended, passed)} from throngctl; update: (run id, time) of the one
    `throngctl update` (the other runs keep their targets); start, end: the range to query.
    The runs annotation gives each run one region covering its start to its end, rounded out to
    the step; the verdict annotations give one point at its end, in the right one of pass/fail;
    the target-change annotation has the update and nothing else."""
    failures = []
    slack = 2.5  # a scrape interval, rounding, and some room for a loaded machine
    window = (start, end)
    region, step = events_of(prometheus, dashboard, "Throng runs", variables, *window)
    passes, _ = events_of(prometheus, dashboard, "Throng verdict: pass", variables, *window)
    fails, _ = events_of(prometheus, dashboard, "Throng verdict: fail", variables, *window)
    for run, (started, ended, passed) in runs.items():
        print(f"  run {run}: started {started:.1f}, ended {ended:.1f}, passed {passed}")
        mine = [(first, last) for labels, first, last in region if labels.get("run") == run]
        if len(mine) != 1:
            failures.append(f"run {run}: {len(mine)} 'Throng runs' regions, expected 1")
        elif not (within(mine[0][0], started - slack, started + step + slack)
                  and within(mine[0][1], ended - slack, ended + step + slack)):
            failures.append(f"run {run}: region {mine[0]} does not cover its start..end "
                            f"{started:.1f}..{ended:.1f} to the step ({step} s)")
        right, wrong = (passes, fails) if passed else (fails, passes)
        points = [first for labels, first, last in right if labels.get("run") == run]
        if len(points) != 1 or not within(points[0], ended - slack, ended + step + slack):
            failures.append(f"run {run}: verdict {'pass' if passed else 'fail'} points {points} "
                            f"are not one point at its end {ended:.1f}")
        if any(labels.get("run") == run for labels, _, _ in wrong):
            failures.append(f"run {run}: shows the wrong verdict as well")
    changes, _ = events_of(prometheus, dashboard, "Throng target changes", variables, *window)
    updated_run, updated_at = update
    expected = [first for labels, first, _ in changes if labels.get("run") == updated_run
                and within(first, updated_at - slack, updated_at + step + slack)]
    # A target first scraped as 0 and then set is a real change, at the run's first step.
    others = [(labels, first) for labels, first, _ in changes if first not in expected
              and first > runs[labels.get("run")][0] + step + slack]
    if len(expected) != 1 or others:
        failures.append(f"target changes {changes}: expected one, of {updated_run} near "
                        f"{updated_at:.1f}, and none later than a run's first step")
    return failures
