# Seed 000 (token auth), written from its description: AuthenticatedUser logs in once with the
# OAuth2 password form (credentials from the environment), then reads its profile (weight 5) and
# sometimes refreshes its token (weight 1); LoginOnlyUser does nothing but log in.
import os

from locust import HttpUser, between, task

USERNAME = os.getenv("THRONG_USERNAME", "load_test_user_0")
PASSWORD = os.environ.get("THRONG_PASSWORD", "testpass123")


class AuthenticatedUser(HttpUser):
    wait_time = between(1, 5)
    weight = 3

    def on_start(self):
        response = self.client.post("/auth/token",
                                    data={"username": USERNAME, "password": PASSWORD},
                                    name="POST /auth/token")
        self.access_token = response.json()["access_token"]
        self.refresh_token = response.json()["refresh_token"]

    @task(5)
    def get_current_user(self):
        with self.client.get("/accounts/me",
                             headers={"Authorization": f"Bearer {self.access_token}"},
                             name="GET /accounts/me", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif response.json()["is_active"] != True:  # noqa: E712
                response.failure("inactive")

    @task(1)
    def refresh(self):
        response = self.client.post("/auth/refresh", json={"refresh_token": self.refresh_token},
                                    name="POST /auth/refresh")
        self.access_token = response.json()["access_token"]


class LoginOnlyUser(HttpUser):
    wait_time = between(1, 5)
    weight = 1

    @task
    def login(self):
        self.client.post("/auth/token", data={"username": USERNAME, "password": PASSWORD},
                         name="POST /auth/token")
