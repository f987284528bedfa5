#!/usr/bin/python3
"""The seeds' locustfiles, converted by `throngctl convert`, are the examples' workloads.

For each tests/convert/locustfiles/seed*.py: `throngctl convert` writes a scenario with no
TODO(convert) left; the daemon validates it (`validate --remote`); its user-class and task shares
(or, for a sequential flow, its request sequence and branch weights) equal those of the
hand-written examples/scenarios file; and it runs against the demo backend with requests made and
0 failures. Then the todo seed's StressTestUser alone (Locust's positional class name) runs its
create:list tasks 3:1 as measured by the daemon, and Locust's own example locustfiles convert into
scenarios the daemon accepts.

Usage: convert_e2e.py --throngd PATH --throngctl PATH --backend PATH --source-dir DIR
"""

import json
import os
import subprocess
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from harness import Failure, run_with_servers  # noqa: E402

SHORT_RUN = ["--users", "10", "--spawn-rate", "10", "--run-time", "4s"]
# seed locustfile -> (example, {converted class: (example class, {converted task: example task})})
SEEDS = {
    "seed000_token_auth.py": ("token_auth.yaml", {
        "AuthenticatedUser": ("AuthenticatedUser", {"get_current_user": "me",
                                                    "refresh": "refresh"}),
        "LoginOnlyUser": ("LoginOnlyUser", {"login": "login"})}),
    "seed001_todo.py": ("todo_crud.yaml", {
        "TodoUser": ("TodoUser", {"create_todo": "create", "list_todos": "list",
                                  "get_single_todo": "get", "update_todo": "update",
                                  "delete_todo": "delete"}),
        "MixedWorkloadUser": ("MixedWorkflowUser", {"complete_workflow": "complete_workflow"}),
        "StressTestUser": ("StressUser", {"bulk_create": "bulk_create", "list_todos": "list"})}),
    "seed002_shop.py": ("shop.yaml", {
        "Shopper": ("Shopper", {"browse": "browse", "product_detail": "product_detail",
                                "add_to_cart": "add_to_cart"}),
        "Buyer": ("Buyer", {"checkout": "checkout"})}),
    "seed003_items.py": ("items.yaml", {
        "ApiUser": ("ApiUser", {n: n for n in ("health", "user_info", "list_items",
                                               "create_item", "read_item", "update_item",
                                               "delete_item")})}),
    "seed004_lockers.py": ("lockers.yaml", {"LockerUser": ("LockerUser", None)}),
}


