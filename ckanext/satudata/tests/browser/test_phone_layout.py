"""The portal at phone width (390×844, the size the issue measured): the
dataset's title comes first (not ~1,100 px down under the sidebar), and no
page scrolls sideways; wide tables scroll inside their own box. The same
pages at 1280×900 for comparison. Screenshots of each in test-artifacts/."""
from __future__ import annotations

import pytest

from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.public.conftest import World, _upload

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "sandi-uji-ponsel-2024"


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


def _log_in(page, user: str) -> None:
    page.goto("/user/login")
    page.fill("#field-login", user)
    page.fill("#field-password", PASSWORD)
    with page.expect_navigation():
        page.locator("#field-password").press("Enter")
    assert "/user/login" not in page.url, f"{user} could not log in"


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
