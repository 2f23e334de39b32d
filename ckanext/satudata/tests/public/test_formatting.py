"""Values as a person reads them (public/formatting.py), on the pages that show
them, in both languages: numbers grouped by the locale, moments in the portal's
time zone (WIB) with the day first, lists and formulas as text, no raw values."""
from __future__ import annotations

import datetime as dt
import re

import lxml.html
import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.satudata.model import Notification
from ckanext.satudata.public import formatting

# 1 December 2026 09:00 UTC = 16:00 WIB.
MOMENT = dt.datetime(2026, 12, 1, 9, 0)
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def visible(body: bytes | str) -> str:
    doc = lxml.html.fromstring(body)
    # code samples (the API snippet) are code, not values read as text
    for hidden in doc.xpath("//script|//style|//annotation|//pre|//code"):
        hidden.getparent().remove(hidden)
    return " ".join(doc.text_content().split())


def get(app, url: str, status: int = 200, token: str | None = None) -> str:
    response = app.get(url, headers={"Authorization": token} if token else None)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def token(name: str) -> str:
    return helpers.call_action("api_token_create", user=name, name="values")["token"]


def no_raw_values(text: str) -> None:
    assert "UTC" not in text
    assert "['" not in text and "{'" not in text
    assert not ISO.search(text), ISO.search(text)


# ------------------------------------------------------------ the formatter

class TestFormatter:
    @pytest.mark.parametrize("locale, number, moment, day", [
        ("id", "1.657.030", "1 Desember 2026 16.00 WIB", "1 Desember 2026"),
        ("en", "1,657,030", "1 December 2026 16:00 WIB", "1 December 2026"),
    ])
    def test_both_locales(self, test_request_context, locale, number, moment, day):
        with test_request_context(environ_overrides={"CKAN_LANG": locale}):
            assert formatting.number(1657030) == number
            assert formatting.number("1657030") == number
            assert formatting.datetime(MOMENT) == moment
            assert formatting.datetime(MOMENT.isoformat()) == moment
            assert formatting.datetime("2026-12-01T09:00:00+00:00") == moment
            assert formatting.date(MOMENT) == day

    def test_decimals_and_what_is_no_number(self, test_request_context):
        with test_request_context(environ_overrides={"CKAN_LANG": "id"}):
            assert formatting.number(60.5) == "60,5"
            assert formatting.number(1.23456, 2) == "1,23"
            assert formatting.number("Bangil") == "Bangil"
            assert formatting.number(None) == "" and formatting.number("") == ""
        with test_request_context(environ_overrides={"CKAN_LANG": "en"}):
            assert formatting.number(1234.5) == "1,234.5"

    def test_the_day_is_the_portals(self, test_request_context):
        # 20:00 UTC on 30 November is already 1 December in WIB.
        with test_request_context(environ_overrides={"CKAN_LANG": "id"}):
            assert formatting.date(dt.datetime(2026, 11, 30, 20, 0)) == "1 Desember 2026"
            assert formatting.datetime("2026-11-30") == "30 November 2026"  # a date stays a date
            assert formatting.datetime("bukan tanggal") == "" and formatting.datetime(None) == ""

    def test_text_of_stored_values(self, test_request_context):
        with test_request_context(environ_overrides={"CKAN_LANG": "en"}):
            assert formatting.text(["Penduduk", "Jenis kelamin"]) == "Penduduk; Jenis kelamin"
            assert formatting.text({"id": "Bilangan bulat", "en": "Integer"}) == "Integer"
            assert formatting.text(2023) == "2023"  # a year is no count
            assert formatting.text(MOMENT.isoformat()) == "1 December 2026 16:00 WIB"

    @pytest.mark.parametrize("text, length, expected", [
        ("Produsen Data bidang kesehatan.", 80, "Produsen Data bidang kesehatan."),
        ("Walidata Satu Data Kabupaten Pasuruan yang memeriksa data", 30, "Walidata Satu Data Kabupaten…"),
        ("Supercalifragilistic", 5, "Super…"),
    ])
    def test_truncation_at_a_word(self, text, length, expected):
        assert formatting.truncate_words(text, length) == expected


