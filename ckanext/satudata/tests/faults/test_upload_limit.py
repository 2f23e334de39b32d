"""An upload over ckan.max_resource_size is refused with the limit, in the producer's
language (issue #12, item 4); the portal's own limit is 500 MB."""
from __future__ import annotations

import io

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.satudata.tests.conftest import ROOT


def test_the_portal_accepts_sectoral_files_up_to_500_mb():
    assert "\nckan.max_resource_size = 500\n" in (ROOT / "config" / "satudata.ini").read_text()


@pytest.mark.ckan_config("ckan.max_resource_size", 1)
def test_a_file_over_the_limit_is_refused_with_the_limit(app, portal, token):
    dataset = portal.dataset()
    body = io.BytesIO(b"tahun,jumlah\n" + b"2023,1\n" * 300_000)  # 2.1 MB
    answer = app.post("/api/3/action/resource_create",
                      headers={"Authorization": token(portal.produsen)},
                      data={"package_id": dataset["id"], "name": "besar.csv", "url": "besar.csv",
                            "format": "CSV", "upload": (body, "besar.csv")},
                      extra_environ={"HTTP_ACCEPT_LANGUAGE": "id"})
    assert answer.status_code == 409
    assert answer.json["error"]["upload"] == [
        "Berkas ini lebih besar dari batas yang diterima portal (1 MB). Pecah data menjadi "
        "beberapa berkas, atau hubungi administrator portal."]
    model.Session.remove()
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []


@pytest.mark.ckan_config("ckan.max_resource_size", 1)
def test_a_file_under_the_limit_is_kept(app, portal, token):
    dataset = portal.dataset()
    answer = app.post("/api/3/action/resource_create",
                      headers={"Authorization": token(portal.produsen)},
                      data={"package_id": dataset["id"], "name": "kecil.csv", "url": "kecil.csv",
                            "format": "CSV", "upload": (io.BytesIO(b"tahun,jumlah\n2023,1\n"),
                                                        "kecil.csv")})
    assert answer.status_code == 200
