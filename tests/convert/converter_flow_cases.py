"""Pattern tests of task bodies (requests, catch_response, extraction, lists, random values,
environment, loops, the TODO path) and Locust's own examples; run by converter_test.py."""

import os
import unittest

from converter_support import PatternCase, comments, convert, first_class


class FlowPatterns(PatternCase):
    """What a task's statements become."""

    def test_request_methods_and_options(self):
        document, _ = self.written("""
            class U(HttpUser):
                @task
                def t(self):
                    self.client.get("/g", params={"page": 2}, headers={"X-A": "1"}, name="get")
                    self.client.post("/p", data={"a": "b"})
                    self.client.put("/u", json={"n": 1})
                    self.client.patch("/pa", data="raw text")
                    self.client.delete("/d", timeout=2.5)
                    self.client.request("HEAD", "/h")
            """)
        requests = [s["request"] for s in first_class(document)["tasks"][0]["steps"]]
        self.assertEqual(requests[0], {"name": "get", "path": "/g", "headers": {"X-A": "1"},
                                       "query": {"page": "2"}})
        self.assertEqual(requests[1]["form"], {"fields": {"a": "b"}})
        self.assertEqual((requests[2]["method"], requests[2]["json"]), ("PUT", {"n": 1}))
        self.assertEqual((requests[3]["method"], requests[3]["raw"]), ("PATCH", "raw text"))
        self.assertEqual((requests[4]["method"], requests[4]["timeout"]), ("DELETE", "2500ms"))
        self.assertEqual(requests[5]["method"], "HEAD")

    def test_catch_response_on_status_codes(self):
        document, _ = self.written("""
            class U(HttpUser):
                @task
                def t(self):
                    with self.client.delete("/x/1", catch_response=True) as r:
                        if r.status_code == 204:
                            r.success()
                        elif r.status_code == 404:
                            r.success()
                        else:
                            r.failure("bad")
                    with self.client.get("/y", catch_response=True) as r:
                        if r.status_code != 200:
                            r.failure("not 200")
                    with self.client.get("/z", catch_response=True) as r:
                        if r.json()["status"] != "ok":
                            r.failure("unhealthy")
                        if "hello" not in r.text:
                            r.failure("no greeting")
            """)
        steps = first_class(document)["tasks"][0]["steps"]
        self.assertEqual(steps[0]["request"]["expect"], {"status": [204, 404]})
        self.assertEqual(steps[1]["request"]["expect"], {"status": [200]})
        self.assertEqual(steps[2]["request"]["expect"],
                         {"json": [{"pointer": "/status", "equals": "ok"}],
                          "body_contains": "hello"})

    def test_values_from_response_json(self):
        document, _ = self.written("""
            class U(HttpUser):
                def on_start(self):
                    r = self.client.post("/auth/token", data={"username": "u", "password": "p"})
                    self.token = r.json()["access_token"]
                    self.client.headers.update({"Authorization": f"Bearer {self.token}"})
                @task
                def t(self):
                    r = self.client.get("/orders/")
                    data = r.json()
                    order = data["items"][0]["id"]
                    self.client.get(f"/orders/{order}")
            """)
        user = first_class(document)
        self.assertEqual(user["on_start"][0]["request"]["extract"],
                         [{"var": "token", "json_pointer": "/access_token"}])
        steps = user["tasks"][0]["steps"]
        self.assertEqual(steps[0]["request"]["extract"],
                         [{"var": "order", "json_pointer": "/items/0/id"}])
        self.assertEqual(steps[1]["request"]["path"], "/orders/{{order}}")
        self.assertEqual(steps[1]["request"]["headers"], {"Authorization": "Bearer {{token}}"})

    def test_lists_of_created_ids(self):
        document, _ = self.written("""
            class U(HttpUser):
                def on_start(self):
                    self.ids = []
                @task
                def create(self):
                    r = self.client.post("/todos/", json={"title": "t"})
                    if r.status_code == 201:
                        self.ids.append(r.json()["id"])
                @task
                def delete(self):
                    if not self.ids:
                        return
                    todo_id = random.choice(self.ids)
                    self.client.delete(f"/todos/{todo_id}")
                    self.ids.remove(todo_id)
            """)
        tasks = first_class(document)["tasks"]
        self.assertEqual(tasks[0]["steps"][0]["request"]["extract"],
                         [{"var": "ids", "json_pointer": "/id", "action": "append"}])
        delete = tasks[1]["steps"]
        self.assertEqual(delete[0], {"list": {"list": "ids", "op": "pick_random",
                                              "var": "todo_id"}})
        self.assertEqual(delete[1]["skip_if_empty"], "todo_id")
        self.assertEqual(delete[1]["request"]["path"], "/todos/{{todo_id}}")
        self.assertEqual(delete[2], {"skip_if_empty": "todo_id",
                                     "list": {"list": "ids", "op": "remove", "var": "todo_id"}})

    def test_random_values_in_bodies(self):
        document, _ = self.written("""
            class U(HttpUser):
                @task
                def t(self):
                    self.client.post("/cart", json={"product": random.randint(1, 50),
                                                    "gift": random.choice([True, False]),
                                                    "note": f"n{random.randint(1, 9)}"})
                    self.client.post("/tag", json={"color": random.choice(["red", "blue"])})
            """)
        steps = first_class(document)["tasks"][0]["steps"]
        self.assertEqual(len(steps[0]["choice"]["branches"]), 2)
        self.assertEqual(steps[1]["request"]["raw"],
                         '{"product": {{randint:1:50}}, "gift": {{choice_1}}, '
                         '"note": "n{{randint:1:9}}"}')
        self.assertEqual(steps[1]["request"]["content_type"], "application/json")
        self.assertEqual(steps[2]["choice"]["branches"][0],
                         {"steps": [{"set": {"values": {"choice_2": "red"}}}]})
        self.assertEqual(steps[3]["request"]["json"], {"color": "{{choice_2}}"})

    def test_credentials_from_the_environment(self):
        document, _ = self.written("""
            USER = os.getenv("LOAD_USER", "alice")
            class U(HttpUser):
                host = os.environ.get("TARGET", "http://127.0.0.1:8000")
                @task
                def t(self):
                    self.client.post("/login", data={"u": USER,
                                                     "p": os.environ["LOAD_PASSWORD"]})
            """)
        self.assertEqual(document["base_url"], "${TARGET:-http://127.0.0.1:8000}")
        self.assertEqual(document["variables"], {"load_user": "${LOAD_USER:-alice}",
                                                 "load_password": "${LOAD_PASSWORD:-}"})
        form = first_class(document)["tasks"][0]["steps"][0]["request"]["form"]["fields"]
        self.assertEqual(form, {"u": "{{load_user}}", "p": "{{load_password}}"})

    def test_loop_index_and_local_lists(self):
        document, _ = self.written("""
            class U(HttpUser):
                @task
                def t(self):
                    ids = []
                    for i in range(3):
                        r = self.client.post("/todos/", json={"title": f"todo {i}"})
                        ids.append(r.json()["id"])
                    if ids:
                        self.client.delete(f"/todos/{ids[0]}")
            """)
        steps = first_class(document)["tasks"][0]["steps"]
        self.assertEqual(steps[0], {"list": {"list": "U_ids", "op": "clear"}})
        self.assertEqual(steps[1]["repeat"]["count"], 3)
        self.assertEqual(steps[1]["repeat"]["steps"][0]["request"]["json"],
                         {"title": "todo {{repeat_index}}"})
        self.assertEqual(steps[2], {"list": {"list": "U_ids", "op": "pop", "var": "U_ids_0"}})
        self.assertEqual(steps[3]["skip_if_empty"], "U_ids_0")

    def test_think_time_and_weighted_branch(self):
        document, _ = self.written("""
            class U(HttpUser):
                @task
                def t(self):
                    time.sleep(random.uniform(0.5, 2))
                    if random.random() < 0.3:
                        self.client.post("/confirm")
                    else:
                        self.client.post("/release")
            """)
        steps = first_class(document)["tasks"][0]["steps"]
        self.assertEqual(steps[0], {"think": {"between": {"min": "500ms", "max": "2s"}}})
        self.assertEqual([b["weight"] for b in steps[1]["choice"]["branches"]], [30, 70])

    def test_untranslatable_code_becomes_a_todo_and_a_warning(self):
        document, warnings = self.written("""
            class U(HttpUser):
                @task
                def t(self):
                    self.client.get("/before")
                    while True:
                        break
                    self.client.get("/after", cookies={"a": "b"})
                @task
                def nothing(self):
                    self.client.get(compute_url())
            """)
        tasks = first_class(document)["tasks"]
        notes = comments(tasks[0])
        self.assertEqual(len(notes), 2, notes)
        self.assertIn("TODO(convert): line 8: a While statement", notes[0])
        self.assertIn("the request option cookies=", notes[1])
        self.assertEqual(tasks[0]["steps"][0]["request"]["path"], "/before")
        # A task with nothing translated stays (with its share) and says so.
        self.assertTrue(any("nothing of this task" in n for n in comments(tasks[1])))
        lines = [line for line, _ in warnings]
        self.assertEqual(lines[:2], [8, 10])
        self.assertIn(13, lines)

    def test_no_user_class_is_an_error(self):
        from locust2throng.values import Untranslatable
        with self.assertRaises(Untranslatable):
            convert("x = 1\n")


class LocustExamples(unittest.TestCase):
    """Locust's own example locustfiles (python3-locust) convert without an error."""

    def test_examples(self):
        base = "/usr/share/doc/python3-locust/examples"
        names = ["basic.py", "locustfile.py", "fast_http_locust.py", "events.py",
                 "browse_docs_test.py", "browse_docs_sequence_test.py",
                 "nested_inline_tasksets.py", "custom_shape/stages.py",
                 "custom_shape/step_load.py", "dynamic_user_credentials.py"]
        present = [n for n in names if os.path.exists(os.path.join(base, n))]
        if not present:
            self.skipTest("python3-locust's examples are not installed")
        for name in present:
            with self.subTest(name=name):
                with open(os.path.join(base, name)) as f:
                    document, _ = convert(f.read())
                self.assertTrue(document["user_classes"])