# ------------------------------------------------------------ pages

@pytest.fixture(scope="module")
def in_review(world):
    """A data sektoral waiting for the Walidata (for the queue and the notices)."""
    dataset = world.portal.dataset(name="penduduk-diperiksa", title="Penduduk Diperiksa")
    world.portal.reach(dataset, "diperiksa_walidata")
    return dataset


class TestDatasetPages:
    @pytest.mark.parametrize("prefix, cells", [
        ("", ["2022", "Bangil", "1.200", "60,5"]),
        ("/en", ["2022", "Bangil", "1,200", "60.5"]),
    ])
    def test_preview_numbers_in_the_locale_years_as_they_are(self, app, world, prefix, cells):
        doc = lxml.html.fromstring(get(app, f"{prefix}/dataset/{world.published['name']}"))
        (table,) = doc.xpath("//div[contains(@class, 'satudata-preview')]//table")
        first = [" ".join(td.text_content().split()) for td in table.xpath(".//tbody/tr[1]/td")]
        assert first == cells

    @pytest.mark.parametrize("prefix, words", [("", ("Desember", "WIB")), ("/en", ("December", "WIB"))])
    def test_resource_page_shows_status_and_time_as_words(self, app, world, prefix, words):
        url = f"{prefix}/dataset/{world.published['name']}/resource/{world.resource['id']}"
        text = visible(get(app, url))
        assert "success" not in text
        assert ("Status validasi Valid" if not prefix else "Validation status Valid") in text
        for word in words:
            assert word in text
        no_raw_values(text)

    @pytest.mark.parametrize("prefix", ["", "/en"])
    def test_indikator_page_konsep_formula_licence_files(self, app, world, prefix):
        body = get(app, f"{prefix}/indikator/{world.indikator['name']}")
        doc = lxml.html.fromstring(body)
        (konsep,) = [dd for dd in doc.xpath("//section[contains(@class, 'satudata-standar-data')]//dd")
                     if dd.xpath(".//li")]
        assert [" ".join(li.text_content().split()) for li in konsep.xpath(".//li")] == \
            world.indikator["konsep"]
        info = doc.xpath("//section[contains(@class, 'additional-info')]")[0]
        assert info.xpath(".//math"), "the formula is MathML, not LaTeX text"
        text = visible(body)
        assert "\\frac" not in text
        assert "No License Provided" not in text and "Lisensi tidak dicantumkan" not in text
        assert "This dataset has no data" not in text  # a metadata record has no file list
        no_raw_values(text)

    @pytest.mark.parametrize("prefix, january, december", [("", "Januari", "Desember"),
                                                            ("/en", "January", "December")])
    def test_kegiatan_dates_read_as_words(self, app, world, prefix, january, december):
        doc = lxml.html.fromstring(get(app, f"{prefix}/kegiatan/{world.kegiatan['name']}"))
        (info,) = doc.xpath("//section[contains(@class, 'additional-info')]")
        text = " ".join(info.text_content().split())
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
        dates = {t.get("datetime"): " ".join(t.text_content().split()) for t in info.xpath(".//time")}
        assert dates["2024-01-15"] == f"15 {january} 2024"    # tanggal_rekomendasi
        assert dates["2024-12-15"] == f"15 {december} 2024"   # rencana jadwal rilis (a list)

    def test_file_sizes_in_the_readers_language(self, test_request_context):
        with test_request_context(environ_overrides={"CKAN_LANG": "id"}):
            assert [formatting.filesize(n) for n in (781, 12800, 3355443, None, "x")] == [
                "781 byte", "12,5 kB", "3,2 MB", "", ""]
        with test_request_context(environ_overrides={"CKAN_LANG": "en"}):
            assert formatting.filesize(12800) == "12.5 kB"

    def test_dataset_without_files_says_so_in_indonesian(self, app, world):
        text = visible(get(app, f"/dataset/{world.draft['name']}", token=token("produsen-dinkes")))
        assert "This dataset has no data" not in text

    @pytest.mark.parametrize("prefix, words", [("", "Desember"), ("/en", "December")])
    def test_validation_report_time(self, app, world, prefix, words):
        url = f"{prefix}/dataset/{world.published['name']}/resource/{world.resource['id']}/validation"
        text = visible(get(app, url))
        assert words in text and "WIB" in text
        no_raw_values(text)

    @pytest.mark.parametrize("prefix, month", [("", "Desember"), ("/en", "December")])
    def test_tombstone_time(self, app, world, prefix, month):
        text = visible(get(app, f"{prefix}/dataset/{world.withdrawn['name']}", status=410))
        assert "WIB" in text
        no_raw_values(text)


