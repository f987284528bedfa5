"""Structural checks of the generated dashboard, run by generate_dashboard.py before it writes or
compares: what Grafana would silently get wrong (overlapping panels, clashing ids or refIds, a
query naming a variable that does not exist, an annotation without a query)."""

import re

GRID_COLUMNS = 24
BUILTIN_VARIABLES = {"__interval", "__interval_ms", "__rate_interval", "__range", "__range_s",
                     "datasource"}
VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def variables_in(text):
    # label_replace's replacement "$1" is PromQL's, not a Grafana variable: the name pattern
    # cannot start with a digit, so it is not matched.
    return set(VARIABLE.findall(text))


def panel_problems(panels, defined):
    problems, ids, cells = [], set(), {}
    for p in panels:
        where = f"panel {p.get('id')} '{p.get('title')}'"
        if p["id"] in ids:
            problems.append(f"{where}: duplicate id")
        ids.add(p["id"])
        g = p["gridPos"]
        if g["x"] < 0 or g["w"] <= 0 or g["x"] + g["w"] > GRID_COLUMNS:
            problems.append(f"{where}: gridPos {g} outside the {GRID_COLUMNS} columns")
        area = [(x, y) for x in range(g["x"], g["x"] + g["w"])
                for y in range(g["y"], g["y"] + g["h"])]
        overlap = next((cell for cell in area if cell in cells), None)
        if overlap:
            problems.append(f"{where}: overlaps panel {cells[overlap]} at {overlap}")
        cells.update({cell: p["id"] for cell in area})
        refs = [t["refId"] for t in p.get("targets", [])]
        if len(refs) != len(set(refs)):
            problems.append(f"{where}: duplicate refIds {refs}")
        if p["type"] != "row" and not refs:
            problems.append(f"{where}: no targets")
        for t in p.get("targets", []):
            for name in variables_in(t["expr"] + t.get("legendFormat", "")) - defined:
                problems.append(f"{where} target {t['refId']}: unknown variable ${name}")
        for name in variables_in(p["title"]) - defined:
            problems.append(f"{where}: unknown variable ${name} in the title")
    return problems


def problems(dashboard):
    """A list of problems; empty when the dashboard is well formed."""
    variables = dashboard["templating"]["list"]
    defined = {v["name"] for v in variables} | BUILTIN_VARIABLES
    found = panel_problems(dashboard["panels"], defined)
    for v in variables:
        query = v.get("query")
        text = query.get("query", "") if isinstance(query, dict) else query
        for name in variables_in(text) - defined:
            found.append(f"variable {v['name']}: unknown variable ${name}")
        values = [o["value"] for o in v.get("options", [])]
        if v["type"] == "custom" and v["current"]["value"] not in values:
            found.append(f"variable {v['name']}: current value is not one of its options")
    for a in dashboard["annotations"]["list"]:
        if a.get("builtIn"):
            continue
        if not a.get("expr") or a["expr"] != a["target"]["expr"] or not a.get("step"):
            found.append(f"annotation '{a['name']}': needs expr == target.expr and a step")
        for name in variables_in(a["expr"] + a.get("titleFormat", "")) - defined:
            found.append(f"annotation '{a['name']}': unknown variable ${name}")
    return found
