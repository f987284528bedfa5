# Seed 003 (items), written from its description: health check, login, user info and item CRUD,
# with the task weights that lived in config.py (here a module-level dict, as config.py held it).
import os
import random

from locust import FastHttpUser, between, task

TASK_WEIGHTS = {"health": 1, "user_info": 2, "list_items": 4, "create_item": 3,
                "read_item": 5, "update_item": 2, "delete_item": 1}


class ApiUser(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.item_ids = []
        response = self.client.post("/auth/token", data={
            "username": os.getenv("THRONG_USERNAME", "load_test_user_1"),
            "password": os.getenv("THRONG_PASSWORD", "testpass123")}, name="POST /auth/token")
        self.headers = {"Authorization": "Bearer " + response.json()["access_token"],
                        "Accept": "application/json"}

    @task(TASK_WEIGHTS["health"])
    def health(self):
        with self.client.get("/health", name="GET /health", catch_response=True) as response:
            if response.json()["status"] != "ok":
                response.failure("unhealthy")

    @task(TASK_WEIGHTS["user_info"])
    def user_info(self):
        self.client.get("/users/me", headers=self.headers, name="GET /users/me")

    @task(TASK_WEIGHTS["list_items"])
    def list_items(self):
        self.client.get("/items/", headers=self.headers, name="GET /items/")

    @task(TASK_WEIGHTS["create_item"])
    def create_item(self):
        with self.client.post("/items/", json={"title": f"item {random.randint(1, 10**6)}",
                                               "description": "load test item"},
                              headers=self.headers, name="POST /items/",
                              catch_response=True) as response:
            if response.status_code == 201:
                self.item_ids.append(response.json()["id"])
            else:
                response.failure(f"create: {response.status_code}")

    @task(TASK_WEIGHTS["read_item"])
    def read_item(self):
        if not self.item_ids:
            return
        item_id = random.choice(self.item_ids)
        with self.client.get(f"/items/{item_id}", headers=self.headers, name="GET /items/[id]",
                             catch_response=True) as response:
            if response.status_code in [200, 404]:
                response.success()

    @task(TASK_WEIGHTS["update_item"])
    def update_item(self):
        if not self.item_ids:
            return
        item_id = random.choice(self.item_ids)
        with self.client.put(f"/items/{item_id}", json={"title": "item updated"},
                             headers=self.headers, name="PUT /items/[id]",
                             catch_response=True) as response:
            if response.status_code == 404:
                response.success()

    @task(TASK_WEIGHTS["delete_item"])
    def delete_item(self):
        if not self.item_ids:
            return
        item_id = random.choice(self.item_ids)
        with self.client.delete(f"/items/{item_id}", headers=self.headers,
                                name="DELETE /items/[id]", catch_response=True) as response:
            if response.status_code in (204, 404):
                response.success()
            self.item_ids.remove(item_id)
