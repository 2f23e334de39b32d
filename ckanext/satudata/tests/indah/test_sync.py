"""Reporting to INDAH through the real RQ worker, against the contract server."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.satudata.indah import sync
from ckanext.satudata.model import IndahSync, Notification, WorkflowEvent
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.indah.conftest import TOKEN
from ckanext.satudata.workflow import service


def _row(pkg_id) -> IndahSync:
    model.Session.expire_all()
    return model.Session.get(IndahSync, pkg_id)


def _state(pkg_id) -> str:
    # The worker moved it in another process: end this one's transaction, which also drops
    # the states it remembered reading (service.state_id keeps them for a transaction).
    model.Session.rollback()
    return service.state_id(model.Package.get(pkg_id))


def _kegiatan_with_data(portal, upload_resource):
    kegiatan = portal.kegiatan()
    dataset = sd.create_data_sektoral(portal.opd["id"], portal.produsen["name"], kegiatan=kegiatan["name"])
    upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"],
                    variabel=[dict(v, konsep="Penduduk", referensi_waktu="31 Desember")
                              for v in sd.VARIABLES])
    portal.validate(dataset["id"])
    portal.reach(dataset, "diperiksa_walidata")  # has left its OPD: goes with the report
    draft = sd.create(sd.indikator(portal.opd["id"], kegiatan=kegiatan["name"]), portal.produsen["name"])
    portal.reach(kegiatan, "diperiksa_walidata")
    return kegiatan, draft


def _status(user, pkg_id):
    return tk.get_action("satudata_indah_status")({"user": user, "ignore_auth": False}, {"id": pkg_id})


def test_reporting_to_bps_sends_the_payload_and_keeps_indahs_id(portal, contract, run_worker,
                                                                upload_resource):
    kegiatan, draft_indicator = _kegiatan_with_data(portal, upload_resource)
    portal.reach(kegiatan, "direview_pembina")  # "Laporkan ke BPS"
    assert _row(kegiatan["id"]).status == sync.QUEUED
    done = run_worker(ini=contract.ini)
    row = _row(kegiatan["id"])
    assert (row.status, row.indah_id, row.error, row.attempts) == ("SUBMITTED", "9001", None, 1)
    assert row.synced is not None and row.reported_by == "walidata"
    # One MS-Keg, its five MS-Var (the indicator is still the OPD's draft: not sent).
    assert len(contract.records["kegiatan"]) == 1 and len(contract.records["variabel"]) == 5
    assert contract.records["indikator"] == {}
    assert len(row.children) == 5
    assert all(r["body"]["ms_keg_id"] == "9001" for r in contract.records["variabel"].values())
    # The token went in the header of every request and nowhere into the worker's output.
    assert {r["authorization"] for r in contract.requests} == {f"Bearer {TOKEN}"}
    assert TOKEN not in done.stdout + done.stderr
    shown = _status("pembina-bps", kegiatan["id"])
    assert (shown["status"], shown["indah_id"]) == ("SUBMITTED", "9001")


def test_a_refusal_reaches_the_walidata_with_indahs_message_and_is_not_retried(
        portal, contract, run_worker, upload_resource):
    kegiatan, _ = _kegiatan_with_data(portal, upload_resource)
    contract.fail_next(status=422, message="Unit eselon 1 tidak terdaftar di SDI")
    portal.reach(kegiatan, "direview_pembina")
    run_worker(ini=contract.ini)
    row = _row(kegiatan["id"])
    assert row.status == sync.ERROR and row.attempts == 1 and len(contract.requests) == 1
    # written by the worker, read in the portal: in its language (the detail is INDAH's own)
    assert row.error == "INDAH menjawab 422: Unit eselon 1 tidak terdaftar di SDI"
    assert not row.retryable and sync.queue_pulls() == 0  # a refusal waits for a correction
    walidata = model.User.get("walidata")
    notice = model.Session.query(Notification).filter_by(user_id=walidata.id,
                                                         package_id=kegiatan["id"]).all()
    assert any("Unit eselon 1 tidak terdaftar di SDI" in n.body and "INDAH" in n.subject
               for n in notice)
    assert _status("produsen-dinkes", kegiatan["id"])["error"] == row.error


def test_server_errors_are_retried_with_backoff_then_succeed(portal, contract, run_worker,
                                                             upload_resource):
    kegiatan, _ = _kegiatan_with_data(portal, upload_resource)
    contract.fail_next(times=2, status=503, message="Service Unavailable")
    portal.reach(kegiatan, "direview_pembina")
    run_worker(ini=contract.ini)
    row = _row(kegiatan["id"])
    assert (row.status, row.attempts, row.error) == ("SUBMITTED", 3, None)
    assert len(contract.records["kegiatan"]) == 1  # the failed tries created nothing


@pytest.mark.parametrize("fault", [{"status": 500}, {"status": 504, "delay": 3}],
                         ids=["500", "timeout"])
def test_an_indah_that_stays_down_ends_in_error_after_the_retries(portal, contract, run_worker,
                                                                 upload_resource, fault):
    kegiatan, _ = _kegiatan_with_data(portal, upload_resource)
    contract.fail_next(times=3, **fault)
    portal.reach(kegiatan, "direview_pembina")
    run_worker(ini=contract.ini)
    row = _row(kegiatan["id"])
    assert (row.status, row.attempts) == (sync.ERROR, 3)  # 1 try + 2 retries (retry_delays)
    expected = ("INDAH tidak menjawab dalam 2 detik" if fault.get("delay")
                else "INDAH menjawab 500: Internal Server Error")
    assert row.error == expected and row.retryable
    assert len(contract.requests) == 3
    # The next round (ckan satudata indah-pull) sends it again, INDAH being back.
    assert sync.queue_pulls() == 1
    run_worker(ini=contract.ini)
    row = _row(kegiatan["id"])
    assert (row.status, row.error, row.retryable) == ("SUBMITTED", None, False)


def test_indah_statuses_move_the_workflow_and_bps_notes_reach_the_walidata(
        portal, contract, run_worker, upload_resource):
    kegiatan, _ = _kegiatan_with_data(portal, upload_resource)
    portal.reach(kegiatan, "direview_pembina")
    run_worker(ini=contract.ini)
    indah_id = _row(kegiatan["id"]).indah_id

    # BPS asks for a correction in INDAH: the pull returns it to the Walidata with BPS's notes.
    contract.decide(indah_id, "CORRECTION_REQUIRED", reviews=[
        {"field": "blok_ii.unit_penanggung_jawab.eselon1", "note": "Eselon 1 harus nama dinas"}])
    queued = subprocess.run([str(Path(sys.executable).with_name("ckan")), "-c", str(contract.ini),
                             "satudata", "indah-pull"], capture_output=True, text=True, timeout=120,
                            env=os.environ.copy())
    assert queued.returncode == 0 and "queued 1 INDAH job(s)" in queued.stdout, queued.stderr[-2000:]
    run_worker(ini=contract.ini)
    assert _state(kegiatan["id"]) == "diperbaiki_walidata"
    step = (model.Session.query(WorkflowEvent).filter_by(package_id=kegiatan["id"])
            .order_by(WorkflowEvent.timestamp.desc()).first())
    assert step.action == "return" and step.user_id == model.User.get("indah-bps").id
    assert step.comment == "blok_ii.unit_penanggung_jawab.eselon1: Eselon 1 harus nama dinas"
    shown = _status("walidata", kegiatan["id"])  # the Walidata holds it now and reads the notes
    assert shown["status"] == "CORRECTION_REQUIRED"
    assert shown["notes"] == [{"field": "blok_ii.unit_penanggung_jawab.eselon1",
                               "note": "Eselon 1 harus nama dinas", "label": "Unit eselon I"}]

    # The Walidata sends the correction: the same INDAH records are updated, not copied.
    helpers.call_action("package_patch", {"user": "walidata"}, id=kegiatan["id"],
                        ii_unit_eselon1="Dinas Kesehatan Kabupaten Pasuruan")
    portal.reach(kegiatan, "persetujuan_pembina")
    run_worker(ini=contract.ini)
    assert _row(kegiatan["id"]).status == "SUBMITTED"
    record = contract.records["kegiatan"][indah_id]
    assert record["versions"] == 2 and len(contract.records["kegiatan"]) == 1
    assert record["body"]["data"]["blok_ii"]["unit_penanggung_jawab"]["eselon1"] == \
        "Dinas Kesehatan Kabupaten Pasuruan"
    assert len(contract.records["variabel"]) == 5

    # BPS approves in INDAH: persetujuan_pembina moves on to disetujui.
    contract.decide(indah_id, "APPROVED")
    sync.queue_pulls()
    run_worker(ini=contract.ini)
    assert _state(kegiatan["id"]) == "disetujui"
    assert _row(kegiatan["id"]).status == "APPROVED"
    assert sync.queue_pulls() == 0  # decided: nothing more to pull


def test_nothing_is_sent_when_indah_is_not_configured(portal, upload_resource, clean_queues):
    import rq
    from ckan.lib import redis

    kegiatan, _ = _kegiatan_with_data(portal, upload_resource)
    portal.reach(kegiatan, "direview_pembina")
    assert _row(kegiatan["id"]) is None
    queued = [j.func_name for q in rq.Queue.all(connection=redis.connect_to_redis()) for j in q.jobs]
    assert not any("indah" in name for name in queued)
