"""The EPSS section of the Dasbor and its CSV/XLSX downloads, through the real
app with real users, on the quarter tests/logic/conftest.py walks."""
from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

import lxml.html
import openpyxl
import pytest

import ckan.model as model

from ckanext.satudata.tests.logic.conftest import clock, epss_history  # noqa: F401  (fixtures)
from ckanext.satudata.tests.workflow.conftest import member, portal  # noqa: F401  (fixture)

Q2 = "epss_year=2026&epss_quarter=2"
HEADER = ["OPD", "Kode OPD", "Dataset diminta", "Diserahkan tepat waktu", "Diserahkan terlambat",
          "Belum diserahkan", "Belum diserahkan, melewati batas waktu kini", "Permintaan dibatalkan",
          "Dataset ditinjau", "Putaran pengembalian", "Dataset dikembalikan",
          "Rata-rata pengembalian per dataset",
          "Produsen Data: langkah", "Produsen Data: rata-rata hari kerja",
          "Produsen Data: rata-rata hari kalender",
          "Walidata: langkah", "Walidata: rata-rata hari kerja", "Walidata: rata-rata hari kalender",
          "Pembina Data (BPS): langkah", "Pembina Data (BPS): rata-rata hari kerja",
          "Pembina Data (BPS): rata-rata hari kalender"]
DINKES = ["Dinas Kesehatan", "dinas-kesehatan", 2, 1, 0, 0, 0, 1, 3, 2, 1, 0.67,
          5, 1.8, 1.65, 2, 1, 2.02, 1, 1, 1]
DISDIK = ["Dinas Pendidikan", "dinas-pendidikan", 3, 0, 1, 2, 1, 0, 1, 0, 0, 0,
          1, 0, 0.02, 0, None, None, 0, None, None]
TOTAL = ["Jumlah", None, 5, 1, 1, 2, 1, 1, 4, 2, 1, 0.5, 6, 1.5, 1.38, 2, 1, 2.02, 1, 1, 1]


def _text(element) -> str:
    return " ".join(element.text_content().split())


def page(app, url, headers):
    response = app.get(url, headers=headers, follow_redirects=False)
    assert response.status_code == 200, (url, response.status_code)
    return lxml.html.fromstring(response.body)


def as_text(cell) -> str:
    """A cell as csv.writer writes it."""
    return "" if cell is None else str(cell)


