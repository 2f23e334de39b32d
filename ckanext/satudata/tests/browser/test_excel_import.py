"""The Excel template in Chromium on the run config: the download button of a
kegiatan page, and the import page refusing a file with errors, listed per sheet,
row and column in Indonesian, at 1280x900 and 390x844."""
from __future__ import annotations

import io

import openpyxl
import pytest

import ckan.model as model

from ckanext.satudata.excel import layout
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.browser.conftest import PHONE, log_in
from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.excel.conftest import ExcelPortal, column_of

pytestmark = pytest.mark.browser

PASSWORD = "sandi-uji-browser-2024"


@pytest.fixture(scope="module")
def world():
    reset_world()
    portal = ExcelPortal()
    kegiatan = sd.create(sd.kegiatan(portal.opd["id"], name="survei-kepuasan-2024"), "produsen-dinkes")
    for i in range(3):
        sd.create_data_sektoral(portal.opd["id"], "produsen-dinkes", name=f"data-{i}",
                                title=f"Data sektoral {i}", kegiatan=kegiatan["name"])
    user = model.User.get("produsen-dinkes")
    user.password = PASSWORD
    user.image_url = ""  # the factory's is an outside picture the page checks refuse
    model.Session.commit()
    return {"kegiatan": kegiatan}


def _fits(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_download_then_import_a_file_with_errors(world, live_server, new_page, shots, tmp_path):
    page = new_page()
    log_in(page, "produsen-dinkes")
    page.goto(f"/kegiatan/{world['kegiatan']['name']}")
    button = page.locator("[data-satudata-excel-download]")
    assert "Unduh MS-Keg, MS-Var, dan MS-Ind (Excel)" in button.inner_text()
    with page.expect_download() as download:
        button.click()
    path = tmp_path / "unduhan.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["MS-Keg", "MS-Ind", "Data Sektoral", "MS-Var"]
    first = layout.rows()["first_record"]
    sheet = book["Data Sektoral"]
    sheet.cell(first + 1, column_of(book, "Data Sektoral", "sektor"), "Pariwisata Luar Angkasa")
    sheet.cell(first + 1, column_of(book, "Data Sektoral", "akses")).value = None
    sheet.cell(first + 2, column_of(book, "Data Sektoral", "data_prioritas"), "mungkin")
    book["MS-Keg"].cell(first, column_of(book, "MS-Keg", "iii_jadwal_desain_akhir"), "2023-01-01")
    stream = io.BytesIO()
    book.save(stream)
    path.write_bytes(stream.getvalue())

    page.goto("/metadata/import")
    page.set_input_files("#satudata-import-upload", str(path))
    with page.expect_navigation():
        page.locator("[data-satudata-import-form] button[type=submit]").click()
    text = page.locator("main, [role=main]").first.inner_text()
    assert "Berkas ditolak: 4 kesalahan. Tidak ada yang disimpan" in text, text
    assert "Lembar MS-Keg" in text and "Lembar Data Sektoral" in text
    assert "bukan salah satu pilihan" in text and "Tulis Ya atau Tidak" in text
    rows = page.locator("[data-satudata-import-error]")
    assert rows.count() == 4
    shots.look(page, "impor-ditolak")
    page.set_viewport_size(PHONE)
    assert _fits(page) <= 1
    shots.assert_pages_ok()
