"""In Chromium on the run config: a data request's page for the OPD (Serahkan:
start a dataset from it) and for the Walidata (delivered on time); a returned
dataset with the reason and notes on top and beside the fields of the edit form.
Desktop (1280x900) and phone (390x844) screenshots of each."""
from __future__ import annotations

import json

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.browser.test_review_flow import PASSWORD, log_in
from ckanext.satudata.tests.conftest import reset_world

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def world():
    reset_world()
    producer = factories.User(name="produsen-dinkes", fullname="Rina Produsen", password=PASSWORD)
    walidata = factories.User(name="walidata", fullname="Budi Walidata", password=PASSWORD)
    opd = sd.opd(users=[{"name": producer["name"], "capacity": "editor"}])
    factories.Organization(name="diskominfo", users=[{"name": walidata["name"], "capacity": "editor"}])
    factories.Organization(name="bps")
    as_walidata = {"user": walidata["name"], "ignore_auth": False}
    request = helpers.call_action("satudata_request_create", as_walidata,
                                  title="Jumlah puskesmas per kecamatan 2025",
                                  organization="dinas-kesehatan", due_date="2099-01-05",
                                  description="Untuk buku Kabupaten Dalam Angka.")
    delivered = helpers.call_action("satudata_request_create", as_walidata,
                                    title="Jumlah penduduk 2025", organization="dinas-kesehatan",
                                    due_date="2099-01-05")
    dataset = sd.create(sd.data_sektoral(opd["id"], kegiatan=None, name="penduduk-dikembalikan"),
                        producer["name"])
    resource = helpers.call_action(
        "resource_create", {"user": producer["name"]}, package_id=dataset["id"],
        name="Tabel penduduk", url="http://example.com/penduduk.json", format="JSON",
        schema=json.dumps({"fields": [{"name": "jumlah", "type": "integer", "title": "Jumlah",
                                       "description": "Jumlah penduduk"}]}))
    helpers.call_action("satudata_request_fulfil", {"user": producer["name"], "ignore_auth": False},
                        id=delivered["id"], dataset_id=dataset["id"])
    step = lambda user, action, **kw: helpers.call_action(  # noqa: E731
        "satudata_workflow_transition", {"user": user}, id=dataset["id"], action=action, **kw)
    step(producer["name"], "submit")
    step(walidata["name"], "return", comment="Satuan dan berkas belum sesuai standar.",
         field_notes={"satuan": "Gunakan satuan Jiwa.",
                      f"resource:{resource['id']}": "Unggah ulang data tahun 2024.",
                      f"resource:{resource['id']}:jumlah": "Definisi jumlah belum jelas."})
    return {"request": request, "delivered": delivered, "dataset": dataset, "resource": resource}


def both_sizes(page, shots, name, selector="main"):
    """Screenshots at both sizes; the right edge of SELECTOR's boxes on the phone."""
    shots(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    shots(page, f"{name}-phone")
    right = page.evaluate(
        "s => Math.max(...[...document.querySelectorAll(s)].map(e => e.getBoundingClientRect().right))",
        selector)
    page.set_viewport_size({"width": 1280, "height": 900})
    return right


def test_request_page_and_start_a_dataset(new_page, shots, world):
    page = new_page()
    log_in(page, "produsen-dinkes")
    page.goto(f"/permintaan-data/{world['request']['id']}")
    assert page.locator("h1").inner_text() == "Jumlah puskesmas per kecamatan 2025"
    assert page.locator("[data-satudata-request-start]").is_visible()
    # nothing of the request page off-screen on a phone
    assert both_sizes(page, shots, "request-opd", ".satudata-request, .satudata-request *") <= 390
    with page.expect_navigation():
        page.locator("[data-satudata-request-start]").click()
    assert page.locator("input[name=title]").input_value() == "Jumlah puskesmas per kecamatan 2025"
    shots(page, "draft-from-request")

    walidata = new_page()
    log_in(walidata, "walidata")
    walidata.goto(f"/permintaan-data/{world['delivered']['id']}")
    assert "Diserahkan tepat waktu" in walidata.locator("[data-satudata-timeliness]").inner_text()
    both_sizes(walidata, shots, "request-walidata")


def test_returned_dataset_and_its_form(new_page, shots, world):
    page = new_page()
    log_in(page, "produsen-dinkes")
    page.goto("/dataset/penduduk-dikembalikan")
    notice = page.locator("[data-satudata-return-notice]")
    text = notice.inner_text()
    assert "Satuan dan berkas belum sesuai standar." in text and "Budi Walidata" in text
    assert "WIB" in text
    top = notice.bounding_box()["y"]
    assert top < page.locator("h1").first.bounding_box()["y"]
    # The notice fits a phone (the rest of the page is the forms stream's phone layout).
    assert both_sizes(page, shots, "returned-dataset",
                      "[data-satudata-return-notice], [data-satudata-return-notice] *") <= 390
    page.locator("text=Perbaiki dataset").click()
    page.wait_for_load_state()
    page.goto("/dataset/edit/penduduk-dikembalikan")
    for n in range(1, 6):
        page.goto(f"/dataset/edit/penduduk-dikembalikan/{n}")
        if page.locator("[data-satudata-field-note]").count():
            break
    note = page.locator("[data-satudata-field-note='satuan']")
    note.scroll_into_view_if_needed()
    assert "Gunakan satuan Jiwa." in note.inner_text()
    both_sizes(page, shots, "edit-form-note")
    page.goto(f"/dataset/penduduk-dikembalikan/resource/{world['resource']['id']}")
    assert "Unggah ulang" in page.locator("[data-satudata-resource-notes]").inner_text()
    both_sizes(page, shots, "resource-notes")
