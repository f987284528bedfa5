"""Grafana annotations that mark each Throng run on the time axis, from Throng's own series.

Grafana turns a Prometheus annotation query into events: it runs the query over the dashboard's
range with a step of at least `step`, and every series' samples above 0 that are at most one step
apart become one event from the first to the last of them (a region, or a point when there is
one sample). So:

- Throng runs: `throng_run_info` while the job is starting, running, paused or stopping, taken
  over each step (`max_over_time`), so the region runs from the first step that saw the job to the
  first step that saw its end: it covers the whole run, rounded out to the step.
- Verdict pass / fail: one point at the first step after the run reached a final state
  (completed, stopped, aborted, failed), with Throng's verdict rule: a job with thresholds fails
  when one is breached at the end, or when it aborted or failed; jobs without thresholds have no
  verdict (and no point).
- Target changes: the steps where `throng_target_users` or `throng_target_arrival_rate` changed
  (a stage of the schedule, or `throngctl update --users/--rate`); a ramp shows as a region.
  The value at each step is compared with the value one step before (`offset $__interval`), not
  counted with `changes()` over a one-step window: such windows do not overlap, so a change
  between the last sample of one window and the first of the next would be in neither.
"""

from panels import DATASOURCE

SEL = 'run=~"$run", test=~"$test"'
STEP = "5s"  # the lower bound Grafana raises for long ranges (it keeps under 11,000 points)
ACTIVE = "starting|running|paused|stopping"
FINAL = "completed|stopped|aborted|failed"


def annotation(name, color, expr, title, text=""):
    # Grafana 9 reads `expr` and `step`; Grafana 10 and later read `target` (and migrate the
    # former): both are written so the dashboard works in either.
    return {"name": name, "datasource": DATASOURCE, "enable": True, "hide": False,
            "iconColor": color, "expr": expr, "step": STEP,
            "target": {"expr": expr, "interval": STEP, "refId": "Anno"},
            "titleFormat": title, "textFormat": text, "tagKeys": "run,test",
            "useValueForTime": False}


def ended(states):
    """1 at the first step at which a run is in one of `states`, absent elsewhere."""
    now = f'throng_run_info{{{SEL}, state=~"{states}"}}'
    return f"max by (run, test, state) ({now}) unless on (run, test) ({now} offset $__interval)"


def changed(gauge):
    """> 0 at the steps where `gauge` differs from its value one step before."""
    now = f"{gauge}{{{SEL}}}"
    return f"abs({now} - {now} offset $__interval) > 0"


def thresholds_min(cmp):
    return f"(min by (run, test) (throng_threshold_passing{{{SEL}}}) {cmp})"


def run_annotations():
    active = f'throng_run_info{{{SEL}, state=~"{ACTIVE}"}}'
    has_thresholds = f"throng_threshold_passing{{{SEL}}}"
    verdict_fail = (f"({ended(FINAL)} and on (run, test) {thresholds_min('== 0')}) or "
                    f"({ended('aborted|failed')} and on (run, test) {has_thresholds})")
    verdict_pass = f"{ended('completed|stopped')} and on (run, test) {thresholds_min('== 1')}"
    target_changes = (f'label_replace({changed("throng_target_users")}, "target", "users", "", "") '
                      f'or label_replace({changed("throng_target_arrival_rate")}, "target", '
                      f'"arrival rate", "", "")')
    return [
        {"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True,
         "hide": True, "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts",
         "type": "dashboard"},
        annotation("Throng runs", "blue",
                   f"max by (run, test) (max_over_time({active}[$__interval]))",
                   "Throng run {{run}} ({{test}})", "from start to end"),
        annotation("Throng verdict: pass", "green", verdict_pass,
                   "{{run}} ({{test}}) {{state}}: thresholds passed"),
        annotation("Throng verdict: fail", "red", verdict_fail,
                   "{{run}} ({{test}}) {{state}}: thresholds failed"),
        annotation("Throng target changes", "orange", target_changes,
                   "{{run}} ({{test}}): target {{target}} changed",
                   "see the Active vs target users / Arrival rate panels for the values"),
    ]
