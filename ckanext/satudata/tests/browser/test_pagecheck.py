"""The page checker itself, on small HTML pages in Chromium: it passes a good
page and fails a bad one for each check (no live server needed)."""
from __future__ import annotations

import pytest

from ckanext.satudata.tests.browser import pagecheck

pytestmark = pytest.mark.browser

PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Create Dataset"
msgstr "Buat Dataset"

msgid "Powered by"
msgstr ""

msgid "Showing {count} of {total} datasets"
msgstr "Menampilkan {count} dari {total} dataset"

msgid "Format"
msgstr "Format"

msgid "Not Found"
msgstr "Tidak Ditemukan"

msgid "{num} Dataset"
msgstr ""

msgid "Dataset"
msgstr "Dataset"

msgid "You can also access this registry using the <a href=\\"%(api_link)s\\">API</a>"
msgstr "Anda juga dapat mengakses melalui <a href=\\"%(api_link)s\\">API</a>"
'''

GOOD = """<!doctype html><html lang="id"><body>
<h1>404 Tidak Ditemukan</h1>
<p>Format</p><p>CSV</p><p>Buat Dataset</p><p>Menampilkan 3 dari 10 dataset</p>
<span class="badge" style="background:#0b5ed7;color:#fff">Terpublikasi</span>
<span style="background:#198754"><span data-satudata-state="x" style="color:#fff;background:transparent">Disetujui</span></span>
<p>Dibuat 1 Desember 2026 16.00 WIB</p>
<pre><code>for resource in dataset['resources']:</code></pre>
<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" alt="">
<label for="a">Judul</label><input id="a">
<input aria-label="Cari">
<span id="l">Catatan</span><textarea aria-labelledby="l"></textarea>
<label>Sektor <select><option>—</option></select></label>
<input type="hidden" name="x"><input type="submit" value="Simpan">
<div style="display:none"><input id="hidden-unlabelled"><h1>Tersembunyi</h1><p>Create Dataset</p></div>
</body></html>"""

BAD = {
    "english": "<h1>x</h1><a href='#'>Create Dataset</a>",
    "english-untranslated": "<h1>x</h1><footer><strong>Powered by</strong> <a href='#'>CKAN</a></footer>",
    "english-status": "<h1>404 Not Found</h1>",
    "english-placeholder": "<h1>x</h1><p>Showing 3 of 10 datasets</p>",
    "english-markup": "<h1>x</h1><p>You can also access this registry using the <a href='/api'>API</a></p>",
    "english-input-placeholder": "<h1>x</h1><label for='q'>Cari</label><input id='q' placeholder='Create Dataset'>",
    "contrast": "<h1>x</h1><span class='badge' style='color:#fff'>Terpublikasi</span>",
    "contrast-state": "<h1>x</h1><div style='background:#ffc107'><span data-satudata-state='a' style='color:#fff'>Diperiksa</span></div>",
    "raw-dict": "<h1>x</h1><p>{'id': 'Bilangan bulat', 'en': 'Integer'}</p>",
    "raw-list": "<h1>x</h1><p>['Penduduk', 'Jiwa']</p>",
    "raw-timestamp": "<h1>x</h1><p>Dibuat 2026-12-01T09:00:00</p>",
    "image": "<h1>x</h1><img src='/tidak-ada.png' alt='rusak'>",
    "h1-none": "<h2>x</h2>",
    "h1-two": "<h1>x</h1><h1>y</h1>",
    "label": "<h1>x</h1><input name='judul'>",
    "label-select": "<h1>x</h1><select name='s'><option>a</option></select>",
    "label-empty": "<h1>x</h1><label for='t'> </label><textarea id='t'></textarea>",
}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    po = tmp_path_factory.mktemp("po") / "id.po"
    po.write_text(PO, encoding="utf-8")
    return pagecheck.build_catalog([po])


@pytest.fixture
def page(browser):
    context = browser.new_context(base_url="http://127.0.0.1:9", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def load(page, body: str) -> None:
    page.route("**/*", lambda route: route.fulfill(status=404, body="") if route.request.url.endswith(".png")
               else route.fulfill(status=200, content_type="text/html", body=body))
    page.goto("/halaman")


def test_a_good_page_passes(page, catalog):
    load(page, GOOD)
    assert pagecheck.check_page(page, catalog) == []


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_page_fails(page, catalog, case):
    load(page, f"<!doctype html><html><body>{BAD[case]}</body></html>")
    failures = pagecheck.check_page(page, catalog)
    check = case.split("-")[0]
    assert [f.check for f in failures] == [check] * len(failures) and failures, failures
    assert all(f.url.endswith("/halaman") for f in failures)
    with pytest.raises(AssertionError, match=rf"/halaman \[{check}\]"):
        pagecheck.assert_page_ok(page, catalog)


def test_a_translation_later_in_the_list_wins(tmp_path):
    """Our catalog is merged after CKAN's (as flask-babel merges them): where ours
    keeps a word as it is, the page may show it."""
    core, ours = tmp_path / "core.po", tmp_path / "ours.po"
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    core.write_text(header + 'msgid "Download"\nmsgstr "Unduh"\n', encoding="utf-8")
    ours.write_text(header + 'msgid "Download"\nmsgstr "Download"\n', encoding="utf-8")
    assert pagecheck.build_catalog([core]).english("Download")
    assert not pagecheck.build_catalog([core, ours]).english("Download")


def test_the_installed_catalogs_know_core_english():
    """CKAN's catalog, ours and the strings scheming marks are all read."""
    catalog = pagecheck.installed_catalog()
    assert catalog.english("Search")              # CKAN core, translated "Cari"
    assert catalog.english("Log in")              # empty in core, translated by ours
    assert catalog.english("These fields have been removed.")  # scheming (no id catalog)
    assert not catalog.english("CSV")
