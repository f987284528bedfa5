#!/usr/bin/python3
"""Structure check of deploy/kubernetes/fleet: the kinds are there, selectors match the pods'
labels, ports match by name and number, every ConfigMap/Secret key referenced exists, and the
starter Job's --fleet names the headless Service and its gRPC port. Exit 1 listing every problem.

Usage: kubernetes_fleet_check.py DEPLOY_KUBERNETES_DIR"""
import pathlib
import sys

import yaml


def load(path):
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check(root):
    problems = []
    fleet = root / "fleet"
    kustomization = yaml.safe_load((fleet / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    present = {p.name for p in fleet.glob("*.yaml")} - {"kustomization.yaml"}
    if listed != present:
        problems.append(f"kustomization resources {sorted(listed)} != files {sorted(present)}")
    docs = [doc for name in sorted(listed) for doc in load(fleet / name)]
    docs += load(root / "secret.yaml")  # the shared TLS/token Secret
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], []).append(doc)
    for kind in ("StatefulSet", "Service", "PodMonitor", "Job", "ConfigMap", "Secret"):
        if kind not in by_kind:
            problems.append(f"no {kind}")
    if problems:
        return problems

    sts = by_kind["StatefulSet"][0]
    service = next(s for s in by_kind["Service"] if s["metadata"]["name"] == sts["spec"]["serviceName"])
    pod = sts["spec"]["template"]
    pod_labels = pod["metadata"]["labels"]
    container = pod["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    if service["spec"].get("clusterIP") != "None":
        problems.append("the fleet Service must be headless (clusterIP: None)")
    if not matches(sts["spec"]["selector"]["matchLabels"], pod_labels):
        problems.append("StatefulSet selector does not match its pod labels")
    if not matches(service["spec"]["selector"], pod_labels):
        problems.append("Service selector does not match the pods")
    for port in service["spec"]["ports"]:
        if port["targetPort"] not in ports:
            problems.append(f"Service targetPort {port['targetPort']} is no container port")
    monitor = by_kind["PodMonitor"][0]
    if not matches(monitor["spec"]["selector"]["matchLabels"], pod_labels):
        problems.append("PodMonitor selector does not match the pods")
    for endpoint in monitor["spec"]["podMetricsEndpoints"]:
        if endpoint["port"] not in ports:
            problems.append(f"PodMonitor port {endpoint['port']} is no container port")

    configmaps = {c["metadata"]["name"]: c for c in by_kind["ConfigMap"]}
    secrets = {s["metadata"]["name"]: s for s in by_kind["Secret"]}
    config = yaml.safe_load(configmaps["throngd-fleet"]["data"]["throngd.yaml"])
    for flag, name in (("grpc-listen", "grpc"), ("metrics-listen", "metrics")):
        if int(config[flag].rsplit(":", 1)[1]) != ports[name]:
            problems.append(f"throngd {flag} {config[flag]} != containerPort {name}={ports[name]}")
    for key in ("tls-cert", "tls-key", "auth-token-file"):
        if pathlib.PurePath(config[key]).name not in secrets["throngd-auth"]["stringData"]:
            problems.append(f"throngd {key} {config[key]} is not a key of Secret throngd-auth")

    grpc_port = next(p["port"] for p in service["spec"]["ports"] if p["targetPort"] == "grpc")
    job = by_kind["Job"][0]
    job_pod = job["spec"]["template"]["spec"]
    starter = job_pod["containers"][0]
    args = starter["args"]
    expected = f"dns:///{service['metadata']['name']}:{grpc_port}"
    if "--fleet" not in args or args[args.index("--fleet") + 1] != expected:
        problems.append(f"the starter Job's --fleet is not {expected}: {args}")
    if "run" not in args:
        problems.append("the starter Job does not run `throngctl run`")
    for spec in (pod["spec"], job_pod):
        for volume in spec.get("volumes", []):
            if "configMap" in volume and volume["configMap"]["name"] not in configmaps:
                problems.append(f"volume {volume['name']}: no ConfigMap {volume['configMap']['name']}")
            if "secret" in volume and volume["secret"]["secretName"] not in secrets:
                problems.append(f"volume {volume['name']}: no Secret {volume['secret']['secretName']}")
    for env in starter.get("env", []):
        ref = env.get("valueFrom", {}).get("secretKeyRef")
        if ref and ref["key"] not in secrets[ref["name"]]["stringData"]:
            problems.append(f"env {env['name']}: Secret {ref['name']} has no key {ref['key']}")
    scenario_mount = next(m for m in starter["volumeMounts"] if m["name"] == "scenario")
    scenario_file = args[args.index("run") + 1]
    key = pathlib.PurePath(scenario_file).name
    if not scenario_file.startswith(scenario_mount["mountPath"] + "/") or \
            key not in configmaps["throng-fleet-scenario"]["data"]:
        problems.append(f"the scenario {scenario_file} is not in the mounted ConfigMap")
    return problems


def main():
    problems = check(pathlib.Path(sys.argv[1]))
    for problem in problems:
        print("FAIL:", problem)
    if problems:
        sys.exit(1)
    print("deploy/kubernetes/fleet: kinds, selectors, ports, references and the starter agree")


if __name__ == "__main__":
    main()
