#!/usr/bin/python3
"""Renders a bench results JSON file (from run.sh or latency.sh) as a Markdown report on stdout."""
import json
import sys


def fmt(value, digits=1):
    return "-" if value is None else f"{value:,.{digits}f}"


def main(path):
    doc = json.load(open(path))
    machine = doc["machine"]
    print(f"# {doc['title']}\n")
    print(f"{doc['started_at']} · {machine['cores']} cores ({machine['cpu']}) · kernel "
          f"{machine['kernel']} · load average at start {machine['load_average_at_start']}  ")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in machine["versions"].items()) + "  ")
    print(doc["setup"] + "\n")
    tools = doc["tools"]
    wrk = next((t for t in tools if t["tool"] == "wrk" and t.get("status") == "ok"), None)
    print("| tool | status | requests/s | generator CPU s | requests per CPU-s | p50 ms | p99 ms "
          "| peak RSS MiB | req/s vs wrk | req per CPU-s vs wrk |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in tools:
        if t.get("status") != "ok":
            print(f"| {t['tool']} | {t.get('status', '?')} |" + " - |" * 8)
            continue
        per_cpu = t["requests"] / t["cpu_s"] if t["cpu_s"] > 0 else None
        t["requests_per_cpu_s"] = per_cpu
        ratio_rps = ratio_cpu = None
        if wrk:
            wrk_per_cpu = wrk["requests"] / wrk["cpu_s"] if wrk["cpu_s"] > 0 else None
            ratio_rps = t["rps"] / wrk["rps"] if wrk["rps"] else None
            ratio_cpu = per_cpu / wrk_per_cpu if per_cpu and wrk_per_cpu else None
        print(f"| {t['tool']} | ok | {fmt(t['rps'])} | {fmt(t['cpu_s'], 2)} | {fmt(per_cpu, 0)} | "
              f"{fmt(t['p50_ms'], 3)} | {fmt(t['p99_ms'], 3)} | {fmt(t['peak_rss_kb'] / 1024)} | "
              f"{fmt(ratio_rps, 2)}x | {fmt(ratio_cpu, 2)}x |")
    notes = doc.get("notes", [])
    if notes:
        print()
        for note in notes:
            print(f"- {note}")


if __name__ == "__main__":
    main(sys.argv[1])
