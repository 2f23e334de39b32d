"""The listings' description summaries (public/extracts.py) are CKAN's own
markdown_extract, text for text, though the converters are reused."""
from __future__ import annotations

import threading

import lxml.html
import pytest

import ckan.lib.helpers as core_helpers
import ckan.plugins.toolkit as tk

from ckanext.satudata.public import extracts
from ckanext.satudata.tests.dcat.conftest import reach
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)

CORPUS = [
    "",
    "Jumlah penduduk menurut kecamatan di Kabupaten Pasuruan.",
    "Data **jumlah penduduk** menurut _kecamatan_.\n\nSumber: SIAK; lihat [metadata](https://example.org).\n\n"
    "- satu\n- dua\n\n1. a\n2. b\n\n    kode <b>tebal</b>\n\n> kutipan",
    "# Judul\n\n<div class='x'>blok <em>HTML</em></div>\n\nteks",
    "<script>alert(1)</script> sesudah",
    "<img src=x onerror=alert(1)> gambar",
    "[tautan](javascript:alert(1)) dan <a href='http://a'>a</a>",
    "a < b & c > d, 5 &lt; 6 &amp; &copy; &#169;",
    "<!-- komentar --> teks <p>tak ditutup <b>tebal",
    "`kode <b>`",
    "satu\nbaris\n\n\n\ndua   spasi",
    "é è ü — “kutip” 日本",
    "kata " * 120,
    "x" * 400,
    "[rujukan][r]\n\n[r]: http://example.org/r",
    "catatan[^1]\n\n[^1]: kaki",
]
LENGTHS = [190, 180, 0, 10, 1]


def _outcome(extract, *args, **kwargs):
    try:
        value = extract(*args, **kwargs)
    except Exception as error:  # noqa: BLE001  (a length too short for "..." fails in CKAN too)
        return type(error), str(error)
    return type(value), value


@pytest.mark.parametrize("text", CORPUS)
def test_same_text_as_ckans_own(text):
    for length in LENGTHS + [len(text), len(text) + 1, max(len(text) - 1, 1)]:
        ours = _outcome(extracts.markdown_extract, core_helpers.markdown_extract, text, extract_length=length)
        assert ours == _outcome(core_helpers.markdown_extract, text, extract_length=length), (text, length)


def test_one_text_does_not_leak_into_the_next():
    # A reused converter keeps the link references of the text before unless reset.
    defines = "definisi\n\n[r]: http://example.org/rahasia"
    uses = "pakai [rujukan][r]"
    assert extracts.plain_text(defines) == "definisi"
    assert extracts.plain_text(uses) == core_helpers.markdown_extract(uses, extract_length=0)
    assert "[rujukan][r]" in extracts.plain_text(uses)


def test_threads_do_not_share_converters():
    texts = [f"**teks {i}** [r{i}]\n\n[r{i}]: http://e/{i}\n\n" + "kata " * (i % 7) for i in range(40)]
    expected = [core_helpers.markdown_extract(t, extract_length=0) for t in texts]
    results: dict[int, list[str]] = {}
    tools = set()

    def work(n):
        results[n] = [extracts.plain_text(t) for t in texts * 5]
        tools.add(id(extracts._tools()[0]))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(found == expected * 5 for found in results.values())
    assert len(tools) == 4


def test_the_search_page_uses_it(app, portal):  # noqa: F811
    published = portal.dataset(title="Penduduk menurut Kecamatan",
                               notes="Penduduk **menurut** kecamatan <script>x()</script>.")
    reach(portal, published, "terpublikasi")
    with app.flask_app.test_request_context("/dataset/"):
        assert tk.h.markdown_extract.func is extracts.markdown_extract
    doc = lxml.html.fromstring(app.get("/dataset/?q=penduduk").body)
    (item,) = doc.xpath(f"//li[.//a[contains(@href,'/{published['name']}')]]")
    assert "Penduduk menurut kecamatan x()." in item.text_content()
    assert not item.xpath(".//script|.//strong")