class TestSection:
    def test_table_chart_and_links_for_the_walidata(self, app, portal, login, epss_history):  # noqa: F811
        doc = page(app, f"/dashboard/ringkasan?{Q2}", login(portal.walidata))
        (section,) = doc.xpath("//*[@data-satudata-epss]")
        assert _text(section.xpath(".//h2")[0]) == "Bukti EPSS per OPD"
        table = section.xpath(".//table[@data-satudata-epss-table]")[0]
        assert [_text(c) for c in table.xpath("./thead//th")] == [
            "OPD", "Dataset diminta", "Diserahkan tepat waktu", "Diserahkan terlambat",
            "Belum diserahkan, melewati batas waktu kini", "Dataset ditinjau", "Putaran pengembalian",
            "Rata-rata pengembalian per dataset", "Produsen Data: rata-rata hari kerja",
            "Walidata: rata-rata hari kerja", "Pembina Data (BPS): rata-rata hari kerja"]
        rows = {r.get("data-satudata-epss-org"): [_text(c) for c in r.xpath("./th|./td")]
                for r in table.xpath(".//tr[@data-satudata-epss-org]")}
        # numbers in the id locale: a decimal comma; a mean without steps is a dash
        assert rows == {
            "dinas-kesehatan": ["Dinas Kesehatan", "2", "1", "0", "0", "3", "2", "0,67", "1,8", "1", "1"],
            "dinas-pendidikan": ["Dinas Pendidikan", "3", "0", "1", "1", "1", "0", "0", "0", "–", "–"]}
        (total,) = table.xpath(".//tr[@data-satudata-epss-total]")
        assert [_text(c) for c in total.xpath("./th|./td")] == [
            "Jumlah", "5", "1", "1", "1", "4", "2", "0,5", "1,5", "1", "1"]
        # each cell names its column for the phone's cards
        first = table.xpath(".//tr[@data-satudata-epss-org='dinas-kesehatan']/td")[0]
        assert first.get("data-label") == "Dataset diminta"
        assert "1 April 2026" in _text(table.xpath("./caption")[0])

        (svg,) = section.xpath(".//*[@data-satudata-epss-chart]//*[local-name()='svg']")
        assert svg.get("role") == "img"
        assert _text(svg.xpath("./*[local-name()='title']")[0]) == "Permintaan data per OPD"
        pieces = [_text(t) for t in svg.xpath(".//*[local-name()='rect']/*[local-name()='title']")]
        assert pieces == ["Diserahkan tepat waktu: 1", "Diserahkan terlambat: 1",
                          "Belum diserahkan, melewati batas waktu kini: 1",
                          "Belum diserahkan, belum jatuh tempo: 1"]
        assert [_text(li) for li in section.xpath(".//ul[@class='satudata-legend']/li")] == [
            "Diserahkan tepat waktu", "Diserahkan terlambat",
            "Belum diserahkan, melewati batas waktu kini", "Belum diserahkan, belum jatuh tempo"]
        assert doc.xpath("//script[contains(@src, 'chart')]") == []

        csv_href = section.xpath(".//a[@data-satudata-epss-csv]")[0].get("href")
        xlsx_href = section.xpath(".//a[@data-satudata-epss-xlsx]")[0].get("href")
        assert "epss_year=2026" in csv_href and "epss_quarter=2" in xlsx_href

    def test_each_average_of_returns_follows_from_its_own_row(self, app, portal, login,
                                                              epss_history):  # noqa: F811
        # A walk read the total's 0,12 (all rounds over all datasets reviewed) as
        # wrong against the OPDs' rows: the divisor was not on screen.
        doc = page(app, f"/dashboard/ringkasan?{Q2}", login(portal.walidata))
        (table,) = doc.xpath("//table[@data-satudata-epss-table]")
        header = [_text(c) for c in table.xpath("./thead//th")]
        reviewed, rounds, average = (header.index(h) for h in (
            "Dataset ditinjau", "Putaran pengembalian", "Rata-rata pengembalian per dataset"))
        rows = table.xpath(".//tr[@data-satudata-epss-org]|.//tr[@data-satudata-epss-total]")
        assert len(rows) == 3
        for row in rows:
            cells = [_text(c).replace(",", ".") for c in row.xpath("./th|./td")]
            # rounded half up, as a reader checks it by hand (1 / 8 is 0,13)
            expected = Decimal(int(cells[rounds])) / Decimal(int(cells[reviewed]))
            assert Decimal(cells[average]) == expected.quantize(Decimal("0.01"), ROUND_HALF_UP), cells
        # and the page says how it is computed (its words: test_the_average_is_explained_in_english)
        (note,) = table.xpath(".//*[@data-satudata-epss-average-note]")
        assert "putaran pengembalian dibagi dataset ditinjau" in _text(note)

    def test_the_average_is_explained_in_english(self, app, portal, login, epss_history):  # noqa: F811
        doc = page(app, f"/en/dashboard/ringkasan?{Q2}", login(portal.walidata))
        (note,) = doc.xpath("//table[@data-satudata-epss-table]//*[@data-satudata-epss-average-note]")
        assert "divided by the datasets reviewed" in _text(note)
        assert "not the mean of the OPDs' averages" in _text(note)
        header = [_text(c) for c in doc.xpath("//table[@data-satudata-epss-table]/thead//th")]
        assert header.index("Datasets reviewed") == header.index("Rounds of return") - 1

    def test_the_chooser_keeps_what_was_asked(self, app, portal, login, epss_history):  # noqa: F811
        doc = page(app, "/dashboard/ringkasan?epss_from=2026-04-01&epss_to=2026-04-01"
                   "&epss_organization=dinas-pendidikan", login(portal.walidata))
        (section,) = doc.xpath("//*[@data-satudata-epss]")
        assert section.xpath(".//input[@name='epss_from']")[0].get("value") == "2026-04-01"
        assert section.xpath(".//select[@name='epss_organization']/option[@selected]")[0].get(
            "value") == "dinas-pendidikan"
        rows = section.xpath(".//tr[@data-satudata-epss-org]")
        assert [r.get("data-satudata-epss-org") for r in rows] == ["dinas-pendidikan"]

    def test_default_is_this_year_with_the_year_in_the_links(self, app, portal, login, clock):  # noqa: F811
        clock.at("2026-07-10 09:00")
        doc = page(app, "/dashboard/ringkasan", login(portal.walidata))
        (section,) = doc.xpath("//*[@data-satudata-epss]")
        assert section.xpath(".//input[@name='epss_year']")[0].get("placeholder") == "2026"
        assert "Tidak ada permintaan data" in _text(section)
        assert "epss_year=2026" in section.xpath(".//a[@data-satudata-epss-csv]")[0].get("href")

    def test_bad_period_is_explained_and_kept(self, app, portal, login):  # noqa: F811
        doc = page(app, "/dashboard/ringkasan?epss_year=2026&epss_quarter=5&epss_from=2026-01-01",
                   login(portal.walidata))
        (section,) = doc.xpath("//*[@data-satudata-epss]")
        errors = _text(section.xpath(".//*[@data-satudata-epss-errors]")[0])
        assert "Isi triwulan 1 sampai 4" in errors
        assert section.xpath(".//input[@name='epss_year']")[0].get("value") == "2026"
        assert section.xpath(".//input[@name='epss_from']")[0].get("value") == "2026-01-01"
        assert section.xpath(".//table") == []