def throngctl(args, ctx, timeout=60, check=True):
    result = subprocess.run([ctx.throngctl, "--daemon", ctx.grpc] + args, capture_output=True,
                            text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise Failure(f"throngctl {' '.join(args)}: exit {result.returncode}\n"
                      f"{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result


def spec_of(path, ctx):
    return json.loads(throngctl(["validate", path, "--print"], ctx).stdout)


def shares(items, weight_of):
    total = sum(weight_of(i) for i in items)
    return {i["name"]: Fraction(weight_of(i), total) for i in items}


def weight(item):
    return item.get("weight") or 1


def flow_signature(steps):
    """Request names in order; a choice is [(branch share, its signature), ...]."""
    signature = []
    for step in steps:
        if "request" in step:
            signature.append(step["request"].get("name"))
        elif "choice" in step:
            branches = step["choice"]["branches"]
            total = sum(weight(b) for b in branches)
            signature.append(sorted((Fraction(weight(b), total), tuple(flow_signature(
                b.get("steps", [])))) for b in branches))
        elif "repeat" in step:
            signature.append(("repeat", step["repeat"]["count"],
                              tuple(flow_signature(step["repeat"]["steps"]))))
    return signature


def sequential_signature(user):
    return [name for task in user["tasks"] for name in flow_signature(task["steps"])]


def compare_shares(converted, example, mapping):
    problems = []
    by_name = {u["name"]: u for u in example["user_classes"]}
    converted_classes = shares(converted["user_classes"], weight)
    example_classes = shares(example["user_classes"], weight)
    for user in converted["user_classes"]:
        example_name, task_map = mapping[user["name"]]
        if converted_classes[user["name"]] != example_classes[example_name]:
            problems.append(f"class {user['name']}: share {converted_classes[user['name']]} "
                            f"!= {example_name}'s {example_classes[example_name]}")
        example_user = by_name[example_name]
        if task_map is None:  # a sequential flow: the same requests in the same order
            if sequential_signature(user) != sequential_signature(example_user):
                problems.append(f"{user['name']}: flow {sequential_signature(user)} != "
                                f"{sequential_signature(example_user)}")
            continue
        got = {task_map[k]: v for k, v in shares(user["tasks"], weight).items()}
        want = shares(example_user["tasks"], weight)
        if got != want:
            problems.append(f"{user['name']}: task shares {got} != {want}")
    return problems


def run_report(path, ctx, extra):
    report_path = path + ".report.json"
    result = throngctl(["run", path, "--host", ctx.backend, "--json", report_path] + extra, ctx,
                       timeout=120, check=False)
    with open(report_path) as f:
        return result, json.load(f)


def check_seed(seed, ctx):
    example_file, mapping = SEEDS[seed]
    locustfile = os.path.join(ctx.source, "tests/convert/locustfiles", seed)
    scenario = os.path.join(ctx.work, seed.replace(".py", ".yaml"))
    converted = subprocess.run([ctx.throngctl, "convert", locustfile, "-o", scenario],
                               capture_output=True, text=True, timeout=30)
    if converted.returncode != 0 or "warning" in converted.stderr:
        return [f"{seed}: convert exit {converted.returncode}: {converted.stderr[-2000:]}"]
    with open(scenario) as f:
        if "TODO(convert)" in f.read():
            return [f"{seed}: TODO(convert) left in the scenario"]
    throngctl(["validate", scenario, "--remote"], ctx)
    problems = compare_shares(spec_of(scenario, ctx),
                              spec_of(os.path.join(ctx.source, "examples/scenarios",
                                                   example_file), ctx), mapping)
    result, report = run_report(scenario, ctx, SHORT_RUN)
    total = report["aggregated"]
    if result.returncode != 0 or total["requests"] == 0 or total["failures"] != 0:
        problems.append(f"{seed}: exit {result.returncode}, {total['requests']} requests, "
                        f"{total['failures']} failures: {report.get('errors')}\n"
                        f"{result.stderr[-1500:]}")
    print(f"  {'ok ' if not problems else 'FAIL'} {seed} -> {example_file}: "
          f"{total['requests']} requests, {total['failures']} failures")
    return problems


def check_class_selection(ctx):
    """StressTestUser alone (no wait): its create and list tasks run 3:1."""
    scenario = os.path.join(ctx.work, "seed001_todo.yaml")
    result, report = run_report(scenario, ctx, ["StressTestUser", "--users", "2",
                                                "--spawn-rate", "2", "--run-time", "3s"])
    counts = {e["name"]: e["requests"] for e in report["endpoints"]}
    creates, lists = counts.get("/todos/ [POST]", 0), counts.get("/todos/ [GET]", 0)
    ratio = creates / lists if lists else 0
    ok = (result.returncode == 0 and set(counts) == {"/todos/ [POST]", "/todos/ [GET]"}
          and lists > 100 and 2.6 < ratio < 3.4)
    print(f"  {'ok ' if ok else 'FAIL'} StressTestUser alone: {creates} creates, {lists} lists "
          f"(ratio {ratio:.2f}, expected 3), endpoints {sorted(counts)}")
    return [] if ok else [f"class selection: {counts}, exit {result.returncode}"]


LOCUST_EXAMPLES = "/usr/share/doc/python3-locust/examples"


def check_locust_examples(ctx):
    """Locust's own example locustfiles: converted (TODOs allowed) and accepted by the daemon."""
    names = ["basic.py", "locustfile.py", "fast_http_locust.py", "events.py",
             "browse_docs_test.py", "nested_inline_tasksets.py", "custom_shape/stages.py",
             "custom_shape/step_load.py", "dynamic_user_credentials.py", "multiple_hosts.py"]
    present = [n for n in names if os.path.exists(os.path.join(LOCUST_EXAMPLES, n))]
    problems = []
    for name in present:
        scenario = os.path.join(ctx.work, "locust_" + name.replace("/", "_") + ".yaml")
        converted = subprocess.run([ctx.throngctl, "convert", os.path.join(LOCUST_EXAMPLES, name),
                                    "-o", scenario], capture_output=True, text=True, timeout=30)
        accepted = throngctl(["validate", scenario, "--remote", "--host", ctx.backend], ctx,
                             check=False) if converted.returncode == 0 else None
        if accepted is None or accepted.returncode != 0:
            problems.append(f"Locust example {name}: {converted.stderr[-500:]}"
                            f"{accepted.stderr if accepted else ''}")
    print(f"  {'ok ' if not problems else 'FAIL'} {len(present)} of Locust's examples converted "
          f"and accepted by the daemon")
    return problems


def main():
    def body(ctx):
        failures = []
        for seed in sorted(SEEDS):
            failures += check_seed(seed, ctx)
        return failures + check_class_selection(ctx) + check_locust_examples(ctx)
    return run_with_servers(__doc__.splitlines()[0], body)


if __name__ == "__main__":
    sys.exit(main())
