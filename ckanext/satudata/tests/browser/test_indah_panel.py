"""The INDAH panel of a kegiatan page in Chromium on the run config, at 1280x900 and
390x844: status, INDAH id, last sync, BPS's notes, the payload's problems and the
JSON download, in Indonesian."""
from __future__ import annotations

import json

import pytest

import ckan.model as model

from ckanext.satudata.model import IndahSync, utcnow
from ckanext.satudata.tests.browser.conftest import DESKTOP, PHONE, log_in
from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.indah.conftest import IndahPortal

pytestmark = pytest.mark.browser

PASSWORD = "sandi-uji-browser-2024"


@pytest.fixture(scope="module")
def world():
    reset_world()
    portal = IndahPortal()
    incomplete = portal.kegiatan(name="survei-belum-lengkap", title="Survei Belum Lengkap 2024",
                                 vii_unit_analisis=[], ii_unit_eselon1="", state="draft")
    unrecommended = portal.kegiatan(name="survei-tanpa-rekomendasi", title="Survei Tanpa Rekomendasi",
                                    rekomendasi_dari_bps=False, identitas_rekomendasi="")
    reported = portal.kegiatan(name="survei-dilaporkan", title="Survei Kepuasan Layanan 2024")
    published = portal.kegiatan(name="survei-terbit", title="Survei Kepuasan Layanan 2023")
    portal.reach(published, "terpublikasi")
    portal.reach(reported, "direview_pembina")
    model.Session.add(IndahSync(
        package_id=reported["id"], indah_id="9001", status="CORRECTION_REQUIRED", attempts=1,
        synced=utcnow(), reported_by="walidata", children={},
        notes=[{"field": "blok_ii.unit_penanggung_jawab.eselon1",
                "note": "Eselon 1 diisi nama dinas, bukan sekretariat."}]))
    user = model.User.get("produsen-dinkes")
    user.password = PASSWORD
    model.Session.commit()
    return {"incomplete": incomplete, "reported": reported, "unrecommended": unrecommended,
            "published": published}


def _panel_text(page, shots=None, step="") -> str:
    panel = page.locator("[data-satudata-indah]")
    if shots is not None:  # the panel alone, readable at full size
        panel.screenshot(path=str(shots.dir / f"panel-{step}.png"))
    return panel.inner_text()


def _fits(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_indah_panel_of_the_opd(world, live_server, new_page, shots):
    page = new_page()
    log_in(page, "produsen-dinkes")

    page.goto(f"/kegiatan/{world['incomplete']['name']}")
    shots(page, "belum-lengkap")
    text = _panel_text(page, shots, "belum-lengkap")
    assert "Pelaporan ke BPS (INDAH)" in text
    assert "2 isian harus dilengkapi sebelum INDAH menerima kegiatan ini" in text
    assert "Unit eselon I: Wajib diisi untuk pelaporan ke INDAH" in text
    assert "Unit analisis: Pilih minimal satu" in text
    assert "Pengiriman ke INDAH belum diatur di portal ini" in text
    page.set_viewport_size(PHONE)
    shots(page, "belum-lengkap-phone")
    assert _fits(page) <= 1
    page.set_viewport_size(DESKTOP)

    page.goto(f"/kegiatan/{world['unrecommended']['name']}")
    text = _panel_text(page, shots, "tanpa-rekomendasi")
    assert ("Kegiatan ini memerlukan rekomendasi BPS (Romantik); yang belum ada: nomor rekomendasi, "
            "tanggal rekomendasi, surat rekomendasi (PDF)") in text

    page.goto(f"/kegiatan/{world['reported']['name']}")
    shots(page, "dilaporkan")
    text = _panel_text(page, shots, "dilaporkan")
    for expected in ("Rekomendasi BPS (Romantik): B-123/35140/VS.300/2024", "Status INDAH", "BPS meminta perbaikan", "ID INDAH", "9001",
                     "Sinkronisasi terakhir", "WIB", "Catatan BPS",
                     "Unit eselon I: Eselon 1 diisi nama dinas, bukan sekretariat.",
                     "Memenuhi semua isian wajib INDAH untuk pelaporan."):
        assert expected in text, expected
    with page.expect_download() as download:
        page.locator("[data-satudata-indah-download]").click()
    saved = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert download.value.suggested_filename == "indah-survei-dilaporkan.json"
    assert saved["valid"] and saved["kegiatan"]["data"]["judul_kegiatan"] == "Survei Kepuasan Layanan 2024"
    page.set_viewport_size(PHONE)
    shots(page, "dilaporkan-phone")
    _panel_text(page, shots, "dilaporkan-phone")
    assert _fits(page) <= 1


def test_no_panel_for_the_public_on_an_unpublished_kegiatan(world, live_server, new_page):
    page = new_page()
    response = page.goto(f"/kegiatan/{world['incomplete']['name']}/indah.json")
    assert response.status == 403


def test_the_recommendation_and_its_letter_for_every_reader(world, live_server, new_page, shots):
    """A published kegiatan's BPS recommendation: number, date and the letter (PDF) that
    anyone who reads the kegiatan downloads; on an unpublished one, what is missing."""
    page = new_page()
    page.goto(f"/kegiatan/{world['published']['name']}")
    panel = page.locator("[data-satudata-rekomendasi]")
    panel.screenshot(path=str(shots.dir / "panel-rekomendasi.png"))
    shots(page, "rekomendasi-publik")
    text = panel.inner_text()
    for expected in ("Rekomendasi BPS (Romantik)", "Nomor rekomendasi", "B-123/35140/VS.300/2024",
                     "Tanggal rekomendasi", "15 Januari 2024", "Surat rekomendasi",
                     "Unduh surat rekomendasi (PDF)"):
        assert expected in text, expected
    href = page.locator("[data-satudata-rekomendasi-surat]").get_attribute("href")
    assert href.endswith("/download/surat_rekomendasi.pdf")
    # As the anonymous visitor the page was shown to; the link's host is the test
    # configuration's site_url (the record was made in the test process): its path only.
    letter = page.request.get("/" + href.split("://", 1)[-1].split("/", 1)[1])
    assert letter.status == 200 and letter.body()[:5] == b"%PDF-"
    page.set_viewport_size(PHONE)
    shots(page, "rekomendasi-publik-phone")
    assert _fits(page) <= 1

    page.set_viewport_size(DESKTOP)
    log_in(page, "produsen-dinkes")
    page.goto(f"/kegiatan/{world['unrecommended']['name']}")
    text = page.locator("[data-satudata-rekomendasi]").inner_text()
    assert ("yang belum ada: nomor rekomendasi, tanggal rekomendasi, surat rekomendasi (PDF)"
            in text)
