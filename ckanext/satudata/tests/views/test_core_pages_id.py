"""CKAN core pages a user reaches, as the `id` locale renders them: the words
core's catalog leaves English are ours to translate, each page has one h1, a
user without a picture gets local initials (never a Gravatar, which is a
broken image offline), the error pages speak Indonesian."""
from __future__ import annotations

import lxml.html
import pytest

from ckan.tests import factories as ckan_factories

from ckanext.satudata.tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def _page(app, url: str, token: str | None = None, status: int = 200):
    response = app.get(url, headers={"Authorization": token} if token else {}, follow_redirects=False)
    assert response.status_code == status, (url, response.status_code)
    return response.body, lxml.html.fromstring(response.body)


def _visible_text(tree) -> str:
    for hidden in tree.xpath("//script | //style | //*[contains(@class, 'visually-hidden')]"):
        hidden.getparent().remove(hidden)
    return " ".join(tree.text_content().split())


@pytest.fixture
def producer():
    user = ckan_factories.User(fullname="Siti Rahma", image_url="")
    factories.opd(users=[{"name": user["name"], "capacity": "editor"}], image_url="")
    return ckan_factories.APIToken(user=user["name"])["token"]


def test_the_dashboard_in_indonesian_with_one_h1_and_an_initials_avatar(app, producer):
    body, tree = _page(app, "/dashboard/datasets", producer)
    assert len(tree.xpath("//h1")) == 1
    text = _visible_text(tree)
    for english in ("News feed", "My Datasets", "My Organizations", "My Groups", "Profile settings",
                    "You haven't created any datasets", "Powered by"):
        assert english not in text
    for indonesian in ("Kabar terbaru", "Dataset Saya", "Organisasi Saya", "Pengaturan profil", "Didukung oleh"):
        assert indonesian in text
    assert "gravatar.com" not in body
    avatar = tree.xpath("//*[contains(@class, 'satudata-avatar')]")
    assert avatar and avatar[0].text_content().strip() == "SR"
    assert avatar[0].get("aria-label") == "Siti Rahma"
    # the account menu's tooltips (a walk read "View profile", "Dashboard (0 new item)")
    titles = set(tree.xpath("//*[contains(@class, 'account')]//a/@title"))
    assert {"Lihat profil", "Dasbor (0 item baru)"} <= titles, titles


def test_the_new_dataset_and_resource_forms_in_indonesian_with_one_h1(app, producer):
    _body, tree = _page(app, "/dataset/new", producer)
    text = _visible_text(tree)
    for english in ("Create Dataset", "What are datasets?", "A CKAN Dataset is", "The data license you select",
                    "Required field", "Markdown formatting"):
        assert english not in text
    assert [h.text_content().strip() for h in tree.xpath("//h1")] == ["Buat Dataset"]
    assert "Apa itu dataset?" in text and "Wajib diisi" in text

    _body, tree = _page(app, "/kegiatan/new", producer)
    assert [h.text_content().strip() for h in tree.xpath("//h1")] == ["Buat Kegiatan"]


def test_licence_choices_in_indonesian(app, producer):
    """CKAN's catalogue gave "Lainnya (Not Open)", "Lainnya (Attribution)"."""
    def choices(url):
        _body, tree = _page(app, url, producer)
        return [o.text_content().strip() for o in tree.xpath("//select[@id='field-license_id']/option")]

    found = choices("/dataset/new")
    assert {"Lainnya (Tidak Terbuka)", "Lainnya (Terbuka)", "Lainnya (Atribusi)",
            "Lainnya (Nonkomersial)", "Creative Commons Attribution"} <= set(found), found
    assert not [c for c in found if "Not Open" in c or "(Open)" in c or "(Attribution)" in c]
    english = choices("/en/dataset/new")
    assert {"Other (Not Open)", "Other (Open)", "Other (Attribution)"} <= set(english), english


