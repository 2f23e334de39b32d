"""Notices are stored and mailed, and read later in the portal: they are written in
its language (ckan.locale_default, id) wherever they are made — an /en/ page, code
with no request, the CLI (`ckan satudata …`) or the RQ worker."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.model import Notification, WorkflowState
from ckanext.satudata.tests.conftest import TEST_INI
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)

ENGLISH = ("is now", "action:", "Data request", "The Walidata requests", "Being checked", "Submit to")


def notices(dataset_id=None, user=None) -> list[Notification]:
    model.Session.expire_all()
    query = model.Session.query(Notification)
    if dataset_id:
        query = query.filter_by(package_id=dataset_id)
    if user:
        query = query.filter_by(user_id=model.User.get(user).id)
    return query.all()


def assert_indonesian(notice: Notification) -> None:
    text = f"{notice.subject}\n{notice.body}"
    assert not [w for w in ENGLISH if w in text], text


def test_a_step_on_an_english_page_notifies_in_indonesian(app, portal):  # noqa: F811
    dataset = portal.dataset()
    token = ckan_factories.APIToken(user=portal.produsen["name"])["token"]
    version = model.Session.get(WorkflowState, dataset["id"]).version
    response = app.post(f"/en/dataset/{dataset['name']}/workflow", headers={"Authorization": token},
                        data={"action": "submit", "version": str(version)}, follow_redirects=False)
    assert response.status_code == 302, response.body[-2000:]
    (notice,) = notices(dataset["id"])
    assert "kini berstatus Diperiksa Walidata (tindakan: Ajukan ke Walidata)" in notice.body
    assert_indonesian(notice)
    # the page itself still answers in English
    page = app.get(f"/en/dataset/{dataset['name']}", headers={"Authorization": token})
    assert "Being checked by the data steward" in page.body


def test_a_step_with_no_request_notifies_in_indonesian(portal):  # noqa: F811
    dataset = portal.dataset()
    helpers.call_action("satudata_workflow_transition", {"user": portal.produsen["name"]},
                        id=dataset["id"], action="submit")
    (notice,) = notices(dataset["id"])
    assert "kini berstatus Diperiksa Walidata" in notice.body
    assert_indonesian(notice)


def test_a_data_request_with_no_request_notifies_in_indonesian(portal):  # noqa: F811
    helpers.call_action("satudata_request_create", {"user": "walidata", "ignore_auth": False},
                        title="Jumlah puskesmas 2025", organization=portal.opd["name"],
                        due_date="2099-01-05")
    (notice,) = notices(user=portal.produsen["name"])
    assert notice.subject == "[Satu Data] Permintaan data: Jumlah puskesmas 2025"
    assert "Walidata meminta" in notice.body and "Januari 2099" in notice.body
    assert_indonesian(notice)


def _ckan(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([str(Path(sys.executable).with_name("ckan")), "-c", str(TEST_INI), *args],
                          capture_output=True, text=True, timeout=180, env=os.environ.copy())
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_a_step_from_the_cli_notifies_in_indonesian(portal):  # noqa: F811
    dataset = portal.dataset()
    _ckan("satudata", "bulk", "submit", dataset["name"], "--user", portal.produsen["name"])
    (notice,) = notices(dataset["id"])
    assert "kini berstatus Diperiksa Walidata (tindakan: Ajukan ke Walidata)" in notice.body
    assert_indonesian(notice)


def request_from_a_job(organization: str) -> None:
    """RQ job (for the test below): the Walidata's data request, made in the worker."""
    from ckanext.satudata.workflow import data_request

    data_request.create(model.User.get("walidata"), "Jumlah sekolah 2025", "",
                        model.Group.get(organization), "dataset", None)


def test_a_notice_made_in_the_worker_is_indonesian(portal, run_worker):  # noqa: F811
    jobs.enqueue(request_from_a_job, [portal.opd["name"]])
    run_worker()
    (notice,) = notices(user=portal.produsen["name"])
    assert notice.subject == "[Satu Data] Permintaan data: Jumlah sekolah 2025"
    assert "Walidata meminta" in notice.body
    assert_indonesian(notice)


def test_portal_language_leaves_the_request_language_alone(app):
    from ckanext.satudata import lang

    with app.flask_app.test_request_context(environ_base={"CKAN_LANG": "en"}):
        assert tk._("Organizations") == "Organizations"
        with lang.portal_language():
            assert lang.current() == "id"
            assert tk._("Organizations") == "Organisasi"
        assert lang.current() == "en"
        assert tk._("Organizations") == "Organizations"
