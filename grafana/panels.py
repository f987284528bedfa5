"""Building blocks of the generated Grafana dashboard: targets, panels, rows and variables.

Plain functions returning the dicts of Grafana's dashboard JSON model (schema version 37 and
later); every query uses the dashboard's `datasource` variable.
"""

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
RATE = "$__rate_interval"


def target(expr, legend, ref):
    return {"datasource": DATASOURCE, "expr": expr, "legendFormat": legend, "refId": ref}


def panel(pid, title, targets, x, y, unit="short", kind="timeseries", w=12, h=8, desc="",
          overrides=()):
    """A panel; `targets` are (expr, legend) pairs lettered A, B, ... or ready target dicts."""
    built = [t if isinstance(t, dict) else target(t[0], t[1], chr(ord("A") + i))
             for i, t in enumerate(targets)]
    return {
        "id": pid, "title": title, "type": kind, "description": desc,
        "datasource": DATASOURCE,
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": list(overrides)},
        "options": {"legend": {"displayMode": "table", "placement": "bottom",
                               "calcs": ["lastNotNull", "max"]}},
        "targets": built,
    }


def unit_override(ref, unit):
    """Gives the series of target `ref` their own unit on a right-hand axis."""
    return {"matcher": {"id": "byFrameRefID", "options": ref},
            "properties": [{"id": "unit", "value": unit},
                           {"id": "custom.axisPlacement", "value": "right"}]}


def row(pid, title, y):
    return {"id": pid, "type": "row", "title": title, "collapsed": False,
            "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}, "panels": []}


def variable(name, label, query, include_all=True, regex=""):
    """A Prometheus query variable; with include_all, multi-select with an All option (`.*`)."""
    return {"name": name, "label": label, "type": "query", "datasource": DATASOURCE,
            "query": {"query": query, "refId": name}, "definition": query, "refresh": 2,
            "regex": regex, "includeAll": include_all, "multi": include_all, "allValue": ".*",
            "current": {"selected": True, "text": "All", "value": "$__all"} if include_all else {},
            "sort": 1}


def custom_variable(name, label, choices, default):
    """A fixed list of (text, value) choices; `default` is the value selected at first."""
    options = [{"text": text, "value": value, "selected": value == default}
               for text, value in choices]
    current = next(o for o in options if o["selected"])
    return {"name": name, "label": label, "type": "custom",
            "query": ", ".join(f"{text} : {value}" for text, value in choices),
            "options": options, "current": dict(current), "multi": False, "includeAll": False}
