"""The public pages and the data views, rendered by the real CKAN app against
the real services: landing page, search facets, dataset and resource pages,
conversions (CSV/XLSX/JSON), chart data; Indonesian by default, English at /en/."""
from __future__ import annotations

import datetime
import io
import json

import lxml.html
import openpyxl
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.satudata.public import page as public_page

SMALL_CSV = "tahun,kecamatan,jumlah,persentase\n2022,Bangil,1200,60.5\n2022,Beji,800,39.5\n2023,Bangil,1250,\n"
SMALL_ROWS = [
    {"tahun": 2022, "kecamatan": "Bangil", "jumlah": 1200, "persentase": 60.5},
    {"tahun": 2022, "kecamatan": "Beji", "jumlah": 800, "persentase": 39.5},
    {"tahun": 2023, "kecamatan": "Bangil", "jumlah": 1250, "persentase": None},
]


def text(element) -> str:
    return " ".join(element.text_content().split())


def page(app, url: str, status: int = 200, user: str | None = None):
    headers = {"Authorization": user} if user else None
    response = app.get(url, headers=headers, follow_redirects=False)
    assert response.status_code == status, (url, response.status_code)
    return lxml.html.fromstring(response.body)


def convert_url(dataset: dict, resource: dict, fmt: str) -> str:
    return f"/dataset/{dataset['name']}/resource/{resource['id']}/convert/{fmt}"


# ------------------------------------------------------------ conversions

