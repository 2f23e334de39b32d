"""kill -9 of the worker and its work horse mid-check (issue #12, item 5).

The row stays `running` after the kill: nothing in the dead processes can mark
it. The job's heartbeat (recovery/heartbeat.py) stops with them, so the next
recovery round (the restarted worker's, at its start) requeues the check in
seconds, not at the job timeout (an hour). A check whose worker lives is left
alone however long it runs.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

import ckan.model as model
from ckan.lib.redis import connect_to_redis
from ckan.tests import helpers

from ckanext.satudata.recovery import heartbeat
from ckanext.satudata.tests.conftest import children, kill_worker
from ckanext.satudata.tests.faults.conftest import eventually, start_worker, stop_worker
from ckanext.satudata.tests.validation.conftest import VARIABLES, write_csv
from ckanext.satudata.validation import jobs, state

OPTIONS = ("ckanext.satudata.heartbeat_seconds = 1", "ckanext.satudata.recovery_interval = 2",
           "ckan.max_resource_size = 100")
pytestmark = [pytest.mark.ckan_config("ckanext.satudata.heartbeat_seconds", 1),
              pytest.mark.ckan_config("ckan.max_resource_size", 100)]


def _row(resource):
    model.Session.remove()
    return state.row(resource["id"])


def _running(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def _upload(app, dataset, token, path):
    with path.open("rb") as stream:
        return app.post("/api/3/action/resource_create", headers={"Authorization": token},
                        data={"package_id": dataset["id"], "name": path.name, "url": path.name,
                              "format": "CSV", "variabel": __import__("json").dumps(VARIABLES),
                              "upload": (stream, path.name)}).json["result"]


def test_a_killed_worker_is_noticed_by_its_heartbeat(app, portal, token, tmp_path):
    dataset = portal.dataset()
    # Windows-1252, as Excel on an OPD's PC saves a CSV: the columnar fast path
    # leaves it to Frictionless, whose check lasts long enough to be killed.
    path = write_csv(tmp_path / "besar.csv", rows=1_500_000)  # ~15 s of Frictionless
    path.write_bytes(path.read_bytes().replace(b"Kecamatan", "Kécamatan".encode("cp1252")))
    resource = _upload(app, dataset, token(portal.produsen), path)
    first = start_worker(tmp_path / "first", *OPTIONS)
    try:
        assert eventually(lambda: _row(resource).status == "running", 120), \
            first.log.read_text()[-3000:]
        # Longer than the heartbeat's grace (3 beats): a live check is left alone.
        time.sleep(heartbeat.grace() + 1)
        assert _row(resource).status == "running"
        assert heartbeat.alive(resource["id"])
        assert jobs.recover_stale() == {"requeued": 0, "errored": 0}
        horse = children(first.pid)
        assert len(horse) == 1
        assert len(kill_worker(first)) == 2  # the worker and its work horse
        # SIGKILL is delivered at once, but a loaded machine takes a moment to reap.
        assert eventually(lambda: not any(_running(pid) for pid in horse), 10)
    finally:
        stop_worker(first)
    killed_at = time.monotonic()
    assert _row(resource).status == "running"  # nobody could say otherwise

    # The supervisor starts the worker again; its recovery finds the silent row.
    second = start_worker(tmp_path / "second", *OPTIONS)
    try:
        assert eventually(lambda: _row(resource).status == "success", 300), \
            second.log.read_text()[-5000:]
    finally:
        stop_worker(second)
    recovered_in = time.monotonic() - killed_at
    print(f"\nkilled mid-check: back to success in {recovered_in:.1f} s "
          f"(job timeout {jobs.settings()['job_timeout']} s)")
    assert recovered_in < 300
    assert _row(resource).attempts == 2
    assert _row(resource).report["satudata"]["engine"] == "frictionless"
    assert not connect_to_redis().exists(heartbeat.KEY.format(id=resource["id"]))
    model.Session.remove()
    assert helpers.call_action("resource_show", id=resource["id"])["validation_status"] == \
        "success"


def test_a_row_without_heartbeat_is_left_alone_within_its_grace(app, portal, token, tmp_path):
    """Just started: its first beat may not have been written yet."""
    dataset = portal.dataset()
    resource = _upload(app, dataset, token(portal.produsen), write_csv(tmp_path / "k.csv", 5))
    state.started(resource["id"])
    assert jobs.recover_stale() == {"requeued": 0, "errored": 0}
    model.Session.execute(state.table.update().where(
        state.table.c.resource_id == resource["id"]).values(
        started=state.utcnow() - __import__("datetime").timedelta(seconds=heartbeat.grace() + 1)))
    model.Session.commit()
    assert jobs.recover_stale() == {"requeued": 1, "errored": 0}
    assert _row(resource).status == "pending"


def test_failed_link_downloads_leave_no_temporary_file(portal):
    """A link the fetcher refuses (an internal address) ends the check in error; the
    temporary file of the download is gone."""
    before = {n for n in os.listdir(tempfile.gettempdir()) if n.startswith(jobs.TEMP_PREFIX)}
    dataset = portal.dataset()
    resource = helpers.call_action("resource_create", {"user": portal.produsen["name"]},
                                   package_id=dataset["id"], name="tautan",
                                   url="http://127.0.0.1:9/data.csv", format="CSV")
    for _ in range(3):
        assert jobs.validate_resource(resource["id"]) == "error"
    after = {n for n in os.listdir(tempfile.gettempdir()) if n.startswith(jobs.TEMP_PREFIX)}
    assert after == before


def test_recovery_removes_downloads_a_killed_job_left(portal):
    old = tempfile.NamedTemporaryFile(prefix=jobs.TEMP_PREFIX, delete=False)
    fresh = tempfile.NamedTemporaryFile(prefix=jobs.TEMP_PREFIX, delete=False)
    long_ago = time.time() - int(jobs.settings()["job_timeout"]) - 120
    os.utime(old.name, (long_ago, long_ago))
    try:
        assert jobs.remove_stale_downloads() >= 1
        assert not os.path.exists(old.name)
        assert os.path.exists(fresh.name)  # a job may be downloading it now
    finally:
        os.unlink(fresh.name)
