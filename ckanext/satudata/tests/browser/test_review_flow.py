"""The whole review flow in a real browser, each person in their own session:
a Produsen Data fills the data sektoral form page by page, uploads a CSV and
submits; the real RQ worker validates the file; the Walidata forwards, the
Pembina Data (BPS) approves, the Walidata publishes (the sdi workflow); the
public finds the dataset only then. Screenshots at each step."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from ckan.tests import factories

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.browser.conftest import (fill_reference_page, fill_title, PASSWORD, act, log_in, save, set_hidden, state_is,
                                                      validation_status)
from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

TITLE = "Jumlah Penduduk Uji Peramban"
SLUG = "jumlah-penduduk-uji-peramban"


@pytest.fixture(scope="module")
def people():
    reset_world()
    names = {"produsen": "produsen-dinkes", "walidata": "walidata", "pembina": "pembina-bps"}
    for name in names.values():
        factories.User(name=name, password=PASSWORD)
    sd.opd(users=[{"name": names["produsen"], "capacity": "editor"}])
    factories.Organization(name="diskominfo", users=[{"name": names["walidata"], "capacity": "editor"}])
    factories.Organization(name="bps", users=[{"name": names["pembina"], "capacity": "member"}])
    return names


def test_produsen_submits_walidata_and_pembina_review_public_sees(people, live_server, new_page, shots):
    public = new_page()
    produsen = new_page()
    log_in(produsen, people["produsen"])
    shots(produsen, "produsen-logged-in")

    # Page 1: basic information
    produsen.goto("/dataset/new")
    fill_title(produsen, TITLE)
    expect(produsen.locator("#field-name")).to_have_value(SLUG)  # filled by CKAN's slug script
    produsen.fill("#field-notes", "Jumlah penduduk per kecamatan, posisi akhir tahun.")
    produsen.select_option("#field-sektor", "DEMOGRAFI_DAN_KEPENDUDUKAN", force=True)
    set_hidden(produsen, "#field-tag_string", "penduduk")
    produsen.check("#field-akses-TERBUKA")
    produsen.fill("#field-maintainer", "Seksi Statistik")
    produsen.fill("#field-maintainer_email", "statistik@pasuruankab.go.id")
    shots(produsen, "form-page-1")
    save(produsen)
    assert re.search(rf"/dataset/new/{SLUG}/2$", produsen.url), produsen.url

    # Page 2: standar data
    produsen.fill("#field-konsep", "Penduduk adalah setiap orang yang berdomisili di wilayah kabupaten.")
    produsen.fill("#field-definisi", "Jumlah penduduk menurut data administrasi kependudukan per 31 Desember.")
    produsen.fill("#field-klasifikasi", "Kecamatan")
    produsen.fill("#field-ukuran", "Jumlah")
    produsen.fill("#field-satuan", "Jiwa")
    shots(produsen, "form-page-2")
    save(produsen)

    # Page 3: kode referensi and time
    fill_reference_page(produsen)
    shots(produsen, "form-page-3")
    save(produsen)
    assert produsen.url.endswith(f"/dataset/{SLUG}/resource/new"), produsen.url

    # The file
    produsen.set_input_files("#field-resource-upload", str(FIXTURES / "penduduk_kecil.csv"))
    produsen.fill("#field-name", "Penduduk per kecamatan")
    set_hidden(produsen, "#field-format", "CSV")
    shots(produsen, "resource-form")
    with produsen.expect_navigation():
        produsen.click("form#resource-edit button[name=save][value=go-metadata]")
    # A table file saved without variables leads to them, read from the file.
    assert "/schema?next=" in produsen.url, produsen.url
    shots(produsen, "variables-from-the-file")
    with produsen.expect_navigation():
        produsen.click("form button[type=submit].btn-primary")
    assert produsen.url.endswith(f"/dataset/{SLUG}"), produsen.url
    assert produsen.locator("[data-satudata-state=draf]").count() >= 1

    # The real worker validates the upload in the background; asked through the
    # API with the producer's session (the page's validation display is issue 5's).
    deadline = time.monotonic() + 120
    while validation_status(produsen, SLUG) != "success":
        assert time.monotonic() < deadline, f"the worker did not validate the upload: {validation_status(produsen, SLUG)}"
        time.sleep(1)
    produsen.reload()
    shots(produsen, "draft-validated")

    act(produsen, SLUG, "submit")
    shots(produsen, "submitted")
    assert public.goto(f"/dataset/{SLUG}").status == 404

    walidata = new_page()
    log_in(walidata, people["walidata"])
    state_is(walidata, SLUG, "diperiksa_walidata")
    shots(walidata, "walidata-checks")
    act(walidata, SLUG, "forward")

    pembina = new_page()
    log_in(pembina, people["pembina"])
    state_is(pembina, SLUG, "direview_pembina")
    shots(pembina, "pembina-reviews")
    act(pembina, SLUG, "approve")

    state_is(walidata, SLUG, "disetujui")
    shots(walidata, "walidata-publishes")
    public.goto("/dataset/")
    assert TITLE not in public.content()
    act(walidata, SLUG, "publish")
    state_is(walidata, SLUG, "terpublikasi")
    shots(walidata, "published")

    public.goto("/")
    public.get_by_role("link", name=TITLE).click()
    public.wait_for_url(re.compile(rf"/dataset/{SLUG}$"))
    assert public.locator("h1").inner_text().strip() == TITLE
    assert public.locator(".satudata-preview tbody tr").count() == 3
    assert public.locator("[data-satudata-action]").count() == 0
    assert public.locator(".resource-item .heading").first.inner_text().strip().startswith(
        "Penduduk per kecamatan")
    assert "penduduk" in public.locator(".tag-list").inner_text()
    shots(public, "public-sees-published")
