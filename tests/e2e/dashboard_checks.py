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


def step_of(dashboard, name):
    """The annotation's minimum step in seconds (Grafana's "Min step", e.g. "5s")."""
    return int(dashboard.annotations()[name]["step"].rstrip("s"))


def events_of(prometheus, dashboard, name, variables, window, shift=0):
    """The events Grafana draws for annotation `name` over window = (start, end), and its step.
    The range starts at a multiple of the step (as Grafana aligns it) plus `shift` seconds; the
    events are printed for shift 0."""
    step = step_of(dashboard, name)
    expr = substitute(dashboard.annotations()[name]["expr"], dict(variables, __interval=f"{step}s"))
    start, end = window
    matrix = prometheus.query_range(expr, start - start % step + shift, end, step)
    events = annotation_events(matrix, step)
    for labels, first, last in events if shift == 0 else []:
        print(f"  annotation '{name}': {labels.get('run')} {labels.get('state', '')}"
              f"{labels.get('target', '')} {first:.0f}..{last:.0f}")
    return events, step


SLACK = 2.5  # seconds: a scrape interval, rounding, and some room for a loaded machine


def within(value, low, high):
    return low <= value <= high


def check_runs_and_verdicts(prometheus, dashboard, variables, runs, window, shift):
    region, step = events_of(prometheus, dashboard, "Throng runs", variables, window, shift)
    passes, _ = events_of(prometheus, dashboard, "Throng verdict: pass", variables, window, shift)
    fails, _ = events_of(prometheus, dashboard, "Throng verdict: fail", variables, window, shift)
    failures = []
    for run, (started, ended, passed) in runs.items():
        where = f"run {run} (started {started:.1f}, ended {ended:.1f}), steps shifted {shift} s"
        mine = [(first, last) for labels, first, last in region if labels.get("run") == run]
        if len(mine) != 1:
            failures.append(f"{where}: {len(mine)} 'Throng runs' regions, expected 1")
        elif not (within(mine[0][0], started - SLACK, started + step + SLACK)
                  and within(mine[0][1], ended - SLACK, ended + step + SLACK)):
            failures.append(f"{where}: region {mine[0]} does not cover the run to the step")
        right, wrong = (passes, fails) if passed else (fails, passes)
        points = [first for labels, first, last in right if labels.get("run") == run]
        if len(points) != 1 or not within(points[0], ended - SLACK, ended + step + SLACK):
            failures.append(f"{where}: verdict {'pass' if passed else 'fail'} points {points} "
                            f"are not one point at its end")
        if any(labels.get("run") == run for labels, _, _ in wrong):
            failures.append(f"{where}: shows the wrong verdict as well")
    return failures


def check_target_changes(prometheus, dashboard, variables, runs, updates, window, shift):
    changes, step = events_of(prometheus, dashboard, "Throng target changes", variables,
                              window, shift)
    failures, expected = [], []
    for run, (target, updated_at) in updates.items():
        # The event ends at the update; it starts there too, unless the run's first scrape saw
        # the start-up ramp and the steps put the two changes next to each other (one region).
        mine = [(labels, first) for labels, first, last in changes if labels.get("run") == run
                and within(last, updated_at - SLACK, updated_at + step + SLACK)
                and (first == last or first <= runs[run][0] + step + SLACK)]
        if [labels.get("target") for labels, _ in mine] != [target]:
            failures.append(f"run {run}, steps shifted {shift} s: target changes {mine} are not "
                            f"one '{target}' change near {updated_at:.1f}")
        expected += mine
    # A target first scraped during a ramp and then set is a real change, at the run's first step.
    others = [(labels, first) for labels, first, _ in changes if (labels, first) not in expected
              and first > runs[labels.get("run")][0] + step + SLACK]
    if others:
        failures.append(f"steps shifted {shift} s: target changes nobody made: {others}")
    return failures


def check_annotations(prometheus, dashboard, variables, runs, updates, window):
    """runs: {run id: (started, ended, passed)} from throngctl; updates: {run id: (target, time)}
    of the `throngctl update`s (the other runs keep their targets); window: (start, end) of the
    range to query. For every alignment of Grafana's steps to the scrapes (its range moves with
    "now"): the runs annotation gives each run one region covering its start to its end, rounded
    out to the step; the verdict annotations give one point at its end, in the right one of
    pass/fail; the target-change annotation has each update, of the right target, and nothing
    else past a run's first step. With one run selected, only that run has a region."""
    for run, (started, ended, passed) in runs.items():
        print(f"  run {run}: started {started:.1f}, ended {ended:.1f}, passed {passed}")
    failures = []
    for shift in range(step_of(dashboard, "Throng runs")):
        failures += check_runs_and_verdicts(prometheus, dashboard, variables, runs, window, shift)
        failures += check_target_changes(prometheus, dashboard, variables, runs, updates, window,
                                         shift)
    one_run = next(iter(runs))
    only, _ = events_of(prometheus, dashboard, "Throng runs", dict(variables, run=one_run), window)
    if [labels.get("run") for labels, _, _ in only] != [one_run]:
        failures.append(f"'Throng runs' with run={one_run} gives {only}")
    return failures