class TestDownloads:
    def test_csv_cell_by_cell(self, app, portal, login, epss_history):  # noqa: F811
        response = app.get(f"/dashboard/ringkasan/epss.csv?{Q2}", headers=login(portal.walidata))
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/csv")
        assert response.headers["Content-Disposition"] == \
            'attachment; filename="epss-2026-04-01-2026-06-30.csv"'
        assert response.body.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(response.body[1:])))
        assert rows == [HEADER, [as_text(c) for c in DINKES_CSV], [as_text(c) for c in DISDIK_CSV],
                        [as_text(c) for c in TOTAL_CSV]]

    def test_xlsx_cell_by_cell(self, app, portal, login, epss_history):  # noqa: F811
        response = app.get(f"/dashboard/ringkasan/epss.xlsx?{Q2}", headers=login(portal.walidata))
        assert response.status_code == 200
        assert response.headers["Content-Type"] == \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response.headers["Content-Disposition"] == \
            'attachment; filename="epss-2026-04-01-2026-06-30.xlsx"'
        sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
        assert sheet.title == "EPSS"
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert rows == [HEADER, DINKES, DISDIK, TOTAL]
        # numbers stay numbers
        assert isinstance(rows[1][2], int) and isinstance(rows[1][11], float)

    def test_formulas_are_text_in_both(self, app, portal, login, epss_history):  # noqa: F811
        org = model.Group.by_name("dinas-kesehatan")
        org.title = '=HYPERLINK("http://x","klik")'
        model.Session.commit()
        headers = login(portal.walidata)
        response = app.get(f"/dashboard/ringkasan/epss.csv?{Q2}", headers=headers)
        rows = list(csv.reader(io.StringIO(response.body[1:])))
        assert rows[1][:2] == ["'=HYPERLINK(\"http://x\",\"klik\")", "dinas-kesehatan"]
        response = app.get(f"/dashboard/ringkasan/epss.xlsx?{Q2}", headers=headers)
        book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
        cell = book.active["A2"]
        assert cell.data_type == "s" and cell.value == "'=HYPERLINK(\"http://x\",\"klik\")"

    def test_in_english(self, app, portal, login, epss_history):  # noqa: F811
        response = app.get(f"/en/dashboard/ringkasan/epss.csv?{Q2}", headers=login(portal.walidata))
        header = next(csv.reader(io.StringIO(response.body[1:])))
        assert header[:5] == ["OPD", "OPD code", "Datasets requested", "Delivered on time",
                              "Delivered late"]
        assert header[13] == "Data producer: average working days"

    def test_bad_period_is_400(self, app, portal, login):  # noqa: F811
        response = app.get("/dashboard/ringkasan/epss.xlsx?epss_year=1999",
                           headers=login(portal.walidata))
        assert response.status_code == 400


class TestWho:
    def test_walidata_admin_and_sysadmin(self, app, portal, login, epss_history):  # noqa: F811
        admin = member("admin-diskominfo", "diskominfo", "admin")
        for user in (admin, portal.sysadmin):
            doc = page(app, f"/dashboard/ringkasan?{Q2}", login(user))
            assert len(doc.xpath("//tr[@data-satudata-epss-org]")) == 2
            response = app.get(f"/dashboard/ringkasan/epss.xlsx?{Q2}", headers=login(user))
            assert response.status_code == 200

    @pytest.mark.parametrize("who", ["produsen", "pembina"])
    def test_producer_and_bps_are_refused(self, app, portal, login, who):  # noqa: F811
        user = getattr(portal, who)
        doc = page(app, "/dashboard/ringkasan", login(user))
        assert doc.xpath("//*[@data-satudata-epss]") == []
        for ext in ("csv", "xlsx"):
            response = app.get(f"/dashboard/ringkasan/epss.{ext}", headers=login(user),
                               follow_redirects=False)
            assert response.status_code == 403

    def test_anonymous_is_refused(self, app, portal):  # noqa: F811
        for ext in ("csv", "xlsx"):
            response = app.get(f"/dashboard/ringkasan/epss.{ext}", follow_redirects=False)
            assert response.status_code == 403


# The CSV writes every cell as text: a whole float as "1.0", an empty mean as "".
DINKES_CSV = DINKES[:13] + [1.8, 1.65, 2, 1.0, 2.02, 1, 1.0, 1.0]
DISDIK_CSV = DISDIK[:11] + [0.0, 1, 0.0, 0.02, 0, None, None, 0, None, None]
TOTAL_CSV = TOTAL[:13] + [1.5, 1.38, 2, 1.0, 2.02, 1, 1.0, 1.0]
