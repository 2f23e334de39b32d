"""form_pages.js in Chromium: the MS-Keg page list shows Blok V only while
"Survei" is chosen. The first form page is rendered by the CKAN test app and
loaded as it is (no live server needed: the script acts on the page alone)."""
from __future__ import annotations

from pathlib import Path

from ckan.tests import factories as ckan_factories

from ckanext.satudata.tests import factories

SCRIPT = Path(__file__).resolve().parents[2] / "assets" / "form_pages.js"


def test_blok_v_follows_the_collection_method(app, clean_db, clean_index, browser):
    user = ckan_factories.User()
    factories.opd(users=[{"name": user["name"], "capacity": "editor"}])
    token = ckan_factories.APIToken(user=user["name"])["token"]
    html = app.get("/kegiatan/new", headers={"Authorization": token}).body
    # The page's own scripts are served by CKAN; only form_pages.js matters here.
    html = html.replace("</body>", f"<script>{SCRIPT.read_text()}</script></body>")

    page = browser.new_page()
    try:
        page.set_content(html, wait_until="domcontentloaded")
        blok_v = page.locator("[data-satudata-stepper] li", has_text="Blok V. Desain Sampel")
        assert blok_v.is_hidden()
        page.select_option("select[name=cara_pengumpulan_data]", "SURVEI", force=True)
        assert blok_v.is_visible()
        page.select_option("select[name=cara_pengumpulan_data]", "PENCACAHAN_LENGKAP", force=True)
        assert blok_v.is_hidden()
        assert page.locator("[data-satudata-stepper] li:visible").count() == 8
    finally:
        page.close()
