#!/usr/bin/python3
"""Unit tests of the locustfile converter (cli/convert): one small locustfile per pattern, the
scenario document it becomes, and the TODO path. With --throngctl, every scenario written is also
loaded by `throngctl validate --print` (the YAML maps onto the job spec).

Usage: converter_test.py --source-dir DIR [--throngctl PATH]
"""

import argparse
import os
import sys
import unittest

from converter_support import PatternCase, first_class


class Patterns(PatternCase):
    """User classes, wait times, tasks, TaskSets, lifecycle, shapes and tags."""

    def test_http_user_weight_and_host(self):
        document, warnings = self.written("""
            class A(HttpUser):
                weight = 3
                host = "http://127.0.0.1:9000"
                @task
                def t(self): self.client.get("/a")
            class B(FastHttpUser):
                @task
                def t(self): self.client.get("/b")
            """)
        self.assertEqual(document["base_url"], "http://127.0.0.1:9000")
        self.assertEqual([u["name"] for u in document["user_classes"]], ["A", "B"])
        self.assertEqual(document["user_classes"][0]["weight"], 3)
        self.assertNotIn("weight", document["user_classes"][1])
        self.assertEqual(warnings, [])

    def test_wait_times(self):
        document, _ = self.written("""
            class A(HttpUser):
                wait_time = between(0.5, 3)
                @task
                def t(self): self.client.get("/")
            class B(HttpUser):
                wait_time = constant(2)
                @task
                def t(self): self.client.get("/")
            class C(HttpUser):
                wait_time = constant_pacing(1.5)
                @task
                def t(self): self.client.get("/")
            class D(HttpUser):
                wait_time = constant_throughput(4)
                @task
                def t(self): self.client.get("/")
            """)
        waits = [u["wait"] for u in document["user_classes"]]
        self.assertEqual(waits, [{"between": {"min": "500ms", "max": "3s"}}, {"constant": "2s"},
                                 {"pacing": "1500ms"}, {"pacing": "250ms"}])

    def test_task_weights_by_decorator(self):
        document, _ = self.written("""
            class A(HttpUser):
                @task(6)
                def often(self): self.client.get("/often")
                @task(2)
                def rarely(self): self.client.get("/rarely")
            """)
        tasks = first_class(document)["tasks"]
        self.assertEqual([(t["name"], t.get("weight", 1)) for t in tasks],
                         [("often", 3), ("rarely", 1)])

    def test_weights_from_a_config_dict_and_a_wait_method(self):
        document, warnings = self.written("""
            WEIGHTS = {"read": 5, "write": 2}
            class U(HttpUser):
                def wait_time(self): return 1
                @task(WEIGHTS["read"])
                def read(self): self.client.get("/r")
                @task(WEIGHTS["write"])
                def write(self): self.client.post("/w")
                @task(compute())
                def other(self): self.client.get("/o")
            """)
        user = first_class(document)
        self.assertEqual([(t["name"], t.get("weight", 1)) for t in user["tasks"]],
                         [("read", 5), ("write", 2), ("other", 1)])
        self.assertIn("a wait_time method", user["wait_todo"].text)
        self.assertEqual(sorted(line for line, _ in warnings), [6, 12])

    def test_tasks_list_and_dict(self):
        document, _ = self.written("""
            def index(user): user.client.get("/")
            def about(user): user.client.get("/about/")
            class A(HttpUser):
                tasks = [index, index, about]
            class B(HttpUser):
                tasks = {index: 4, about: 1}
            """)
        shares = [[(t["name"], t.get("weight", 1)) for t in u["tasks"]]
                  for u in document["user_classes"]]
        self.assertEqual(shares[1], [("index", 4), ("about", 1)])
        self.assertEqual(shares[0], [("index", 2), ("about", 1)])

    def test_single_taskset_with_its_lifecycle(self):
        document, warnings = self.written("""
            class Browse(TaskSet):
                wait_time = constant(1)
                def on_start(self): self.client.get("/enter")
                def on_stop(self): self.client.get("/leave")
                @task(2)
                def a(self): self.client.get("/a")
                @task
                def b(self): self.client.get("/b")
            class U(HttpUser):
                tasks = [Browse]
            """)
        user = first_class(document)
        self.assertEqual(user["wait"], {"constant": "1s"})
        self.assertEqual(user["on_start"][0]["request"]["path"], "/enter")
        self.assertEqual(user["on_stop"][0]["request"]["path"], "/leave")
        self.assertEqual([(t["name"], t.get("weight", 1)) for t in user["tasks"]],
                         [("a", 2), ("b", 1)])
        self.assertEqual(warnings, [])

    def test_sequential_taskset(self):
        document, _ = self.written("""
            class Flow(SequentialTaskSet):
                @task
                def first(self): self.client.get("/1")
                @task
                def second(self): self.client.get("/2")
            class U(HttpUser):
                tasks = [Flow]
            """)
        user = first_class(document)
        self.assertEqual(user["task_order"], "sequential")
        self.assertEqual([t["name"] for t in user["tasks"]], ["first", "second"])

    def test_on_start_and_on_stop(self):
        document, _ = self.written("""
            class U(HttpUser):
                def on_start(self): self.client.post("/login", json={"user": "a"})
                def on_stop(self): self.client.post("/logout")
                @task
                def t(self): self.client.get("/")
            """)
        user = first_class(document)
        self.assertEqual(user["on_start"][0]["request"],
                         {"method": "POST", "path": "/login", "json": {"user": "a"}})
        self.assertEqual(user["on_stop"][0]["request"], {"method": "POST", "path": "/logout"})

    def test_load_test_shape_stages(self):
        document, _ = self.written("""
            class U(HttpUser):
                @task
                def t(self): self.client.get("/")
            class Shape(LoadTestShape):
                stages = [{"duration": 60, "users": 10, "spawn_rate": 10},
                          {"duration": 100, "users": 50, "spawn_rate": 10},
                          {"duration": 180, "users": 100, "spawn_rate": 10}]
                def tick(self): return None
            """)
        self.assertEqual(document["load"], {"closed": {"stages": [
            {"duration": "60s", "users": 10, "spawn_rate": 10},
            {"duration": "40s", "users": 50, "spawn_rate": 10},
            {"duration": "80s", "users": 100, "spawn_rate": 10}]}})

    def test_tags(self):
        document, _ = self.written("""
            class U(HttpUser):
                @tag("read", "smoke")
                @task(2)
                def a(self): self.client.get("/a")
                @task
                def b(self): self.client.get("/b")
            """)
        tasks = first_class(document)["tasks"]
        self.assertEqual(tasks[0]["tags"], ["read", "smoke"])
        self.assertNotIn("tags", tasks[1])

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--throngctl")
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(args.source_dir, "cli", "convert"))
    PatternCase.throngctl = args.throngctl
    sys.dont_write_bytecode = True
    import converter_flow_cases  # noqa: E402
    suite = unittest.TestSuite()
    for case in (Patterns, converter_flow_cases.FlowPatterns, converter_flow_cases.LocustExamples):
        suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(case))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    program = argparse.Namespace(result=result)
    ok = program.result.wasSuccessful() and program.result.testsRun >= 19
    print("PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
