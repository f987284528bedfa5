# Seed 001 (성능 테스트 학습 가이드): the locustfile its fragments describe, assembled whole.
# TodoUser's create/list/get are the guide's finished examples; update_todo, delete_todo,
# MixedWorkloadUser and StressTestUser are the exercises' solutions as the guide gives them.
import random

from locust import HttpUser, between, constant, task


class TodoUser(HttpUser):
    wait_time = between(1, 3)
    weight = 3

    def on_start(self):
        self.created_todo_ids = []

    @task(3)
    def create_todo(self):
        """TODO 생성 (가중치 3)"""
        with self.client.post("/todos/", json={
            "title": "성능 테스트",
            "description": "created by locust",
            "completed": False,
        }, name="/todos/ [POST]", catch_response=True) as response:
            if response.status_code == 201:
                self.created_todo_ids.append(response.json()["id"])
                response.success()
            else:
                response.failure(f"생성 실패: {response.status_code}")

    @task(2)
    def list_todos(self):
        """TODO 리스트 조회 (가중치 2)"""
        self.client.get("/todos/", params={"skip": 0, "limit": 20}, name="/todos/ [GET]")

    @task(1)
    def get_single_todo(self):
        if not self.created_todo_ids:
            return
        todo_id = random.choice(self.created_todo_ids)
        with self.client.get(f"/todos/{todo_id}", name="/todos/{id} [GET]",
                             catch_response=True) as response:
            if response.status_code in (200, 404):
                response.success()
            else:
                response.failure(f"조회 실패: {response.status_code}")

    @task(1)
    def update_todo(self):
        """TODO 수정 시나리오"""
        if not self.created_todo_ids:
            return

        todo_id = random.choice(self.created_todo_ids)

        # 업데이트 데이터 작성
        update_data = {
            "title": f"수정된 제목 {random.randint(1, 1000)}",
            "completed": random.choice([True, False])
        }

        # PUT 요청 작성
        with self.client.put(
            f"/todos/{todo_id}",
            json=update_data,
            name="/todos/{id} [PUT - Update]",
            catch_response=True
        ) as response:
            if response.status_code == 200:
                response.success()
            elif response.status_code == 404:
                response.success()  # 이미 삭제된 TODO
            else:
                response.failure(f"수정 실패: {response.status_code}")

    @task(1)
    def delete_todo(self):
        """TODO 삭제 시나리오"""
        if not self.created_todo_ids:
            return

        todo_id = random.choice(self.created_todo_ids)

        with self.client.delete(
            f"/todos/{todo_id}",
            name="/todos/{id} [DELETE]",
            catch_response=True
        ) as response:
            if response.status_code == 204:
                # 삭제 성공: 리스트에서 제거
                if todo_id in self.created_todo_ids:
                    self.created_todo_ids.remove(todo_id)
                response.success()
            elif response.status_code == 404:
                response.success()  # 이미 삭제됨
            else:
                response.failure(f"삭제 실패: {response.status_code}")


class MixedWorkloadUser(HttpUser):
    wait_time = between(2, 5)

    @task
    def complete_workflow(self):
        """전체 워크플로우"""
        # 1. TODO 3개 생성
        todo_ids = []
        for i in range(3):
            response = self.client.post("/todos/", json={
                "title": f"워크플로우 TODO {i}",
                "completed": False
            }, name="/todos/ [POST]")
            if response.status_code == 201:
                todo_ids.append(response.json()["id"])

        # 2. 리스트 조회
        self.client.get("/todos/", name="/todos/ [GET]")

        # 3. 첫 번째 TODO 완료 처리
        if todo_ids:
            self.client.put(f"/todos/{todo_ids[0]}", json={
                "completed": True
            }, name="/todos/{id} [PUT - Update]")

        # 4. 완료된 TODO 삭제
        if todo_ids:
            self.client.delete(f"/todos/{todo_ids[0]}", name="/todos/{id} [DELETE]")


class StressTestUser(HttpUser):
    """wait_time 최소화, 대량 데이터 생성"""
    wait_time = constant(0)

    @task(3)
    def bulk_create(self):
        self.client.post("/todos/", json={"title": f"stress {random.randint(1, 100000)}",
                                          "description": "bulk data", "completed": False},
                         name="/todos/ [POST]")

    @task(1)
    def list_todos(self):
        self.client.get("/todos/", name="/todos/ [GET]")
