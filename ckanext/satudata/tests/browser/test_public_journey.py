"""The public's journey in a real browser: landing page → sector → format
facet → dataset → download (bytes checked); and the same pages by keyboard
only (skip link, visible focus, search, download)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.public.conftest import World, _upload
from ckanext.satudata.tests.public.test_public_views import SMALL_CSV

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world():
    reset_world()
    return World(_upload)


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
        return {tag: el.tagName.toLowerCase(), id: el.id, text: el.innerText.trim(),
                href: el.getAttribute('href'), download: el.dataset.satudataDownload || null,
                outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
                width: box.width, height: box.height};
    }""")


def tab_to(page, predicate, limit: int = 120) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if predicate(now):
            return now
    raise AssertionError(f"not reached with {limit} Tab presses; last focus: {now}")


def test_public_browses_filters_opens_and_downloads(world, live_server, new_page, shots):
    page = new_page()
    page.goto("/")
    assert page.locator("h1").inner_text() == "Satu Data"
    assert page.locator("[data-satudata-count=datasets]").inner_text() == "2"
    shots(page, "landing")

    page.locator(".satudata-sector-list").get_by_role("link", name=re.compile("Demografi dan kependudukan")).click()
    page.wait_for_url(re.compile(r"vocab_sektor=DEMOGRAFI_DAN_KEPENDUDUKAN"))
    shots(page, "search-by-sector")

    format_facet = page.locator("section.module-narrow", has=page.locator("h2", has_text=re.compile("^\\s*Format\\s*$")))
    format_facet.get_by_role("link", name=re.compile("CSV")).click()
    page.wait_for_url(re.compile(r"res_format=CSV"))
    titles = page.locator("li.dataset-item .dataset-heading a").all_inner_texts()
    assert sorted(t.strip() for t in titles) == ["Penduduk Terbatas", "Penduduk Terbit"]
    assert "Penduduk Masih Draf" not in page.content()
    shots(page, "search-by-sector-and-format")

    page.get_by_role("link", name="Penduduk Terbit").first.click()
    page.wait_for_url(re.compile(r"/dataset/penduduk-terbit$"))
    assert page.locator("h1").inner_text().strip() == "Penduduk Terbit"
    assert page.locator(".satudata-preview tbody tr").count() == 3
    assert page.locator("figure[data-satudata-chart=year] svg").is_visible()
    assert page.locator(".satudata-indikator math mfrac").count() == 1
    shots(page, "dataset")

    with page.expect_download() as csv_download:
        page.locator("a[data-satudata-download=csv]").first.click()
    assert csv_download.value.suggested_filename == "penduduk-terbit-penduduk-kecil.csv"
    assert Path(csv_download.value.path()).read_bytes() == SMALL_CSV.encode()
    with page.expect_download() as xlsx_download:
        page.locator("a[data-satudata-download=xlsx]").first.click()
    assert Path(xlsx_download.value.path()).read_bytes()[:2] == b"PK"
    shots(page, "downloaded")


def test_keyboard_only(world, live_server, new_page, shots):
    page = new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = focused(page)
    assert (skip["href"], skip["text"]) == ("#content", "Langsung ke konten utama")
    assert skip["width"] > 1 and skip["height"] > 1, "the skip link shows when focused"
    assert skip["outline"] != "none" and skip["outlineWidth"] >= 2, "focus is visible"
    shots(page, "skip-link-focused")

    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"
    search = tab_to(page, lambda f: f["id"] == "satudata-home-q", limit=3)
    assert search["outline"] != "none"
    page.keyboard.type("terbit")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dataset/\?q=terbit"))
    shots(page, "searched-by-keyboard")

    result = tab_to(page, lambda f: f["href"] == "/dataset/penduduk-terbit")
    assert result["outline"] != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dataset/penduduk-terbit$"))
    link = tab_to(page, lambda f: f["download"] == "json")
    assert link["outline"] != "none" and link["outlineWidth"] >= 2
    shots(page, "download-link-focused")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith('[\n{"tahun": 2022')
