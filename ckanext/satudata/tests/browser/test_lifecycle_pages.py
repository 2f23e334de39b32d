"""In Chromium on the run config with the tanjabbar workflow: the producer reads the
Kepala Seksi's corrections in the dataset's history; the Walidata's admin gives positions
on the organization's "Jabatan" page. Desktop (1280x900) and phone (390x844) shots."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.browser.conftest import PASSWORD, LiveServer, log_in
from ckanext.satudata.tests.conftest import reset_world

pytestmark = pytest.mark.browser

WORKFLOW = "ckanext.satudata.workflow"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live"))
    server.ini.write_text(server.ini.read_text().replace(
        "[app:main]\n", f"[app:main]\n{WORKFLOW} = tanjabbar\n", 1))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def world():
    reset_world()
    before = tk.config.get(WORKFLOW)
    tk.config[WORKFLOW] = "tanjabbar"
    try:
        people = {name: factories.User(name=name, fullname=full, password=PASSWORD, image_url="")
                  for name, full in (("produsen-dinkes", "Rina Produsen"),
                                     ("staf-pds", "Dewi Staf"), ("kasi-pds", "Budi Kasi"),
                                     ("kabid-tik", "Sari Kabid"), ("kadis-kominfo", "Andi Kadis"))}
        # No logos: the factories' random image links lie outside this machine.
        opd = sd.opd(users=[{"name": "produsen-dinkes", "capacity": "editor"}], image_url="")
        factories.Organization(name="diskominfo", title="Diskominfo", image_url="", users=[
            {"name": "staf-pds", "capacity": "member"}, {"name": "kasi-pds", "capacity": "editor"},
            {"name": "kabid-tik", "capacity": "admin"},
            {"name": "kadis-kominfo", "capacity": "admin"}])
        factories.Organization(name="bps", image_url="")
        dataset = sd.create(sd.data_sektoral(opd["id"], kegiatan=None, name="penduduk-dikoreksi"),
                            "produsen-dinkes")
        helpers.call_action("resource_create", {"user": "produsen-dinkes"},
                            package_id=dataset["id"], name="Tabel penduduk", format="JSON",
                            url="http://example.com/penduduk.json")

        def step(user, action, **extra):
            helpers.call_action("satudata_workflow_transition",
                                {"user": user, "ignore_auth": False},
                                id=dataset["id"], action=action, **extra)
        step("produsen-dinkes", "submit")
        step("staf-pds", "forward")
        step("staf-pds", "forward")
        helpers.call_action("package_patch", {"user": "kasi-pds", "ignore_auth": False},
                            id=dataset["id"], ukuran="Banyaknya", satuan="Orang")
        step("kasi-pds", "forward")
    finally:
        tk.config[WORKFLOW] = before
    return {"dataset": dataset, "people": people}


def test_the_producer_reads_the_corrections(new_page, shots, world):
    page = new_page()
    log_in(page, "produsen-dinkes")
    page.goto(f"/dataset/{world['dataset']['name']}")
    page.locator(".satudata-workflow-history summary").click()
    rows = page.locator("[data-satudata-correction]")
    assert rows.count() == 2
    text = page.locator("[data-satudata-corrections]").inner_text()
    assert "Budi Kasi" in text and "Banyaknya" in text and "Orang" in text
    shots.look(page, "corrections")
    shots.assert_pages_ok()


def test_the_admin_gives_positions(new_page, shots, world):
    page = new_page()
    log_in(page, "kadis-kominfo")
    page.goto("/organization/diskominfo")
    with page.expect_navigation():
        page.locator("a[href$='/organization/diskominfo/jabatan']").first.click()
    row = page.locator("[data-satudata-member='kasi-pds']")
    row.locator("select").select_option("kepala_seksi")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert page.locator("[data-satudata-member='kasi-pds'] select").input_value() == "kepala_seksi"
    shots.look(page, "jabatan")
    shots.assert_pages_ok()
    # A member who is not the admin reads the positions, and cannot change them.
    other = new_page()
    log_in(other, "staf-pds")
    other.goto("/organization/diskominfo/jabatan")
    assert other.locator("[data-satudata-jabatan] select").count() == 0
    assert "Kepala Seksi" in other.locator("[data-satudata-member='kasi-pds']").inner_text()
    shots.look(other, "jabatan-member")
