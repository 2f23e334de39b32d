"""In Chromium: the Daftar Data Sektoral pages (the list, a draft with its rows form,
a sent one with its progress, an OPD's view of it), at 1280 and 390 px through the
page checks and with no sideways scroll on the phone."""
from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.browser.conftest import PASSWORD, log_in
from ckanext.satudata.tests.browser.test_account_pages import look
from ckanext.satudata.tests.conftest import reset_world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world():
    reset_world()
    for name, full in (("produsen-dinkes", "Rina Produsen"), ("walidata", "Budi Walidata")):
        factories.User(name=name, fullname=full, password=PASSWORD, image_url="")
    sd.opd(users=[{"name": "produsen-dinkes", "capacity": "editor"}], image_url="")
    sd.opd(name="dinas-pendidikan-dan-kebudayaan", title="Dinas Pendidikan dan Kebudayaan",
           image_url="")
    factories.Organization(name="diskominfo", title="Diskominfo", image_url="",
                           users=[{"name": "walidata", "capacity": "editor"}])
    as_walidata = {"user": "walidata", "ignore_auth": False}
    rows = [{"organization": "dinas-kesehatan", "title": "Jumlah puskesmas per kecamatan",
             "standar_data": "SDI Kesehatan 1.2", "satuan": "unit", "frekuensi": "Tahunan"},
            {"organization": "dinas-kesehatan", "title": "Jumlah tenaga kesehatan menurut "
             "jenis tenaga dan kecamatan", "satuan": "orang"},
            {"organization": "dinas-pendidikan-dan-kebudayaan",
             "title": "Jumlah sekolah dasar negeri dan swasta", "due_date": "2099-06-30"}]
    made = {}
    for period in ("2027", "2028 Semester I"):
        daftar = helpers.call_action("satudata_daftar_create", as_walidata, period=period,
                                     notes="Untuk Kabupaten Dalam Angka")
        helpers.call_action("satudata_daftar_entry_add", as_walidata, id=daftar["id"],
                            entries=[dict(r) for r in rows])
        made[period] = daftar["id"]
    helpers.call_action("satudata_daftar_send", as_walidata, id=made["2027"])
    return made


def visit(shots, page, url: str, step: str) -> None:
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    look(shots, page, step)


def test_the_walidata_and_an_opd_read_the_daftar(new_page, shots, world):
    page = new_page()
    log_in(page, "walidata")
    visit(shots, page, "/daftar-data-sektoral/", "daftar-list")
    visit(shots, page, f"/daftar-data-sektoral/{world['2028 Semester I']}", "daftar-draft")
    visit(shots, page, f"/daftar-data-sektoral/{world['2027']}", "daftar-sent")
    producer = new_page()
    log_in(producer, "produsen-dinkes")
    visit(shots, producer, f"/daftar-data-sektoral/{world['2027']}", "daftar-opd")
    shots.assert_pages_ok()
