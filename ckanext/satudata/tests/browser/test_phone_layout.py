"""The portal at phone width (390×844, the size the issue measured): the
dataset's title comes first (not ~1,100 px down under the sidebar), and no
page scrolls sideways; wide tables scroll inside their own box. The same
pages at 1280×900 for comparison. Screenshots of each in test-artifacts/."""
from __future__ import annotations

import pytest

from ckanext.satudata.tests.browser.conftest import PASSWORD, log_in as _log_in
from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.public.conftest import World, _upload

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def world():
    reset_world()
    built = World(_upload)
    # One dataset waiting for the Walidata, so the queue has rows to lay out.
    waiting = built.portal.dataset(name="penduduk-antre", title="Penduduk Menunggu Pemeriksaan")
    built.portal.reach(waiting, "diperiksa_walidata")
    import ckan.model as model

    for name in ("walidata", "produsen-dinkes"):
        model.User.get(name).password = PASSWORD  # hashed by the model
    model.repo.commit()
    return built


def _pages(world):
    resource = world.resource["id"]
    return [
        ("dataset", "/dataset/penduduk-terbit", None, True),
        ("resource", f"/dataset/penduduk-terbit/resource/{resource}", None, True),
        ("search", "/dataset/", None, False),
        ("queue", "/dashboard/antrean", "walidata", False),
        ("summary", "/dashboard/ringkasan", "walidata", False),
        ("notifications", "/dashboard/notifikasi", "produsen-dinkes", False),
        ("my-datasets", "/dashboard/datasets", "produsen-dinkes", False),
    ]


def _measure(page) -> dict:
    return page.evaluate("""() => {
        const h1 = document.querySelector('h1');
        const wide = [...document.querySelectorAll('body *')].filter(el => {
            const box = el.getBoundingClientRect();
            return box.width > 0 && box.right > document.documentElement.clientWidth + 1 &&
                   getComputedStyle(el).position !== 'fixed' && !el.closest('.table-responsive, .satudata-scroll');
        }).slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'));
        return {scrollWidth: document.documentElement.scrollWidth,
                titleY: h1 ? h1.getBoundingClientRect().top + window.scrollY : null, wide};
    }""")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pages_fit_the_screen_and_the_title_comes_first(world, live_server, browser, shots, viewport):
    measured = {}
    for name, url, user, titled in _pages(world):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        if user:
            _log_in(page, user)
        response = page.goto(url)
        assert response.status == 200, (name, response.status)
        shots(page, name)
        measured[name] = _measure(page)
        context.close()
    print(measured)
    width = viewport["width"]
    too_wide = {n: m for n, m in measured.items() if m["scrollWidth"] > width}
    assert not too_wide, too_wide
    if viewport is PHONE:
        for name, url, user, titled in _pages(world):
            if titled:
                assert measured[name]["titleY"] < 400, (name, measured[name])


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_chart_text_and_dashboard_tables_read_at_each_width(world, live_server, browser, shots,
                                                            viewport):
    """The chart's labels were ~6 px on a phone (a 640-unit drawing shrunk to
    half) under a "no views yet" that was wrong; the Dasbor's timeliness table
    scrolled sideways inside its box."""
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.goto(f"/dataset/penduduk-terbit/resource/{world.resource['id']}")
    shots(page, "chart")
    sizes = page.evaluate("""() => [...document.querySelectorAll('figure[data-satudata-chart] svg text')]
        .filter(t => t.getBoundingClientRect().height > 0)
        .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)""")
    assert sizes and min(sizes) >= 11, sizes
    assert page.locator(".data-viewer-info").count() == 0
    _log_in(page, "walidata")
    page.goto("/dashboard/ringkasan")
    shots(page, "summary-tables")
    boxes = page.evaluate("""() => [...document.querySelectorAll(
        '[data-satudata-report], [data-satudata-epss-table]')].map(t => {
            const box = t.closest('.table-responsive') || t;
            return [box.scrollWidth, box.clientWidth]; })""")
    assert boxes and all(scroll <= width + 1 for scroll, width in boxes), boxes
    context.close()


def test_variables_from_an_uploaded_file_in_one_compact_table(world, live_server, browser, shots,
                                                              tmp_path):
    """The issue's 11-column CSV gave a 21,000-px form of 18 fields per variable;
    after the upload the operator lands on one line per column instead."""
    columns = ["tahun", "kecamatan", "desa", "laki_laki", "perempuan", "jumlah", "kk",
               "luas_km2", "kepadatan", "rasio_jk", "keterangan"]
    path = tmp_path / "penduduk_desa.csv"
    path.write_text(",".join(columns) + "\n" + "".join(
        f"{2020 + i % 4},Kec {i % 3},Desa {i},{100 + i},{110 + i},{210 + 2 * i},{50 + i},"
        f"{i + 0.5},{300 + i},{95 + i % 5},catatan\n" for i in range(30)))
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    _log_in(page, "produsen-dinkes")
    page.goto("/dataset/penduduk-draf/resource/new")
    page.set_input_files("#field-resource-upload", str(path))
    page.fill("#field-name", "Penduduk per desa")
    page.locator("#field-format").evaluate("el => { el.value = 'CSV'; }")
    shots(page, "resource-form")
    form_height = page.evaluate("document.documentElement.scrollHeight")
    with page.expect_navigation():
        page.locator("form#resource-edit button[name=save].btn-primary").last.click()
    assert "/schema?next=" in page.url, page.url

    rows = page.locator("tr.satudata-variable")
    assert rows.count() == 11
    height = page.evaluate("document.documentElement.scrollHeight")
    assert page.locator("details[open]").count() == 0
    type_of = {c: page.locator(f"select[name=variabel-{i}-type]").input_value()
               for i, c in enumerate(columns)}
    assert type_of["tahun"] == "year" and type_of["jumlah"] == "integer"
    assert page.locator("select[name=variabel-0-type] option:checked").inner_text() == "Tahun"
    shots(page, "variables-table")
    print({"resource_form_height": form_height, "variables_page_height": height})
    assert height < 3000, height

    page.fill("input[name=variabel-5-description]", "Laki-laki ditambah perempuan")
    page.fill("input[name=variabel-5-satuan]", "Jiwa")
    page.locator("tr.satudata-variable-more summary").nth(5).click()
    page.fill("input[name=variabel-5-konsep]", "Penduduk menurut administrasi kependudukan")
    shots(page, "variables-filled")
    phone = page.context.browser.new_context(base_url=live_server.url, viewport=PHONE)
    phone_page = phone.new_page()
    _log_in(phone_page, "produsen-dinkes")
    phone_page.goto(page.url)
    shots(phone_page, "variables-table-phone")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.close()

    with page.expect_navigation():
        page.click("form button[type=submit].btn-primary")
    assert "/schema" not in page.url
    found = page.context.request.get("/api/3/action/package_show?id=penduduk-draf").json()
    resource = next(r for r in found["result"]["resources"] if r["name"] == "Penduduk per desa")
    jumlah = next(f for f in resource["schema"]["fields"] if f["name"] == "jumlah")
    assert jumlah["description"] == "Laki-laki ditambah perempuan"
    assert jumlah["msvar"] == {"satuan": "Jiwa", "konsep": "Penduduk menurut administrasi kependudukan"}
    context.close()
