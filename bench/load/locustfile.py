"""The load: collectors reporting (each report with an idempotency key, retried with the same key when the
connection fails) and operators working their queues through the case API — 受理 (accept), 立案 (open) and
派遣 (dispatch). Run by run.py, which gives the plan (LOAD_PLAN), where to write the acknowledged reports
(LOAD_ACKS) and how many operators (LOAD_OPERATORS); every other user is a collector.

A transition refused with 409 because another operator moved the case first is the expected outcome of two
people working one queue, counted under its own name, not as a failure. Anything else not 2xx is a failure.
"""

import json
import os
import random
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
ACKS: list[tuple[str, int]] = []
OPERATORS = int(os.getenv("LOAD_OPERATORS", "5"))
ROLES = ["intake", "shift", "dispatch"]
# What each role lists: the shift leader opens collectors' reports only (others need 核实 on site first).
ROLE_OF = {"intake": "state=reported", "shift": "state=accepted&source=collector", "dispatch": "state=open"}
STATE_OF = {"intake": "reported", "shift": "accepted", "dispatch": "open"}


@events.test_stop.add_listener
def write_acks(**_):
    Path(os.environ["LOAD_ACKS"]).write_text(json.dumps(ACKS), encoding="utf-8")


class Collector(HttpUser):
    """A collector on patrol: a report every 30–90 s (1,000 of them: ≈17 reports a second, about a working day's
    reports of a large city in five minutes)."""

    wait_time = between(30, 90)

    def on_start(self):
        self.client.headers["Authorization"] = "Bearer " + PLAN["tokens"]["collector"]

    @task
    def report(self):
        key = uuid.uuid4().hex
        lon, lat = random.choice(PLAN["points"])
        body = {"kind": "matter", "class_code": random.choice(PLAN["classes"]), "lon": lon, "lat": lat,
                "description": "压测上报：路面破损", "idempotency_key": key}
        for attempt in range(3):  # a lost answer is retried with the same key: at most one case results
            with self.client.post("/api/v1/cases", json=body, name="POST /cases (report)",
                                  catch_response=True) as response:
                if response.status_code in (200, 201):
                    ACKS.append((key, response.json()["id"]))
                    return
                if response.status_code == 0 and attempt < 2:  # no answer at all: try again
                    response.success()
                    continue
                response.failure(f"{response.status_code} {response.text[:200]}")
                return


class Operator(HttpUser):
    """An operator at the workbench: looks at a queue or takes the next case every 5–15 s."""

    fixed_count = OPERATORS
    wait_time = between(5, 15)
    serial = 0

    def on_start(self):
        Operator.serial += 1
        self.role = ROLES[Operator.serial % len(ROLES)]
        self.client.headers["Authorization"] = "Bearer " + PLAN["tokens"][self.role]
        self.client.headers["Accept-Language"] = "en"

    @task(2)
    def queues(self):
        self.client.get("/api/v1/queues", name="GET /queues")

    @task(5)
    def work_one(self):
        page = self.client.get(f"/api/v1/cases?{ROLE_OF[self.role]}&limit=20", name="GET /cases?state")
        items = page.json()["items"] if page.status_code == 200 else []
        if not items:
            return
        case = random.choice(items)
        detail = self.client.get(f"/api/v1/cases/{case['id']}", name="GET /cases/{id}")
        if detail.status_code != 200:
            return
        if detail.json()["state"] != STATE_OF[self.role]:  # moved on between the list and the case file
            events.request.fire(request_type="RACE", name="case moved before it was opened", response_time=0,
                                response_length=0, exception=None, context={})
            return
        version = detail.json()["version"]
        action, body = {
            "intake": ("accept", {}),
            "shift": ("open", {"class_code": detail.json().get("class_code") or PLAN["classes"][0], "condition": 1}),
            "dispatch": ("dispatch", {"department_id": random.choice(PLAN["departments"]), "reason": "压测派遣"}),
        }[self.role]
        name = f"POST /cases/{{id}}/actions/{action}"
        with self.client.post(f"/api/v1/cases/{case['id']}/actions/{action}", json={"version": version, **body},
                              name=name, catch_response=True) as response:
            code = response.json().get("code") if response.status_code == 409 else None
            if code == "stale_case":  # another operator moved it first
                response.success()
                events.request.fire(request_type="RACE", name=f"{action} lost to another operator", response_time=0,
                                    response_length=0, exception=None, context={})
            elif response.status_code != 200:
                response.failure(f"{response.status_code} {response.text[:200]}")