class TestConversions:
    def test_csv_is_the_table_as_uploaded(self, app, world):
        response = app.get(convert_url(world.published, world.resource, "csv"))
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"] == \
            'attachment; filename="penduduk-terbit-penduduk-kecil.csv"'
        assert response.get_data(as_text=True) == SMALL_CSV

    def test_json_is_one_typed_object_per_row(self, app, world):
        response = app.get(convert_url(world.published, world.resource, "json"))
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert json.loads(response.get_data(as_text=True)) == SMALL_ROWS

    def test_xlsx_holds_the_same_cells(self, app, world):
        response = app.get(convert_url(world.published, world.resource, "xlsx"))
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        assert rows == [("tahun", "kecamatan", "jumlah", "persentase")] + [
            tuple(r.values()) for r in SMALL_ROWS]

    def test_unpublished_data_is_refused_to_the_public(self, app, world):
        for fmt in ("csv", "json", "xlsx"):
            response = app.get(convert_url(world.draft, world.draft_resource, fmt))
            assert response.status_code == 403, fmt
            assert "Bangil" not in response.get_data(as_text=True)

    def test_withdrawn_data_is_gone(self, app, world):
        for fmt in ("csv", "json", "xlsx"):
            response = app.get(convert_url(world.withdrawn, world.withdrawn_resource, fmt))
            assert response.status_code == 410, fmt
            assert "Bangil" not in response.get_data(as_text=True)
        chart = f"/dataset/{world.withdrawn['name']}/resource/{world.withdrawn_resource['id']}/chart.json"
        assert app.get(chart).status_code == 410

    def test_the_producer_may_download_its_own_draft(self, app, world):
        token = helpers.call_action("api_token_create", user=world.portal.produsen["name"], name="t")["token"]
        response = app.get(convert_url(world.draft, world.draft_resource, "csv"),
                           headers={"Authorization": token})
        assert response.status_code == 200
        assert response.get_data(as_text=True) == SMALL_CSV

    def test_formulas_in_an_upload_are_neutralised_in_csv_and_xlsx(self, app, world, tmp_path):
        from ckan.lib import uploader
        from werkzeug.datastructures import FileStorage

        hostile = ('kecamatan,jumlah,catatan\n'
                   '"=HYPERLINK(""http://x"",""klik"")",-5,@SUM(A1)\n'
                   'Beji,+62,"-2+3"\n')
        path = tmp_path / "jahat.csv"
        path.write_text(hostile)
        user = world.portal.produsen["name"]
        with path.open("rb") as stream:
            resource = helpers.call_action("resource_create", {"user": user}, package_id=world.draft["id"],
                                           name="jahat.csv", url="jahat.csv", format="CSV",
                                           upload=FileStorage(stream=stream, filename="jahat.csv"))
        token = helpers.call_action("api_token_create", user=user, name="jahat")["token"]
        csv_text = app.get(convert_url(world.draft, resource, "csv"),
                           headers={"Authorization": token}).get_data(as_text=True)
        assert csv_text == ('kecamatan,jumlah,catatan\n'
                            '"\'=HYPERLINK(""http://x"",""klik"")",-5,\'@SUM(A1)\n'
                            "Beji,+62,\'-2+3\n")
        response = app.get(convert_url(world.draft, resource, "xlsx"), headers={"Authorization": token})
        sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).worksheets[0]
        cells = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
        assert cells[1] == [("'=HYPERLINK(\"http://x\",\"klik\")", "s"), (-5, "n"), ("'@SUM(A1)", "s")]
        assert cells[2] == [("Beji", "s"), ("+62", "s"), ("'-2+3", "s")]
        assert all(t != "f" for row in cells for _, t in row)
        # The stored upload is the producer's file, byte for byte.
        stored = uploader.get_resource_uploader(resource).get_path(resource["id"])
        assert open(stored).read() == hostile

    def test_an_uploaded_xlsx_converts_to_the_same_csv_and_json(self, app, world, tmp_path):
        from werkzeug.datastructures import FileStorage

        book = openpyxl.Workbook()
        book.active.append(["tahun", "kecamatan", "jumlah", "persentase"])
        for row in SMALL_ROWS:
            book.active.append(list(row.values()))
        path = tmp_path / "penduduk.xlsx"
        book.save(path)
        user = world.portal.produsen["name"]
        with path.open("rb") as stream:
            resource = helpers.call_action("resource_create", {"user": user}, package_id=world.draft["id"],
                                           name="penduduk.xlsx", url="penduduk.xlsx", format="XLSX",
                                           upload=FileStorage(stream=stream, filename="penduduk.xlsx"))
        token = helpers.call_action("api_token_create", user=user, name="xlsx")["token"]
        csv = app.get(convert_url(world.draft, resource, "csv"), headers={"Authorization": token})
        assert csv.get_data(as_text=True) == SMALL_CSV
        rows = app.get(convert_url(world.draft, resource, "json"), headers={"Authorization": token})
        assert json.loads(rows.get_data(as_text=True)) == SMALL_ROWS

    def test_a_file_that_is_no_table_is_refused_with_a_message(self, app, world, tmp_path):
        from werkzeug.datastructures import FileStorage

        path = tmp_path / "rusak.xlsx"
        path.write_bytes(b"this is not a spreadsheet")
        sysadmin = world.portal.sysadmin["name"]
        with path.open("rb") as stream:
            resource = helpers.call_action("resource_create", {"user": sysadmin}, package_id=world.draft["id"],
                                           name="rusak.xlsx", url="rusak.xlsx", format="XLSX",
                                           upload=FileStorage(stream=stream, filename="rusak.xlsx"))
        token = helpers.call_action("api_token_create", user=sysadmin, name="rusak")["token"]
        response = app.get(convert_url(world.draft, resource, "csv"), headers={"Authorization": token})
        assert response.status_code == 422
        assert "Berkas ini bukan tabel, melainkan berkas text." in response.get_data(as_text=True)

    def test_restricted_data_shows_metadata_only(self, app, world):
        assert app.get(convert_url(world.restricted, world.restricted_resource, "csv")).status_code == 403
        doc = page(app, f"/dataset/{world.restricted['name']}")
        assert not doc.xpath("//*[@data-satudata-download]")
        assert not doc.xpath("//div[contains(@class, 'satudata-preview')]")

    def test_unknown_format_resource_or_mismatched_dataset_is_404(self, app, world):
        assert app.get(convert_url(world.published, world.resource, "pdf")).status_code == 404
        assert app.get(f"/dataset/{world.published['name']}/resource/nope/convert/csv").status_code == 404
        assert app.get(convert_url(world.restricted, world.resource, "csv")).status_code == 404


# ------------------------------------------------------------ chart, preview

