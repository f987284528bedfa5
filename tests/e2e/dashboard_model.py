"""Reads the generated Grafana dashboard the way Grafana would, for the end-to-end checks.

- Targets per row, with the exporter scheme a backend target is gated to (refId `<scheme>_<n>`).
- Variable substitution ($name, ${name}), failing on any variable left over.
- Grafana's Prometheus annotation rule: samples above 0 at most one step apart form one event.
"""

import json
import re

SCHEMES = ("demo", "fastapi", "django", "otel")


class DashboardError(Exception):
    pass


class Target:
    """One panel query: its row and panel titles, refId, expression and gated scheme (or None)."""

    def __init__(self, row, panel, ref, expr):
        self.row, self.panel, self.ref, self.expr = row, panel, ref, expr
        prefix = ref.split("_", 1)[0]
        self.scheme = prefix if "_" in ref and prefix in SCHEMES else None


class Dashboard:
    def __init__(self, path):
        with open(path) as f:
            self.model = json.load(f)

    def targets(self):
        """Every panel target; a panel belongs to the last row before it (or to rows' children)."""
        found, row = [], ""
        for item in self.model["panels"]:
            if item.get("type") == "row":
                row = item["title"]
                children = item.get("panels", [])
            else:
                children = [item]
            for panel in children:
                for t in panel.get("targets", []):
                    if t.get("expr"):
                        found.append(Target(row, panel["title"], t["refId"], t["expr"]))
        return found

    def annotations(self):
        """{name: annotation} of the Prometheus annotation queries."""
        return {a["name"]: a for a in self.model["annotations"]["list"]
                if a.get("datasource", {}).get("type") == "prometheus"}

    def variable(self, name):
        for v in self.model["templating"]["list"]:
            if v["name"] == name:
                return v
        raise DashboardError(f"no variable {name}")


def substitute(expr, variables):
    """Replaces $name and ${name} (longest names first, so $run does not eat $runs)."""
    for name in sorted(variables, key=len, reverse=True):
        expr = expr.replace("${" + name + "}", variables[name]).replace("$" + name, variables[name])
    if "$" in re.sub(r'"\$\d+"', "", expr):  # label_replace's "$1" is PromQL, not Grafana
        raise DashboardError(f"unsubstituted variable in {expr}")
    return expr


def annotation_events(matrix, step_seconds):
    """Grafana's processEvents for a Prometheus range-query result: a list of
    (labels, first timestamp, last timestamp), one per run of samples > 0 at most a step apart."""
    events = []
    for series in matrix:
        active = [float(t) for t, v in series["values"] if float(v) > 0]
        start = previous = None
        for t in active:
            if previous is not None and previous + step_seconds >= t:
                previous = t
                continue
            if start is not None:
                events.append((series["metric"], start, previous))
            start = previous = t
        if start is not None:
            events.append((series["metric"], start, previous))
    return events
