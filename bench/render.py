#!/usr/bin/python3
"""Renders a bench results JSON file (from run.sh or latency.sh) as a Markdown report on stdout.

Each tool row may carry a "round" (run.sh and latency.sh with ROUNDS > 1): its ratios are taken
against wrk's row of the same round, and a summary gives every round's ratio, the median and the
lowest, and the p50 difference to wrk."""
import json
import statistics
import sys


def fmt(value, digits=1):
    return "-" if value is None else f"{value:,.{digits}f}"


def per_cpu(t):
    return t["requests"] / t["cpu_s"] if t["cpu_s"] > 0 else None


def ratio(a, b):
    return a / b if a and b else None


def summary(tools, wrk_by_round):
    """Per tool other than wrk: its per-round ratios to wrk, their median and lowest."""
    lines = []
    for name in dict.fromkeys(t["tool"] for t in tools if t["tool"] != "wrk"):
        ratios, p50_diffs = [], []
        for t in tools:
            wrk = wrk_by_round.get(t.get("round", 1))
            if t["tool"] != name or t.get("status") != "ok" or not wrk:
                continue
            r = ratio(per_cpu(t), per_cpu(wrk))
            if r is not None:
                ratios.append(r)
            p50_diffs.append((t["p50_ms"] - wrk["p50_ms"]) * 1000)
        if not ratios:
            continue
        lines.append(f"{name}: requests per CPU-s vs wrk by round "
                     + ", ".join(f"{r:.2f}x" for r in ratios)
                     + f"; median {statistics.median(ratios):.2f}x, lowest {min(ratios):.2f}x")
        lines.append(f"{name}: p50 - wrk's p50 by round "
                     + ", ".join(f"{d:+.0f} us" for d in p50_diffs)
                     + f"; median {statistics.median(p50_diffs):+.0f} us")
    return lines


def main(path):
    doc = json.load(open(path))
    machine = doc["machine"]
    print(f"# {doc['title']}\n")
    print(f"{doc['started_at']} · {machine['cores']} cores ({machine['cpu']}) · kernel "
          f"{machine['kernel']} · load average at start {machine['load_average_at_start']}  ")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in machine["versions"].items()) + "  ")
    print(doc["setup"] + "\n")
    tools = doc["tools"]
    wrk_by_round = {t.get("round", 1): t for t in tools
                    if t["tool"] == "wrk" and t.get("status") == "ok"}
    rounds = any(t.get("round", 1) > 1 for t in tools)
    head = "| round " if rounds else ""
    print(head + "| tool | status | requests/s | generator CPU s | requests per CPU-s | p50 ms "
          "| p99 ms | peak RSS MiB | req/s vs wrk | req per CPU-s vs wrk |")
    print(("|---:" if rounds else "") + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in tools:
        cell = f"| {t.get('round', 1)} " if rounds else ""
        if t.get("status") != "ok":
            print(cell + f"| {t['tool']} | {t.get('status', '?')} |" + " - |" * 8)
            continue
        wrk = wrk_by_round.get(t.get("round", 1))
        ratio_rps = ratio(t["rps"], wrk["rps"]) if wrk else None
        ratio_cpu = ratio(per_cpu(t), per_cpu(wrk)) if wrk else None
        t["requests_per_cpu_s"] = per_cpu(t)
        print(cell + f"| {t['tool']} | ok | {fmt(t['rps'])} | {fmt(t['cpu_s'], 2)} | "
              f"{fmt(per_cpu(t), 0)} | {fmt(t['p50_ms'], 3)} | {fmt(t['p99_ms'], 3)} | "
              f"{fmt(t['peak_rss_kb'] / 1024)} | {fmt(ratio_rps, 2)}x | {fmt(ratio_cpu, 2)}x |")
    notes = summary(tools, wrk_by_round) + doc.get("notes", [])
    if notes:
        print()
        for note in notes:
            print(f"- {note}")


if __name__ == "__main__":
    main(sys.argv[1])