class TestDataOnTheDatasetPage:
    def test_chart_data_is_a_series_by_year(self, app, world):
        response = app.get(f"/dataset/{world.published['name']}/resource/{world.resource['id']}/chart.json")
        assert response.status_code == 200
        assert response.json == {"kind": "year", "measure": "jumlah", "x": "tahun", "aggregate": "sum",
                                 "points": [["2022", 2000], ["2023", 1250]]}

    def test_chart_of_the_draft_is_refused(self, app, world):
        url = f"/dataset/{world.draft['name']}/resource/{world.draft_resource['id']}/chart.json"
        assert app.get(url).status_code == 403

    def test_page_has_chart_preview_and_downloads(self, app, world):
        doc = page(app, f"/dataset/{world.published['name']}")
        (figure,) = doc.xpath("//figure[@data-satudata-chart='year']")
        assert figure.xpath(".//svg[@role='img']/title")
        assert [t.text for t in figure.xpath(".//svg//g/text")] == ["2.000", "2022", "1.250", "2023"]
        (table,) = doc.xpath("//div[contains(@class, 'satudata-preview')]//table")
        assert [text(th) for th in table.xpath(".//thead//th")] == ["tahun", "kecamatan", "jumlah", "persentase"]
        assert [[text(td) for td in tr.xpath("./td")] for tr in table.xpath(".//tbody/tr")] == [
            ["2022", "Bangil", "1.200", "60,5"], ["2022", "Beji", "800", "39,5"], ["2023", "Bangil", "1.250", ""]]
        links = {a.get("data-satudata-download"): a.get("href") for a in doc.xpath("//a[@data-satudata-download]")}
        assert links == {fmt: convert_url(world.published, world.resource, fmt) for fmt in ("csv", "xlsx", "json")}

    def test_resource_page_has_the_preview_and_downloads(self, app, world):
        doc = page(app, f"/dataset/{world.published['name']}/resource/{world.resource['id']}")
        assert doc.xpath("//div[contains(@class, 'satudata-preview')]//tbody/tr")
        assert len(doc.xpath("//a[@data-satudata-download]")) == 3

    def test_preview_is_bounded(self, world):
        from ckanext.satudata.public import tabular
        preview = tabular.preview(world.resource, limit=2)
        assert preview["rows"] == [[2022, "Bangil", 1200, 60.5], [2022, "Beji", 800, 39.5]]
        assert preview["more"] is True
        assert tabular.preview(world.resource, limit=3)["more"] is False


# ------------------------------------------------------------ SDI metadata

