"""The Dasbor's EPSS section in Chromium at 1280 and 390 px: the chart, the table
(cards on a phone), the downloads; nothing scrolls sideways. Screenshots of the
section in test-artifacts/."""
from __future__ import annotations

import pytest

from ckanext.satudata.tests.browser.conftest import DESKTOP, PASSWORD, PHONE, log_in
from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.logic.conftest import Clock, walk_quarter
from ckanext.satudata.tests.workflow.conftest import Portal

pytestmark = pytest.mark.browser

URL = "/dashboard/ringkasan?epss_year=2026&epss_quarter=2"


@pytest.fixture(scope="module")
def world():
    import ckan.model as model

    reset_world()
    portal = Portal()
    with pytest.MonkeyPatch.context() as monkeypatch:
        walk_quarter(portal, Clock(monkeypatch))
    walidata = model.User.get("walidata")
    walidata.password = PASSWORD  # hashed by the model
    walidata.image_url = None  # ckan's factory gives an external dummy picture
    model.repo.commit()
    return portal


def _overflow(page) -> dict:
    """The page's width and what inside the EPSS section reaches past the screen."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const section = document.querySelector('[data-satudata-epss]');
        const wide = [...section.querySelectorAll('*')].filter(el => {
            const box = el.getBoundingClientRect();
            return box.width > 0 && box.right > width + 1;
        }).slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'));
        return {scrollWidth: document.documentElement.scrollWidth, width, wide};
    }""")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_section_fits_and_reads(world, live_server, browser, shots, viewport):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="id-ID",
                                  timezone_id="Asia/Jakarta", accept_downloads=True)
    try:
        page = context.new_page()
        log_in(page, "walidata")
        assert page.goto(URL).status == 200
        section = page.locator("[data-satudata-epss]")
        section.scroll_into_view_if_needed()
        section.screenshot(path=str(shots.dir / f"epss-{viewport['width']}.png"))
        measured = _overflow(page)
        assert measured["scrollWidth"] <= viewport["width"] and not measured["wide"], measured

        table = section.locator("table[data-satudata-epss-table]")
        header = table.locator("thead")
        row = table.locator("tr[data-satudata-epss-org=dinas-kesehatan]")
        if viewport is PHONE:
            # cards: the header is only for screen readers, each cell says its column
            assert header.bounding_box()["height"] < 4  # a 1 px clip box (and its border)
            assert row.locator("td").first.evaluate(
                "el => getComputedStyle(el, '::before').content") == '"Dataset diminta"'
        else:
            assert header.is_visible()
        chart = section.locator("[data-satudata-epss-chart] svg")
        assert chart.bounding_box()["width"] <= viewport["width"]

        with page.expect_download() as download:
            section.locator("[data-satudata-epss-xlsx]").click()
        assert download.value.suggested_filename == "epss-2026-04-01-2026-06-30.xlsx"
        if viewport is DESKTOP:  # the page checks, at both widths (look sets them)
            shots.look(page, "dasbor")
            shots.assert_pages_ok()
    finally:
        context.close()