def test_a_missing_page_answers_in_indonesian_with_one_h1(app):
    _body, tree = _page(app, "/dataset/tidak-ada-dataset-ini", status=404)
    assert [" ".join(h.text_content().split()) for h in tree.xpath("//h1")] == ["404 Tidak ditemukan"]
    _body, tree = _page(app, "/tidak/ada/halaman/ini", status=404)
    text = _visible_text(tree)
    assert "404 Tidak ditemukan" in text and "Alamat yang diminta tidak ada" in text
    assert "The requested URL" not in text


def test_english_stays_english(app, producer):
    """The translations are the `id` locale's: /en/ keeps CKAN's words."""
    _body, tree = _page(app, "/en/dashboard/datasets", producer)
    assert "My Datasets" in _visible_text(tree)


def test_opds_without_a_logo_get_initials_that_tell_them_apart(app):
    for name, title in (("dinkes", "Dinas Kesehatan"),
                        ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
                        ("diskominfo", "Dinas Komunikasi dan Informatika")):
        factories.opd(name=name, title=title, image_url="")
    _, tree = _page(app, "/organization/")
    cards = {" ".join(card.xpath(".//h2")[0].text_content().split()):
             card.xpath(".//*[contains(@class, 'satudata-org-initials')]")[0].text_content().strip()
             for card in tree.xpath("//li[contains(@class, 'media-item')]")}
    assert cards == {"Dinas Kesehatan": "DK", "Dinas Kependudukan dan Pencatatan Sipil": "DKP",
                     "Dinas Komunikasi dan Informatika": "DKI"}


def test_a_revisions_edit_form_in_indonesian(app, portal, upload_resource):
    """The revision's edit form (reached from "Buat revisi"): the breadcrumb, the
    file menu of the sidebar and the URL field's button were English (a walk)."""
    from ckan.lib import i18n
    from ckan.tests import helpers

    dataset = portal.dataset(name="penduduk-2023")
    upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"])
    portal.validate(dataset["id"])
    portal.reach(dataset, "terpublikasi")
    copy = helpers.call_action("satudata_revision_create", {"user": portal.produsen["name"]},
                               id=dataset["id"])
    token = ckan_factories.APIToken(user=portal.produsen["name"])["token"]

    _body, tree = _page(app, f"/dataset/edit/{copy['name']}/1", token)
    crumbs = [" ".join(li.text_content().split()) for li in tree.xpath("//ol[contains(@class, 'breadcrumb')]/li")]
    assert crumbs[-1] == "Ubah", crumbs
    (menu,) = tree.xpath("//section[contains(@class, 'resources')]//ul[contains(@class, 'dropdown-menu')]")
    assert [" ".join(a.text_content().split()) for a in menu.xpath(".//a")] == [
        "Ubah sumber data", "Tampilan"]
    assert tree.xpath("//section[contains(@class, 'resources')]//button/@aria-label") == [
        "Kelola sumber data: penduduk_valid.csv"]
    text = _visible_text(tree)
    for english in ("Edit", "Views", "Manage resource"):
        assert english not in text.split(), english
    _body, tree = _page(app, f"/en/dataset/edit/{copy['name']}/1", token)
    assert " ".join(tree.xpath("//ol[contains(@class, 'breadcrumb')]/li")[-1].text_content().split()) == "Edit"

    (resource,) = copy["resources"]
    _body, tree = _page(app, f"/dataset/{copy['name']}/resource/{resource['id']}/edit", token)
    text = _visible_text(tree)
    for english in ("View resource", "Update Resource", "Edit"):
        assert english not in text, english
    assert "Lihat sumber data" in text and "Perbarui Sumber Data" in text

    # The URL field's "Edit" button is drawn by CKAN's slug-preview script, whose
    # words come from /api/i18n/id: built at start from CKAN's catalogue and ours.
    i18n.build_js_translations()
    words = app.get("/api/i18n/id").json
    assert words["Edit"] == [None, "Ubah"]