class TestDatasetPage:
    def test_standar_data_block_shows_filled_fields_only(self, app, world):
        doc = page(app, f"/dataset/{world.published['name']}")
        (block,) = doc.xpath("//section[contains(@class, 'satudata-standar-data')]")
        assert [text(dt) for dt in block.xpath(".//dt")] == ["Konsep", "Definisi", "Ukuran", "Satuan"]
        assert "Jiwa" in text(block)

    def test_no_empty_rows_in_additional_info(self, app, world):
        doc = page(app, f"/dataset/{world.published['name']}")
        rows = doc.xpath("//section[contains(@class, 'additional-info')]//tr")
        assert rows
        for row in rows:
            assert text(row.xpath("./td")[0]), text(row)
        headings = [text(th) for th in doc.xpath("//section[contains(@class, 'additional-info')]//th")]
        assert "Kode referensi (SDSN)" in headings and "Klasifikasi" not in headings

    def test_data_years_read_as_a_phrase(self, app, world):
        doc = page(app, f"/dataset/{world.published['name']}")
        (row,) = [tr for tr in doc.xpath("//section[contains(@class, 'additional-info')]//tr")
                  if text(tr.xpath("./th")[0]) == "Tahun data"]
        years = helpers.call_action("package_show", id=world.published["id"])["tahun_data"]
        assert years  # the world's dataset has some: the row is not vacuous
        assert text(row.xpath("./td")[0]) == ", ".join(sorted(str(y) for y in years))
        assert not row.xpath(".//ol|.//li")

    def test_kegiatan_summary_and_indicator_formula(self, app, world):
        doc = page(app, f"/dataset/{world.published['name']}")
        (keg,) = doc.xpath("//section[contains(@class, 'satudata-kegiatan')]")
        assert keg.xpath(".//a[@href='/kegiatan/registrasi-penduduk']")
        assert "Survei" in text(keg)  # cara pengumpulan data, as its label
        (ind,) = doc.xpath("//section[contains(@class, 'satudata-indikator')]")
        (math,) = ind.xpath(".//math")
        (frac,) = math.xpath(".//mfrac")
        assert [text(part) for part in frac] == ["PL", "PP"]
        assert math.xpath(".//mo[text()='×']") and math.xpath(".//mn[text()='100']")

    def test_unpublished_links_are_not_shown(self, app, world):
        helpers.call_action("package_patch", {"user": world.portal.sysadmin["name"]},
                            id=world.draft["id"], kegiatan="registrasi-penduduk")
        doc = page(app, f"/dataset/{world.published['name']}")
        assert "Penduduk Masih Draf" not in text(doc)

    def test_api_snippet_citation_and_dates(self, app, world):
        doc = page(app, f"/dataset/{world.published['name']}")
        (reuse,) = doc.xpath("//section[contains(@class, 'satudata-reuse')]")
        codes = [text(c) for c in reuse.xpath(".//pre")]
        assert codes[0] == "curl 'http://test.ckan.net/api/3/action/package_show?id=penduduk-terbit'"
        assert "RemoteCKAN('http://test.ckan.net')" in codes[1]
        citation = text(reuse.xpath(".//p[contains(@class, 'satudata-citation')]")[0])
        assert citation.startswith("Dinas Kesehatan. (2023). Penduduk Terbit [Dataset]. Satu Data (test). "
                                   "http://test.ckan.net/dataset/penduduk-terbit, diakses pada ")
        (dates,) = doc.xpath("//section[contains(@class, 'satudata-dates')]")
        assert "Jadwal rilis berikutnya" in text(dates) and "2025" in text(dates)

    def test_the_citation_is_dated_by_the_offices_day(self, app, world):
        evening_utc = datetime.datetime(2026, 12, 6, 20, 0, tzinfo=datetime.timezone.utc)  # 03:00 WIB on the 7th
        with app.flask_app.test_request_context("/"):
            cited = public_page.citation(helpers.call_action("package_show", id=world.published["id"]),
                                         now=evening_utc)
            seventh = tk.h.render_datetime(datetime.datetime(2026, 12, 7, 12))
            assert seventh != tk.h.render_datetime(datetime.datetime(2026, 12, 6, 12))
        assert cited.endswith(f" {seventh}.")

    def test_an_unpublished_dataset_offers_no_public_address_to_cite_or_share(self, app, world):
        token = helpers.call_action("api_token_create", user=world.portal.produsen["name"], name="own")["token"]
        draft = page(app, f"/dataset/{world.draft['name']}", user=token)
        assert draft.xpath("//h1") and not draft.xpath("//section[contains(@class, 'satudata-reuse')]")
        assert not draft.xpath("//a[contains(@href, 'twitter.com') or contains(@href, 'facebook.com')]")
        resource = page(app, f"/dataset/{world.draft['name']}/resource/{world.draft_resource['id']}", user=token)
        assert not resource.xpath("//a[contains(@href, 'twitter.com') or contains(@href, 'facebook.com')]")
        published = page(app, f"/dataset/{world.published['name']}")
        assert published.xpath("//section[contains(@class, 'satudata-reuse')]")
        assert published.xpath("//a[contains(@href, 'twitter.com')]")
        shared = page(app, f"/dataset/{world.published['name']}/resource/{world.resource['id']}")
        assert shared.xpath("//a[contains(@href, 'twitter.com')]")

    def test_english_at_en(self, app, world):
        doc = page(app, f"/en/dataset/{world.published['name']}")
        assert [text(dt) for dt in doc.xpath("//section[contains(@class, 'satudata-standar-data')]//dt")] == [
            "Concept", "Definition", "Measure", "Unit"]
        assert doc.xpath("//h2[normalize-space()='Data standard']")
        assert "accessed on" in text(doc.xpath("//p[contains(@class, 'satudata-citation')]")[0])


# ------------------------------------------------------------ landing, search

