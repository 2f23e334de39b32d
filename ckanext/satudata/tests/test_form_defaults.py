"""No silent defaults in the dataset forms: required selects start on
"— pilih —" and an empty choice is refused with a clear message; the region
starts as the portal's; a workflow dataset offers no "Publik"."""
import lxml.html
import pytest

from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.tests import factories
from ckanext.satudata.tests.test_views import editor  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def _doc(app, url, headers):
    return lxml.html.fromstring(app.get(url, headers=headers, status=200).body)


def _selected(doc, name):
    (select,) = doc.xpath(f"//select[@name='{name}']")
    chosen = select.xpath("option[@selected]")
    first = select.xpath("option")[0]
    return (chosen[0].get("value") if chosen else None), (first.get("value"), first.text_content())


@pytest.mark.parametrize("url, names", [
    ("/dataset/new", ["sektor"]),
    ("/kegiatan/new", ["jenis_statistik", "cara_pengumpulan_data", "sektor_kegiatan"]),
])
def test_required_selects_start_empty(app, editor, url, names):  # noqa: F811
    doc = _doc(app, url, editor["headers"])
    for name in names:
        chosen, first = _selected(doc, name)
        assert first == ("", "— pilih —") and chosen in (None, ""), name


def test_later_page_selects_start_empty_and_region_is_the_portals(app, editor):  # noqa: F811
    draft = factories.create_data_sektoral(
        editor["org"]["id"], editor["name"], state="draft", level_penyajian="",
        frekuensi="", kode_wilayah="")
    doc = _doc(app, f"/dataset/new/{draft['name']}/3", editor["headers"])
    for name in ("level_penyajian", "frekuensi"):
        assert _selected(doc, name)[0] in (None, ""), name
    assert doc.xpath("//input[@name='kode_wilayah']/@value") == ["35.14"]
    # A saved choice is shown, never replaced.
    kept = factories.create_data_sektoral(editor["org"]["id"], editor["name"], state="draft",
                                          kode_wilayah=["35.15"])
    doc = _doc(app, f"/dataset/new/{kept['name']}/3", editor["headers"])
    assert _selected(doc, "frekuensi")[0] == "TAHUNAN"
    assert doc.xpath("//input[@name='kode_wilayah']/@value") == ["35.15"]


def test_an_empty_required_choice_is_refused_with_a_clear_message(editor):  # noqa: F811
    context = {"user": editor["name"], "ignore_auth": False}
    fields = factories.data_sektoral(editor["org"]["id"], sektor="", frekuensi="")
    with pytest.raises(helpers.logic.ValidationError) as refused:
        helpers.call_action("package_create", context, **fields)
    assert refused.value.error_dict["sektor"] == ["Choose one of the options"]
    assert refused.value.error_dict["frekuensi"] == ["Choose one of the options"]
    # A draft may still leave it for later (the submission gate asks again).
    draft = helpers.call_action("package_create", context, **dict(fields, state="draft"))
    assert draft.get("sektor") in ("", None)


def test_the_refusal_reads_in_indonesian_on_the_form(app, editor):  # noqa: F811
    draft = factories.create_data_sektoral(editor["org"]["id"], editor["name"])
    response = app.post(f"/dataset/edit/{draft['name']}", headers=editor["headers"], data={
        **{k: v for k, v in factories.data_sektoral(editor["org"]["id"]).items()
           if isinstance(v, str)}, "name": draft["name"], "sektor": "", "save": ""})
    assert "Pilih salah satu pilihan" in response.body


def test_no_public_choice_for_a_workflow_dataset(app, editor):  # noqa: F811
    doc = _doc(app, "/dataset/new", editor["headers"])
    assert not doc.xpath("//select[@name='private']")
    assert doc.xpath("//input[@name='private']/@value") == ["True"]
    assert "Privat sampai dipublikasikan" in doc.text_content()


class TestLinksByTitle:
    def _search(self, user, **params):
        return helpers.call_action("satudata_dataset_link_search",
                                   {"user": user, "ignore_auth": False}, **params)

    def test_suggests_readable_records_of_the_type_by_title(self, editor):  # noqa: F811
        own = factories.create(factories.kegiatan(
            editor["org"]["id"], title="Survei Kepuasan Layanan Kesehatan 2024"), editor["name"])
        other_org = factories.opd(name="dinas-pendidikan", title="Dinas Pendidikan")
        hidden = factories.create(factories.kegiatan(other_org["id"], title="Survei Kepuasan Sekolah"))
        factories.create_data_sektoral(editor["org"]["id"], editor["name"],
                                       title="Survei kepuasan dalam data")  # a dataset, not a kegiatan
        found = self._search(editor["name"], q="survei kepuas", type="kegiatan")
        assert found == [{"name": own["name"], "title": own["title"]}]
        assert hidden["name"] not in str(found)
        # A second member of the same OPD sees the same; another OPD does not.
        colleague = ckan_factories.User()
        helpers.call_action("organization_member_create", id=editor["org"]["id"],
                            username=colleague["name"], role="editor")
        assert self._search(colleague["name"], q="kesehatan", type="kegiatan") == found
        outsider = ckan_factories.User()
        assert self._search(outsider["name"], q="kesehatan", type="kegiatan") == []

    def test_anonymous_is_refused(self, app):
        app.get("/api/3/action/satudata_dataset_link_search?type=kegiatan&q=survei", status=403)

    def test_the_form_suggests_by_title(self, app, editor):  # noqa: F811
        draft = factories.create_data_sektoral(editor["org"]["id"], editor["name"], state="draft")
        doc = _doc(app, f"/dataset/new/{draft['name']}/3", editor["headers"])
        (single,) = doc.xpath("//input[@name='kegiatan']")
        assert single.get("list") == "satudata-links-kegiatan"
        assert doc.xpath("//datalist[@id='satudata-links-kegiatan']/@data-satudata-links") == ["kegiatan"]
        assert doc.xpath("//datalist[@id='satudata-links-indikator']/@data-satudata-links") == ["indikator"]
        assert doc.xpath("//input[@name='indikator']/@list") == ["satudata-links-indikator"]
