"""In Chromium on the run config, the pages around an account that the journeys
do not walk: the OPD list and an OPD, groups, the news feed (with activity and
empty), a dataset's activity stream and one change, the user's profile, settings
and API tokens, the dashboard tabs, and the notifications after a workflow step
and a data request — each at 1280 and 390 px through the page checks (no English
in the `id` locale, one h1, labelled controls, contrast, no raw values) and with
no sideways scroll on the phone."""
from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.browser.conftest import PASSWORD, PHONE, log_in
from ckanext.satudata.tests.conftest import reset_world

pytestmark = pytest.mark.browser

SLUG = "penduduk-akun"
DRAFT = "penduduk-akun-draf"


@pytest.fixture(scope="module")
def world():
    reset_world()
    for name, full in (("produsen-dinkes", "Rina Produsen"), ("walidata", "Budi Walidata"),
                       ("pembina-bps", "Sari Pembina")):
        factories.User(name=name, fullname=full, password=PASSWORD, image_url="")
    # No logos: the factories' random image links lie outside this machine.
    opd = sd.opd(users=[{"name": "produsen-dinkes", "capacity": "editor"}], image_url="")
    factories.Organization(name="diskominfo", title="Diskominfo", image_url="",
                           users=[{"name": "walidata", "capacity": "editor"}])
    factories.Organization(name="bps", title="BPS", image_url="",
                           users=[{"name": "pembina-bps", "capacity": "member"}])
    factories.Group(name="kesehatan", title="Kesehatan", image_url="",
                    description="Data kesehatan dari beberapa OPD.")
    as_producer = {"user": "produsen-dinkes", "ignore_auth": False}
    dataset = sd.create(sd.data_sektoral(opd["id"], kegiatan=None, name=SLUG), "produsen-dinkes")
    helpers.call_action("resource_create", as_producer, package_id=dataset["id"],
                        name="Tabel penduduk", format="JSON", url="http://example.com/penduduk.json")
    helpers.call_action("package_patch", as_producer, id=dataset["id"],
                        notes="Jumlah penduduk per kecamatan, posisi 31 Desember.")
    helpers.call_action("satudata_workflow_transition", as_producer, id=dataset["id"],
                        action="submit")
    # A change the producer may still read: CKAN shows a private dataset's
    # changes only to who may edit it (the submitted one is the reviewers' now).
    draft = sd.create(sd.data_sektoral(opd["id"], kegiatan=None, name=DRAFT), "produsen-dinkes")
    helpers.call_action("package_patch", as_producer, id=draft["id"],
                        notes="Jumlah penduduk per kecamatan, hasil registrasi.")
    helpers.call_action("satudata_request_create", {"user": "walidata", "ignore_auth": False},
                        title="Jumlah puskesmas per kecamatan 2025",
                        organization="dinas-kesehatan", due_date="2099-01-05")
    activities = helpers.call_action("package_activity_list", {"user": "produsen-dinkes"},
                                     id=draft["id"])
    changed = next(a for a in activities if a["activity_type"] == "changed package")
    return {"dataset": dataset, "changed": changed["id"]}


def look(shots, page, step: str) -> None:
    """The page checks at both sizes, and no sideways scroll on the phone."""
    shots.look(page, step)
    page.set_viewport_size(PHONE)
    try:
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            shots.failures.append(f"{page.url}: scrolls {overflow}px sideways at 390 px")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def visit(shots, page, url: str, step: str) -> None:
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    look(shots, page, step)


def test_the_public_reads_opds_and_groups(new_page, shots, world):
    page = new_page()
    visit(shots, page, "/organization/", "opd-list")
    sidebar = page.locator("aside, .secondary").first.inner_text()
    assert "Apa itu Produsen Data (OPD)?" in sidebar and "Walidata" in sidebar
    visit(shots, page, "/organization/dinas-kesehatan", "opd")
    visit(shots, page, "/group/", "group-list")
    assert "Apa itu Grup?" in page.locator("aside, .secondary").first.inner_text()
    visit(shots, page, "/group/kesehatan", "group")
    shots.assert_pages_ok()


def test_the_producer_reads_activity_and_account(new_page, shots, world):
    page = new_page()
    log_in(page, "produsen-dinkes")
    visit(shots, page, "/dashboard/", "news-feed")
    feed = page.locator(".activity").first.inner_text()
    assert "Rina Produsen" in feed and "memperbarui" in feed
    visit(shots, page, f"/dataset/activity/{SLUG}", "dataset-activity")
    visit(shots, page, f"/dataset/changes/{world['changed']}", "dataset-changes")
    assert "Mengubah" in page.locator("body").inner_text() or "Memperbarui" in page.locator("body").inner_text()
    visit(shots, page, "/organization/activity/dinas-kesehatan", "opd-activity")
    visit(shots, page, "/organization/activity/bps?activity_type=changed+package", "activity-none")
    visit(shots, page, "/user/activity/produsen-dinkes", "user-activity")
    visit(shots, page, "/user/produsen-dinkes", "user")
    visit(shots, page, "/user/produsen-dinkes/api-tokens", "api-tokens")
    visit(shots, page, "/user/edit/produsen-dinkes", "user-edit")
    for tab in ("datasets", "organizations", "groups"):
        visit(shots, page, f"/dashboard/{tab}", f"dashboard-{tab}")
    visit(shots, page, "/dashboard/notifikasi", "notifications-request")
    assert "Permintaan data: Jumlah puskesmas" in page.locator("body").inner_text()
    shots.assert_pages_ok()


def test_walidata_and_bps_read_their_notices_and_feed(new_page, shots, world):
    walidata = new_page()
    log_in(walidata, "walidata")
    visit(shots, walidata, "/dashboard/notifikasi", "notifications-step")
    assert "kini berstatus" in walidata.locator("body").inner_text()
    visit(shots, walidata, f"/dataset/activity/{SLUG}", "dataset-activity-walidata")
    bps = new_page()
    log_in(bps, "pembina-bps")
    visit(shots, bps, "/dashboard/", "news-feed-bps")
    visit(shots, bps, "/dashboard/notifikasi", "notifications-none")
    shots.assert_pages_ok()
