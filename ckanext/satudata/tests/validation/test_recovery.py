"""A worker killed mid-job leaves a "running" row that recovers: requeued, or ended in error."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ckan.tests import helpers

from ckanext.satudata.tests.conftest import TEST_INI, kill_worker
from ckanext.satudata.tests.factories import create_data_sektoral
from ckanext.satudata.tests.validation.conftest import VARIABLES, write_csv
from ckanext.satudata.validation import jobs, state

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues"),
              pytest.mark.ckan_config("ckan.max_resource_size", 100)]


def _kill_worker_mid_job(resource_id):
    """Start a real worker, wait until it runs the check, kill -9 it and its work horse."""
    ckan = Path(sys.executable).with_name("ckan")
    worker = subprocess.Popen([str(ckan), "-c", str(TEST_INI), "jobs", "worker"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True, env=os.environ.copy())
    try:
        for _ in range(600):
            state.model.Session.remove()
            row = state.row(resource_id)
            if row is not None and row.status == "running":
                break
            time.sleep(0.1)
        else:
            pytest.fail("the worker never started the check")
    finally:
        # By pid: RQ's work horse runs in a session of its own, out of the worker's group.
        kill_worker(worker)
    state.model.Session.remove()


@pytest.fixture
def big_resource(producer, upload, tmp_path):
    path = write_csv(tmp_path / "besar.csv", rows=150_000)
    dataset = create_data_sektoral(producer["org"]["id"])
    return upload(dataset["id"], path, producer["user"]["name"], variabel=VARIABLES)


def test_killed_job_is_requeued_and_then_succeeds(big_resource, run_worker):
    _kill_worker_mid_job(big_resource["id"])
    assert state.row(big_resource["id"]).status == "running"
    assert jobs.recover_stale() == {"requeued": 0, "errored": 0}  # not stale yet

    assert jobs.recover_stale(timeout=0) == {"requeued": 1, "errored": 0}
    assert helpers.call_action("resource_show", id=big_resource["id"])["validation_status"] == \
        "pending"
    run_worker(timeout=600)
    validation = helpers.call_action("resource_validation_show", resource_id=big_resource["id"])
    assert (validation["status"], validation["attempts"]) == ("success", 2)


@pytest.mark.ckan_config("ckanext.satudata.validation.max_attempts", 1)
def test_killed_job_ends_in_error_after_its_last_attempt(big_resource):
    _kill_worker_mid_job(big_resource["id"])

    assert jobs.recover_stale(timeout=0) == {"requeued": 0, "errored": 1}
    validation = helpers.call_action("resource_validation_show", resource_id=big_resource["id"])
    assert (validation["status"], validation["error"]["type"]) == ("error", "interrupted")
    assert helpers.call_action("resource_show", id=big_resource["id"])["validation_status"] == "error"