class TestLandingAndSearch:
    def test_landing_counts_published_data_only(self, app, world):
        doc = page(app, "/")
        counts = {dd.get("data-satudata-count"): text(dd) for dd in doc.xpath("//dd[@data-satudata-count]")}
        # one count per kind the search page lists: they add up to what it finds
        # sectors: the data sektoral's and the kegiatan's (sektor_kegiatan), as the search facet
        assert counts == {"datasets": "2", "kegiatan": "1", "indikator": "1", "opds": "1", "sectors": "2"}
        links = {dd.get("data-satudata-count"): dd.xpath("./a/@href")[0]
                 for dd in doc.xpath("//dd[@data-satudata-count]") if dd.xpath("./a")}
        assert links == {"datasets": "/dataset/?dataset_type=dataset",
                         "kegiatan": "/dataset/?dataset_type=kegiatan",
                         "indikator": "/dataset/?dataset_type=indikator"}
        assert "4 dataset ditemukan" in text(page(app, "/dataset/"))
        sectors = [text(a) for a in doc.xpath("//ul[contains(@class, 'satudata-sector-list')]//a")]
        assert sectors == ["Demografi dan kependudukan 2", "Kesehatan 1"]
        latest = [text(a) for a in doc.xpath("//section[@aria-labelledby='satudata-latest']//li/a")]
        assert sorted(latest) == ["Penduduk Terbatas", "Penduduk Terbit"]
        assert "Penduduk Masih Draf" not in text(doc)

    def test_landing_sectors_agree_with_the_search_facet(self, app, world):
        """The landing page counted the data sektoral's sectors only (1 on the demo)
        where the search page's Sektor facet, which its links open, counts every
        published kind's (2: the kegiatan's too)."""
        def facet(doc):
            (section,) = doc.xpath("//section[contains(@class, 'module-narrow')]"
                                   "[.//h2[normalize-space()='Sektor']]")
            return dict(text(a).rsplit(" - ", 1)
                        for a in section.xpath(".//a[contains(@href, 'vocab_sektor=')]"))

        landing = page(app, "/")
        listed = {text(a.xpath(".//span[contains(@class, 'satudata-sector-label')]")[0]):
                  text(a.xpath(".//span[contains(@class, 'badge')]")[0])
                  for a in landing.xpath("//ul[contains(@class, 'satudata-sector-list')]//a")}
        searched = facet(page(app, "/dataset/"))
        assert listed == searched == {"Demografi dan kependudukan": "2", "Kesehatan": "1"}
        (count,) = landing.xpath("//dd[@data-satudata-count='sectors']")
        assert text(count) == str(len(searched))
        # each sector's link opens the search page with as many results as its count
        for a in landing.xpath("//ul[contains(@class, 'satudata-sector-list')]//a"):
            found = page(app, a.get("href")).xpath("//li[contains(@class, 'dataset-item')]")
            assert str(len(found)) == text(a.xpath(".//span[contains(@class, 'badge')]")[0])

    def test_landing_lists_the_opds(self, app, world):
        doc = page(app, "/")
        opds = {text(li) for li in doc.xpath("//section[contains(@class, 'satudata-opds')]//li")}
        # published records the public can see: 2 data sektoral, the kegiatan, the indikator
        assert "Dinas Kesehatan 4" in opds and "Dinas Pendidikan 0" in opds

    def test_landing_is_indonesian_and_english_at_en(self, app, world):
        assert page(app, "/").xpath("//label[@for='satudata-home-q'][normalize-space()='Cari data']")
        assert page(app, "/en/").xpath("//label[@for='satudata-home-q'][normalize-space()='Search data']")

    def test_search_facets_in_order_with_format(self, app, world):
        doc = page(app, "/dataset/")
        titles = [text(h) for h in doc.xpath("//section[contains(@class, 'module-narrow')]//h2")]
        assert titles[:6] == ["Jenis", "Sektor", "Tahun data", "Produsen Data (OPD)", "Frekuensi", "Format"]
        (fmt,) = doc.xpath("//section[contains(@class, 'module-narrow')][.//h2[normalize-space()='Format']]")
        # CSV: the data sektoral; PDF: the kegiatan's BPS recommendation letter
        assert [a.get("href") for a in fmt.xpath(".//a[contains(@href, 'res_format')]")] == [
            "/dataset/?res_format=CSV", "/dataset/?res_format=PDF"]
        assert "2" in text(fmt)

    def test_an_opds_page_has_the_portals_facets_but_its_own(self, app, world):
        doc = page(app, "/organization/dinas-kesehatan")
        facets = "//section[contains(@class, 'module-narrow')]//h2[i[contains(@class, 'fa-filter')]]"
        titles = [text(h) for h in doc.xpath(facets)]
        # CKAN's were Organizations, Groups, Tags, Formats, Licenses
        assert titles[:5] == ["Jenis", "Sektor", "Tahun data", "Frekuensi", "Format"]
        assert "Produsen Data (OPD)" not in titles and "Groups" not in titles
        (sector,) = doc.xpath("//section[contains(@class, 'module-narrow')][.//h2[normalize-space()='Sektor']]")
        links = {text(a): a.get("href") for a in sector.xpath(".//a")}
        # CKAN's own link: the OPD's page by its id, filtered
        opd = world.portal.opd["id"]
        assert links == {"Demografi dan kependudukan - 2": f"/organization/{opd}?vocab_sektor=DEMOGRAFI_DAN_KEPENDUDUKAN",
                         "Kesehatan - 1": f"/organization/{opd}?vocab_sektor=KESEHATAN"}
        # CKAN sends an OPD's id on to its name, the filter kept
        found = lxml.html.fromstring(app.get(links["Kesehatan - 1"], follow_redirects=True).body)
        assert [text(a) for a in found.xpath("//*[contains(@class, 'dataset-heading')]/a")] == [
            world.kegiatan["title"]]  # by its sektor_kegiatan
        english = page(app, "/en/organization/dinas-kesehatan")
        assert "Data year" in [text(h) for h in english.xpath(facets)]

    def test_kind_facet_and_badges_name_kegiatan_and_indikator(self, app, world):
        doc = page(app, "/dataset/")
        (kind,) = doc.xpath("//section[contains(@class, 'module-narrow')][.//h2[normalize-space()='Jenis']]")
        assert {text(a) for a in kind.xpath(".//a[contains(@href, 'dataset_type')]")} == {
            "Data sektoral - 2", "Kegiatan statistik (MS-Keg) - 1", "Indikator (MS-Ind) - 1"}
        badges = {text(item.xpath(".//*[contains(@class, 'dataset-heading')]/a")[0]):
                  [text(b) for b in item.xpath(".//span[contains(@class, 'satudata-type-badge')]")]
                  for item in doc.xpath("//li[contains(@class, 'dataset-item')]")}
        assert sorted(b for found in badges.values() for b in found) == [
            "Indikator (MS-Ind)", "Kegiatan statistik (MS-Keg)"]
        assert badges["Penduduk Terbit"] == []
        only = page(app, "/dataset/?dataset_type=kegiatan")
        items = only.xpath("//li[contains(@class, 'dataset-item')]")
        assert len(items) == 1 and "Kegiatan statistik (MS-Keg)" in text(items[0])
        english = page(app, "/en/dataset/")
        assert "Statistical activity (MS-Keg)" in text(english) and "Indicator (MS-Ind)" in text(english)

    def test_facet_filter_by_format_and_sector(self, app, world):
        doc = page(app, "/dataset/?res_format=CSV&vocab_sektor=DEMOGRAFI_DAN_KEPENDUDUKAN")
        titles = {text(a) for a in doc.xpath("//li[contains(@class, 'dataset-item')]//*[contains(@class, 'dataset-heading')]/a")}
        assert titles == {"Penduduk Terbit", "Penduduk Terbatas"}
        # the filters above the results name what was chosen, not the stored codes
        pills = [text(p) for p in doc.xpath("//span[contains(@class, 'filtered')]")]
        assert sorted(pills) == ["CSV", "Demografi dan kependudukan"]
        assert "DEMOGRAFI_DAN_KEPENDUDUKAN" not in text(doc.xpath("//div[@id='content']")[0])
        english = page(app, "/en/dataset/?dataset_type=dataset&vocab_sektor=DEMOGRAFI_DAN_KEPENDUDUKAN")
        assert sorted(text(p) for p in english.xpath("//span[contains(@class, 'filtered')]")) == [
            "Demography and population", "Sectoral data"]