class TestWorkflowPages:
    @pytest.mark.parametrize("prefix", ["", "/en"])
    def test_queue_and_dashboard_times(self, app, world, in_review, prefix):
        walidata = token("walidata")
        queue = visible(get(app, prefix + "/dashboard/antrean", token=walidata))
        assert "WIB" in queue
        no_raw_values(queue)
        doc = lxml.html.fromstring(get(app, prefix + "/dashboard/ringkasan", token=walidata))
        (caption,) = doc.xpath("//table[@data-satudata-report]/caption")
        assert not re.search(r"\d{4}-\d{2}-\d{2}", caption.text_content())  # the period as dates
        # the timeliness table fits a screen; the CSV keeps every column
        assert len(doc.xpath("//table[@data-satudata-report]/thead//th")) == 9
        no_raw_values(visible(lxml.html.tostring(doc)))

    def test_request_list_due_in_wib(self, app, world):
        helpers.call_action("satudata_request_create", {"user": "walidata", "ignore_auth": False},
                            title="Jumlah puskesmas", organization=world.portal.opd["name"],
                            due_date="2026-12-31")
        for prefix, day in (("", "31 Desember 2026 16.00 WIB"), ("/en", "31 December 2026 16:00 WIB")):
            text = visible(get(app, prefix + "/permintaan-data/", token=token("walidata")))
            assert day in text
            no_raw_values(text)

    def test_notices_give_the_due_date_in_wib(self, world, in_review):
        notices = model.Session.query(Notification).filter(
            Notification.package_id == in_review["id"]).all()
        assert notices
        for notice in notices:
            assert "UTC" not in notice.body
            if "Tenggat" in notice.body or "Due" in notice.body:
                assert "WIB" in notice.body


# ------------------------------------------------------------ OPDs, landing, about, tabs

