"""Redis down or restarted: no upload is lost and no check stays `pending`.

An upload while Redis is down succeeds (the file and its resource are kept)
and its check waits `pending`; a restart of Redis (it keeps no data) loses
queued jobs. The worker's recovery (`ckan satudata worker`, at start and
periodically) queues every `pending` check that has no job in RQ.
"""
from __future__ import annotations

import datetime
import json

import pytest

import ckan.model as model
from ckan.lib import jobs as ckan_jobs
from ckan.tests import helpers

from ckanext.satudata.tests.faults.conftest import (
    ckan, eventually as _eventually, redis_down, service, start_worker, stop_worker)
from ckanext.satudata.tests.validation.conftest import FILES, VARIABLES
from ckanext.satudata.validation import jobs, state


VARIABLES_JSON = json.dumps(VARIABLES)


def _upload(app, dataset, token, name="valid.csv"):
    with (FILES / name).open("rb") as stream:
        return app.post("/api/3/action/resource_create", headers={"Authorization": token},
                        data={"package_id": dataset["id"], "name": name, "url": name,
                              "format": "CSV", "variabel": VARIABLES_JSON,
                              "upload": (stream, name)}).json["result"]


def _status(resource):
    model.Session.remove()
    return state.row(resource["id"]).status


def _outage_long_past(resource):
    """As if the outage was more than the recovery's grace ago (60 s)."""
    model.Session.execute(state.table.update().where(
        state.table.c.resource_id == resource["id"]).values(
        created=state.utcnow() - datetime.timedelta(minutes=5)))
    model.Session.commit()


def _worker():
    done = ckan("satudata", "worker", "--burst", timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture
def worker(tmp_path):
    """`ckan satudata worker` as make run starts it, with a recovery round every 2 s."""
    process = start_worker(tmp_path, "ckanext.satudata.recovery_interval = 2")
    yield process
    stop_worker(process)


def test_an_upload_while_redis_is_down_is_kept_and_checked_later(app, portal, token, worker):
    dataset = portal.dataset()
    producer = token(portal.produsen)
    with redis_down():
        resource = _upload(app, dataset, producer)  # 200: nothing is lost
        assert _status(resource) == "pending"
        assert helpers.call_action("resource_show", id=resource["id"])["url"].endswith("valid.csv")
    # Redis is back, empty: the check has no job until the worker's recovery queues it.
    assert jobs.recover_pending() == 0  # within the grace: it may still be being queued
    _outage_long_past(resource)
    # The running worker survived the outage; its next recovery round queues the check.
    assert _eventually(lambda: _status(resource) == "success"), worker.log.read_text()[-5000:]
    assert worker.poll() is None
    model.Session.remove()
    assert helpers.call_action("resource_show", id=resource["id"])["validation_status"] == "success"


def test_jobs_lost_by_a_redis_restart_are_queued_again(app, portal, token):
    dataset = portal.dataset()
    resource = _upload(app, dataset, token(portal.produsen))
    assert resource["id"] in jobs.queued_resource_ids()
    service("redis", "redis_stop && redis_start")  # no persistence: the queue is gone
    assert resource["id"] not in jobs.queued_resource_ids()
    _outage_long_past(resource)

    _worker()
    assert _status(resource) == "success"
    assert jobs.recover_pending() == 0  # nothing left behind


def test_recovery_leaves_queued_checks_alone(app, portal, token):
    dataset = portal.dataset()
    resource = _upload(app, dataset, token(portal.produsen))
    _outage_long_past(resource)
    assert jobs.recover_pending() == 0  # its job is in the queue: no duplicate
    assert len(ckan_jobs.get_queue().get_job_ids()) == 1
