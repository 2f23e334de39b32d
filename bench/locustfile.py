"""Locust users of the load bench (bench/load.py prepares the portal and runs this file).

Readers browse the public pages; reviewers move their own share of the
prepared datasets round the review cycle; producers upload files, each
upload a validation job for the RQ worker. Everything goes over HTTP to the
gunicorn server, with the demo users' API tokens. The plan (tokens, dataset
names, download URLs) comes from the JSON file in $SATUDATA_LOAD_PLAN.

Needs only locust (bench/requirements.txt), never CKAN.
"""
from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

PLAN = json.load(open(os.environ["SATUDATA_LOAD_PLAN"], encoding="utf-8"))
SEARCHES = ["penduduk", "kesehatan", "sekolah", "kecamatan", "", "imunisasi"]
# The review cycle of the sdi workflow: state -> (role, action, target state, reason).
CYCLE = {
    "diperiksa_walidata": ("walidata", "forward", None, ""),
    "direview_pembina": ("pembina", "approve", None, ""),
    "disetujui": ("walidata", "return", "dikembalikan", "Beban uji: mohon diperiksa lagi."),
    "dikembalikan": ("produsen", "submit", None, ""),
}
_reviewer_numbers = itertools.count()
_producer_numbers = itertools.count()


def auth(role: str) -> dict:
    return {"Authorization": PLAN["tokens"][role]}


class Reader(HttpUser):
    """A visitor: the landing page, a search, a dataset page, a download."""

    weight = 1
    wait_time = between(0.5, 1.5)

    @task(2)
    def landing(self):
        self.client.get("/", name="landing /")

    @task(3)
    def search(self):
        self.client.get("/dataset/", params={"q": random.choice(SEARCHES)},
                        name="search /dataset/?q=")

    @task(3)
    def dataset(self):
        self.client.get(f"/dataset/{random.choice(PLAN['public'])}", name="dataset /dataset/<name>")

    @task(2)
    def download(self):
        self.client.get(random.choice(PLAN["downloads"]),
                        name="download /dataset/<id>/resource/<id>/download")


class Reviewer(HttpUser):
    """Walidata and Pembina steps on this reviewer's own datasets (no two reviewers race)."""

    fixed_count = int(os.environ.get("SATUDATA_LOAD_REVIEWERS", 5))
    wait_time = between(1, 3)

    def on_start(self):
        number = next(_reviewer_numbers)
        self.datasets = PLAN["pool"][number::self.fixed_count]

    @task
    def step(self):
        if not self.datasets:
            return
        name = random.choice(self.datasets)
        # Read as the owning OPD: it sees its dataset in every state of the cycle.
        with self.client.get("/api/3/action/satudata_workflow_show", params={"id": name},
                             headers=auth("produsen"), name="api workflow_show",
                             catch_response=True) as shown:
            if shown.status_code != 200:
                shown.failure(f"{shown.status_code}: {shown.text[:200]}")
                return
            workflow = shown.json()["result"]
        role, action, to, reason = CYCLE[workflow["state"]]
        body = {"id": name, "action": action, "version": workflow["version"]}
        if to:
            body["to"] = to
        if reason:
            body["comment"] = reason
        with self.client.post("/api/3/action/satudata_workflow_transition", json=body,
                              headers=auth(role), name=f"api transition {action}",
                              catch_response=True) as moved:
            if moved.status_code != 200:
                moved.failure(f"{moved.status_code}: {moved.text[:200]}")


class Producer(HttpUser):
    """An OPD operator uploading a CSV to a draft: one validation job each."""

    fixed_count = int(os.environ.get("SATUDATA_LOAD_PRODUCERS", 2))
    wait_time = between(3, 6)

    def on_start(self):
        number = next(_producer_numbers)
        self.draft = PLAN["drafts"][number % len(PLAN["drafts"])]
        self.uploads = 0

    @task
    def upload(self):
        self.uploads += 1
        with open(PLAN["upload_file"], "rb") as stream:
            self.client.post("/api/3/action/resource_create",
                             data={"package_id": self.draft, "name": f"Unggahan {self.uploads}",
                                   "format": "CSV", "url": "data.csv"},
                             files={"upload": ("data.csv", stream, "text/csv")},
                             headers=auth("produsen"), name="api resource_create (upload)")
