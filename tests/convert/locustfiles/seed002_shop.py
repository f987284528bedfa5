# Seed 002 (shop), written from its description: 1000 prepared accounts load_test_user_0..999 with
# one password; shoppers browse, look at products and fill their cart, buyers order and pay.
# The phases (smoke, step stress, payment focus, soak) are a LoadTestShape with a list of stages.
import os
import random

from locust import HttpUser, LoadTestShape, between, task

PASSWORD = os.getenv("THRONG_PASSWORD", "testpass123")


class ShopUserBase(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self):
        username = f"load_test_user_{random.randint(0, 999)}"
        response = self.client.post("/auth/token", data={"username": username,
                                                         "password": PASSWORD},
                                    name="POST /auth/token")
        token = response.json()["access_token"]
        self.client.headers.update({"Authorization": f"Bearer {token}"})


class Shopper(ShopUserBase):
    weight = 4

    @task(5)
    def browse(self):
        self.client.get("/products/", params={"skip": 0, "limit": 20}, name="GET /products/")

    @task(3)
    def product_detail(self):
        self.client.get(f"/products/{random.randint(1, 50)}", name="GET /products/[id]")

    @task(2)
    def add_to_cart(self):
        with self.client.post("/cart/items", json={"product_id": random.randint(1, 50),
                                                   "quantity": 1},
                              name="POST /cart/items", catch_response=True) as response:
            if response.status_code == 201:
                response.success()
            else:
                response.failure(f"cart: {response.status_code}")
        self.client.get("/cart/", name="GET /cart/")


class Buyer(ShopUserBase):
    weight = 1

    @task
    def checkout(self):
        self.client.post("/cart/items", json={"product_id": random.randint(1, 50), "quantity": 1},
                         name="POST /cart/items")
        with self.client.post("/orders/", name="POST /orders/", catch_response=True) as response:
            if response.status_code != 201:
                response.failure("no order")
            order_id = response.json()["id"]
        with self.client.post(f"/payments/{order_id}/confirm", name="POST /payments/[order_id]/confirm",
                              catch_response=True) as payment:
            if payment.status_code != 200:
                payment.failure("payment failed")
            elif payment.json()["status"] != "paid":
                payment.failure("not paid")


class ShopPhases(LoadTestShape):
    # Locust's stage durations are the time since the start at which each stage ends.
    stages = [
        {"duration": 60, "users": 10, "spawn_rate": 5},
        {"duration": 360, "users": 10, "spawn_rate": 10},
        {"duration": 660, "users": 50, "spawn_rate": 10},
        {"duration": 960, "users": 100, "spawn_rate": 20},
        {"duration": 1260, "users": 500, "spawn_rate": 50},
        {"duration": 1560, "users": 1000, "spawn_rate": 100},
        {"duration": 2160, "users": 500, "spawn_rate": 100},
        {"duration": 3960, "users": 300, "spawn_rate": 50},
    ]

    def tick(self):
        run_time = self.get_run_time()
        for stage in self.stages:
            if run_time < stage["duration"]:
                return stage["users"], stage["spawn_rate"]
        return None
