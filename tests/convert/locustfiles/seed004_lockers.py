# Seed 004 (lockers), written from its description: each user logs in, lists the free lockers,
# holds a random one, thinks 0.5-2 s, confirms it (50 %) or releases it, then views its locker.
import random
import time

from locust import HttpUser, SequentialTaskSet, constant, task


class LockerFlow(SequentialTaskSet):
    def on_start(self):
        username = f"load_test_user_{random.randint(0, 999)}"
        response = self.client.post("/auth/token",
                                    data={"username": username, "password": "testpass123"},
                                    name="POST /auth/token")
        self.token = response.json()["access_token"]
        self.auth = {"Authorization": f"Bearer {self.token}"}

    @task
    def list_lockers(self):
        self.client.get("/lockers/available", headers=self.auth, name="GET /lockers/available")

    @task
    def hold(self):
        self.locker_id = random.randint(1, 200)
        with self.client.post(f"/lockers/{self.locker_id}/hold", headers=self.auth,
                              name="POST /lockers/[id]/hold", catch_response=True) as response:
            if response.status_code in (200, 409):  # 409: someone else got it first
                response.success()
        time.sleep(random.uniform(0.5, 2))

    @task
    def decide(self):
        if random.random() < 0.5:
            with self.client.post(f"/lockers/{self.locker_id}/confirm", headers=self.auth,
                                  name="POST /lockers/[id]/confirm",
                                  catch_response=True) as response:
                if response.status_code in (200, 409):
                    response.success()
        else:
            with self.client.post(f"/lockers/{self.locker_id}/release", headers=self.auth,
                                  name="POST /lockers/[id]/release",
                                  catch_response=True) as response:
                if response.status_code in (200, 409):
                    response.success()

    @task
    def my_locker(self):
        self.client.get("/lockers/me", headers=self.auth, name="GET /lockers/me")


class LockerUser(HttpUser):
    wait_time = constant(0)
    tasks = [LockerFlow]