class TestOpds:
    def test_counts_agree_on_landing_list_and_opd_page(self, app, world, in_review):
        opd = world.portal.opd["name"]
        landing = lxml.html.fromstring(get(app, "/"))
        (badge,) = landing.xpath(f"//section[contains(@class, 'satudata-opds')]//li[a[contains(@href, '/{opd}')]]"
                                 "//*[@data-satudata-published-count]")
        listed = lxml.html.fromstring(get(app, "/organization/"))
        (count,) = listed.xpath(f"//li[.//a[contains(@href, '/organization/{opd}')]]//*[@data-satudata-published-count]")
        found = helpers.call_action("package_search", {"user": ""}, fq=f"organization:{opd}",
                                    include_private=False)["count"]
        # published: data sektoral (2: one open, one restricted), kegiatan, indikator
        assert badge.get("data-satudata-published-count") == count.get("data-satudata-published-count") \
            == str(found) == "4"
        assert "4 dataset terpublikasi" in " ".join(count.text_content().split())

    def test_roles_of_the_steward_organizations(self, app, world):
        doc = lxml.html.fromstring(get(app, "/organization/"))
        roles = {b.get("data-satudata-org-role"): " ".join(b.text_content().split())
                 for b in doc.xpath("//*[@data-satudata-org-role]")}
        assert roles["diskominfo"] == "Walidata"
        assert roles["bps"] == "Pembina Data (BPS)"
        assert roles[world.portal.opd["name"]] == "Produsen Data"
        en = lxml.html.fromstring(get(app, "/en/organization/"))
        assert {b.get("data-satudata-org-role"): " ".join(b.text_content().split())
                for b in en.xpath("//*[@data-satudata-org-role]")}["diskominfo"] == "Data steward"

    def test_descriptions_end_at_a_word(self, app, world):
        long = ("Dinas yang menyelenggarakan urusan pemerintahan bidang kesehatan termasuk "
                "pelayanan puskesmas rumah sakit daerah dan laboratorium kesehatan masyarakat")
        helpers.call_action("organization_patch", {"user": "admin-satudata"}, id="dinas-pendidikan",
                            description=long)
        doc = lxml.html.fromstring(get(app, "/organization/"))
        (shown,) = doc.xpath("//li[.//a[contains(@href, '/organization/dinas-pendidikan')]]"
                             "//p[contains(@class, 'media-description')]")
        text = " ".join(shown.text_content().split())
        assert text.endswith("…") and len(text) <= 121
        assert long.startswith(text[:-1]) and long[len(text) - 1] == " "


class TestBrandingAndAbout:
    @pytest.mark.parametrize("prefix, heading, words", [
        ("", "Tentang Satu Data (test)", "portal Satu Data Indonesia Kabupaten Pasuruan"),
        ("/en", "About Satu Data (test)", "Satu Data Indonesia portal of Kabupaten Pasuruan"),
    ])
    def test_about_is_the_portals(self, app, world, prefix, heading, words):
        body = get(app, prefix + "/about")
        doc = lxml.html.fromstring(body)
        assert [" ".join(h.text_content().split()) for h in doc.xpath("//h1")] == [heading]
        text = visible(body)
        assert words in text and "CKAN is the world" not in text
        assert "Dinas Komunikasi" not in text or "Walidata" in text

    @pytest.mark.ckan_config("ckan.site_about", "Portal data **kami**.")
    def test_about_text_is_configurable(self, app, world):
        assert "Portal data kami." in visible(get(app, "/about"))

    def test_header_shows_the_portal_not_ckan(self, app, world):
        doc = lxml.html.fromstring(get(app, "/"))
        (brand,) = doc.xpath("//a[contains(@class, 'satudata-brand')]")
        assert " ".join(brand.text_content().split()) == "Satu Data (test) Kabupaten Pasuruan"
        assert not doc.xpath("//img[contains(@src, 'ckan-logo')]")

    @pytest.mark.ckan_config("ckan.site_logo", "/logo-kabupaten.png")
    def test_logo_is_configurable(self, app, world):
        doc = lxml.html.fromstring(get(app, "/"))
        assert doc.xpath("//a[contains(@class, 'satudata-brand')]//img[@src='/logo-kabupaten.png']")


class TestTabs:
    def test_no_empty_groups_or_activity_tab_for_the_public(self, app, world):
        doc = lxml.html.fromstring(get(app, f"/dataset/{world.published['name']}"))
        tabs = [" ".join(a.text_content().split()) for a in doc.xpath("//ul[contains(@class, 'nav-tabs')]//a")]
        assert "Grup" not in tabs
        has_activity = bool(helpers.call_action("package_activity_list", {"user": "", "ignore_auth": False},
                                                id=world.published["id"], limit=1))
        assert ("Aliran Aktivitas" in tabs or "Activity Stream" in tabs
                or any("ktivitas" in t for t in tabs)) == has_activity

    def test_activity_tab_for_the_producer(self, app, world):
        doc = lxml.html.fromstring(get(app, f"/dataset/{world.published['name']}",
                                       token=token("produsen-dinkes")))
        assert doc.xpath("//ul[contains(@class, 'nav-tabs')]//a[contains(@href, '/dataset/activity/')]")
