"""The pages people use: dataset forms (one or many pages), resource forms,
dataset and resource pages, search. Rendered by the real CKAN app, read as
HTML. The interface is Indonesian by default; /en/ gives English."""
from __future__ import annotations

import json

import lxml.html
import pytest
from werkzeug.datastructures import MultiDict

import ckan.model as model
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.tests import factories

VALUE_DOMAIN = "1=Laki-laki; 2=Perempuan"


# ------------------------------------------------------------------ helpers

def _text(element) -> str:
    return " ".join(element.text_content().split())


def _label(element) -> str:
    """Text of a <label>/<legend> without the required-field star."""
    return _text(element).lstrip("*").strip()


def parse(response):
    return lxml.html.fromstring(response.body)


def get(app, url: str, headers: dict | None = None, status: int = 200):
    response = app.get(url, headers=headers, follow_redirects=False)
    assert response.status_code == status, (url, response.status_code)
    return parse(response)


def form_labels(doc, form_id: str = "dataset-edit") -> set[str]:
    """Labels and legends of the controls of the page's form."""
    return {_label(e) for e in doc.xpath(f"//form[@id='{form_id}']//*[self::label or self::legend]")}


STEPPER = "//ol[@data-satudata-stepper]/li"


def stages(doc) -> list[str]:
    """The form pages listed (a page that does not apply is there, hidden)."""
    return [_text(li) for li in doc.xpath(STEPPER) if li.get("hidden") is None]


def active_stage(doc) -> str:
    (li,) = doc.xpath(f"{STEPPER}[contains(concat(' ', @class, ' '), ' active ')]")
    assert li.get("aria-current") == "step"
    return _text(li)


def page_heading(doc) -> tuple[str, str]:
    """The heading and description our package_form.html puts above a form page."""
    (h2,) = doc.xpath("//form[@id='dataset-edit']//h2")
    description = h2.getnext()
    return _text(h2), _text(description) if description is not None and description.tag == "p" else ""


def radio_group(doc, name: str) -> dict:
    """A radio group: its legend, the label of each option, the checked value."""
    (fieldset,) = doc.xpath(f"//fieldset[@id='field-{name}']")
    options = {}
    checked = None
    for radio in fieldset.xpath(".//input[@type='radio']"):
        assert radio.get("name") == name
        (label,) = doc.xpath(f"//label[@for='{radio.get('id')}']")
        options[radio.get("value")] = _text(label)
        if radio.get("checked") is not None:
            assert checked is None, f"{name}: two options checked"
            checked = radio.get("value")
    return {"legend": _label(fieldset.xpath("./legend")[0]), "options": options, "checked": checked}


def unnamed_controls(doc, form_id: str) -> list[str]:
    """Visible form controls that assistive technology would announce without a name."""
    missing = []
    for control in doc.xpath(f"//form[@id='{form_id}']//*[self::input or self::select or self::textarea]"):
        # url_type: CKAN's upload widget keeps its state in radios hidden by CSS.
        if control.get("type") in ("hidden", "submit", "button") or control.get("name") == "url_type":
            continue
        named = (control.get("aria-label") or control.get("aria-labelledby")
                 or control.xpath("ancestor::label")
                 or (control.get("id") and doc.xpath(f"//label[@for='{control.get('id')}']")))
        if not named:
            missing.append(control.get("name") or control.get("id") or control.tag)
    return missing


def additional_info(doc) -> dict:
    """Rows of the dataset page's "Additional info" table: label → cell element."""
    return {_text(row.xpath("./th")[0]): row.xpath("./td")[0]
            for row in doc.xpath("//section[contains(@class, 'additional-info')]//tbody/tr")}


def facet(doc, title: str) -> list[tuple[str, str]]:
    """(label, href) of the items of the facet whose heading is TITLE."""
    sections = [s for s in doc.xpath("//section[contains(@class, 'module')]")
                if s.xpath("./h2") and _text(s.xpath("./h2")[0]) == title]
    assert sections, f"no facet {title!r}"
    return [(_text(a.xpath(".//span[contains(@class, 'item-label')]")[0]), a.get("href"))
            for a in sections[0].xpath(".//nav//li/a")]


def create_resource(dataset_id: str, user: str, **fields) -> dict:
    fields.setdefault("url", "http://example.com/penduduk.csv")
    fields.setdefault("format", "CSV")
    fields.setdefault("name", "penduduk.csv")
    return helpers.call_action("resource_create", {"user": user}, package_id=dataset_id, **fields)


def variables() -> list[dict]:
    """factories.VARIABLES plus a coded column with a value domain."""
    rows = [dict(v) for v in factories.VARIABLES]
    rows.insert(2, {"name": "jenis_kelamin", "title": "Jenis kelamin", "type": "string",
                    "value_domain": VALUE_DOMAIN})
    return rows


@pytest.fixture
def editor(clean_db, clean_index):
    """An editor of an OPD, logged in through an API token (works for pages too).
    Cleans first, so fixtures built on it may run before the class's marks."""
    user = ckan_factories.User()
    org = factories.opd(users=[{"name": user["name"], "capacity": "editor"}])
    token = ckan_factories.APIToken(user=user["name"])["token"]
    return {"user": user, "name": user["name"], "org": org, "headers": {"Authorization": token}}


# ------------------------------------------------------- new-dataset forms

DATASET_PAGES = ["Informasi dasar", "Standar data", "Kode referensi dan waktu"]
KEGIATAN_PAGES = [
    "Informasi Umum", "Blok I. Penyelenggara", "Blok II. Penanggung Jawab",
    "Blok III. Perencanaan dan Persiapan", "Blok IV. Desain Kegiatan", "Blok V. Desain Sampel",
    "Blok VI. Pengumpulan Data", "Blok VII. Pengolahan dan Analisis", "Blok VIII. Diseminasi Hasil",
]


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestNewDatasetForm:
    @pytest.mark.parametrize("url, labels", [
        ("/dataset/new", {"Judul", "URL", "Produsen Data (OPD)", "Sektor", "Akses", "Kata kunci"}),
        ("/kegiatan/new", {"Judul Kegiatan", "Produsen Data (OPD)", "Jenis statistik",
                           "Sudah mendapat rekomendasi BPS?", "Tahun kegiatan",
                           "Cara pengumpulan data", "Sektor kegiatan"}),
        ("/indikator/new", {"Nama indikator", "Definisi", "Konsep", "Interpretasi", "Rumus",
                            "Satuan", "Variabel disagregasi", "Apakah indikator komposit?",
                            "Level estimasi"}),
    ])
    def test_first_page_in_indonesian(self, app, editor, url, labels):
        doc = get(app, url, editor["headers"])

        assert labels <= form_labels(doc)
        owner = doc.xpath("//select[@id='field-organizations']/option/@value")
        assert editor["org"]["id"] in owner

    @pytest.mark.parametrize("url, labels", [
        ("/en/dataset/new", {"Title", "Data producer (agency)", "Sector", "Access", "Tags"}),
        ("/en/kegiatan/new", {"Activity title", "Type of statistics", "Recommended by BPS?",
                              "Data collection method"}),
        ("/en/indikator/new", {"Indicator name", "Definition", "Concepts", "Formula",
                               "Estimation level"}),
    ])
    def test_first_page_in_english(self, app, editor, url, labels):
        doc = get(app, url, editor["headers"])

        assert labels <= form_labels(doc)
        assert "Judul" not in form_labels(doc)

    def test_data_sektoral_pages_are_announced(self, app, editor):
        doc = get(app, "/dataset/new", editor["headers"])

        assert stages(doc) == DATASET_PAGES + ["Tambah data"]
        assert active_stage(doc) == "Informasi dasar"
        assert page_heading(doc)[0] == "Informasi dasar"
        # Page-2 fields are not on page 1.
        assert "Konsep" not in form_labels(doc)

    def test_data_sektoral_first_page_description(self, app, editor):
        doc = get(app, "/dataset/new", editor["headers"])

        assert page_heading(doc)[1] == "Judul, uraian dan Produsen Data"

    def test_kegiatan_pages_are_announced(self, app, editor):
        doc = get(app, "/kegiatan/new", editor["headers"])

        # whole titles (CKAN's stage bar cut each to "Blok"); no data step for a
        # metadata record; Blok V waits until "Survei" is chosen (form_pages.js)
        assert stages(doc) == [p for p in KEGIATAN_PAGES if not p.startswith("Blok V.")]
        (blok_v,) = doc.xpath(f"{STEPPER}[@hidden]")
        assert _text(blok_v) == "Blok V. Desain Sampel"
        assert json.loads(blok_v.get("data-satudata-only-if")) == {
            "field": "cara_pengumpulan_data", "equals": "SURVEI"}
        assert doc.xpath("//script[contains(@src, 'form-pages')]")
        assert doc.xpath("//select[@name='cara_pengumpulan_data']")  # the field the script watches
        assert page_heading(doc) == (
            "Informasi Umum", "Judul, jenis, dan cara pengumpulan data kegiatan statistik.")
        rekomendasi = radio_group(doc, "rekomendasi_dari_bps")
        assert rekomendasi["options"] == {"true": "Ya", "false": "Tidak"}
        assert rekomendasi["checked"] is None

    def test_indikator_is_a_single_page(self, app, editor):
        doc = get(app, "/indikator/new", editor["headers"])

        assert not doc.xpath("//form[@id='dataset-edit']//h2")
        assert radio_group(doc, "apakah_indikator_komposit")["options"] == {"true": "Ya", "false": "Tidak"}

    @pytest.mark.parametrize("page, labels", [
        (2, {"Konsep", "Definisi", "Klasifikasi", "Ukuran", "Satuan"}),
        (3, {"Kode wilayah", "Level penyajian", "Tahun data", "Frekuensi pemutakhiran",
             "Jadwal rilis berikutnya", "Kegiatan statistik", "Indikator"}),
    ])
    def test_later_pages_of_a_new_data_sektoral(self, app, editor, page, labels):
        """Where page 1 leads: /dataset/new/<name>/<page> for the draft it saved."""
        draft = factories.create_data_sektoral(editor["org"]["id"], editor["name"], state="draft")

        doc = get(app, f"/dataset/new/{draft['name']}/{page}", editor["headers"])

        assert active_stage(doc) == DATASET_PAGES[page - 1]
        assert page_heading(doc)[0] == DATASET_PAGES[page - 1]
        assert labels <= form_labels(doc)
        assert "Judul" not in form_labels(doc)

    def test_later_pages_in_english(self, app, editor):
        draft = factories.create_data_sektoral(editor["org"]["id"], editor["name"], state="draft")

        doc = get(app, f"/en/dataset/new/{draft['name']}/2", editor["headers"])

        assert page_heading(doc)[0] == "Data standard"
        assert {"Concept", "Definition", "Measure", "Unit"} <= form_labels(doc)

    @pytest.mark.parametrize("url", ["/dataset/new", "/kegiatan/new", "/indikator/new"])
    def test_every_control_has_a_name(self, app, editor, url):
        assert unnamed_controls(get(app, url, editor["headers"]), "dataset-edit") == []

    @pytest.mark.parametrize("page", [2, 3])
    def test_every_control_of_later_pages_has_a_name(self, app, editor, page):
        draft = factories.create_data_sektoral(editor["org"]["id"], editor["name"], state="draft")
        doc = get(app, f"/dataset/new/{draft['name']}/{page}", editor["headers"])

        assert unnamed_controls(doc, "dataset-edit") == []

    def test_anonymous_gets_no_form(self, app):
        response = app.get("/dataset/new", follow_redirects=False)

        assert response.status_code in (302, 403)
        assert 'id="dataset-edit"' not in response.body

    @pytest.mark.parametrize("dataset_type, fields, next_page", [
        ("dataset", {"title": "Jumlah Sekolah", "name": "jumlah-sekolah", "sektor": "PENDIDIKAN_DAN_PELATIHAN",
                     "akses": "TERBUKA", "license_id": "cc-by"}, "Standar data"),
        ("kegiatan", {"title": "Survei Sekolah 2025", "name": "survei-sekolah-2025",
                      "jenis_statistik": "STATISTIK_SEKTORAL", "rekomendasi_dari_bps": "false",
                      "tahun_kegiatan": "2025", "cara_pengumpulan_data": "SURVEI",
                      "sektor_kegiatan": "PENDIDIKAN_DAN_PELATIHAN"}, "Blok I. Penyelenggara"),
    ])
    def test_first_page_is_saved_as_a_draft(self, app, editor, dataset_type, fields, next_page):
        """Required fields of later pages wait (scheming_drafts.py; ckanext-scheming#386)."""
        response = app.post(f"/{dataset_type}/new", headers=editor["headers"], follow_redirects=False,
                            data=dict(fields, owner_org=editor["org"]["id"], save="",
                                      _ckan_phase="dataset_new_1", pkg_name=""))

        assert response.status_code == 302, parse(response).xpath(
            "string(//div[contains(@class, 'error-explanation')])")
        assert response.headers["Location"].endswith(f"/{dataset_type}/new/{fields['name']}/2")
        assert helpers.call_action("package_show", id=fields["name"])["state"] == "draft"
        doc = get(app, f"/{dataset_type}/new/{fields['name']}/2", editor["headers"])
        assert page_heading(doc)[0] == next_page


    @pytest.mark.parametrize("dataset_type", ["dataset", "kegiatan"])
    @pytest.mark.parametrize("title", ["", "Jumlah Sekolah"])  # empty, or the slug script not run
    def test_no_draft_without_a_name(self, app, editor, dataset_type, title):
        """"Berikutnya" without a name went on to /dataset/new//2 (a 404) and left a
        draft named '' that could be neither opened nor deleted."""
        for _ in range(2):  # a second try overwrote the first nameless draft
            response = app.post(f"/{dataset_type}/new", headers=editor["headers"],
                                follow_redirects=False,
                                data={"title": title, "name": "", "owner_org": editor["org"]["id"],
                                      "save": "", "_ckan_phase": "dataset_new_1", "pkg_name": ""})
            assert response.status_code == 200, response.headers.get("Location")
            doc = parse(response)
            (summary,) = doc.xpath("//div[contains(@class, 'error-explanation')]")
            assert ("URL: Isi judul terlebih dahulu: alamat web (URL) dataset dibentuk dari judul."
                    in _text(summary))
            assert doc.xpath("//input[@name='title']")[0].get("value", "") == title  # kept
        assert model.Session.query(model.Package).count() == 0


# ------------------------------------------------------- MS-Keg edit pages

# page → (title, {radio field: checked value of factories.kegiatan()}, a label only on that page)
KEGIATAN_EDIT = {
    1: ("Informasi Umum", {"rekomendasi_dari_bps": "true"}, "Jenis statistik"),
    2: ("Blok I. Penyelenggara", {}, "Instansi penyelenggara"),
    3: ("Blok II. Penanggung Jawab", {}, "Nama penanggung jawab"),
    4: ("Blok III. Perencanaan dan Persiapan", {}, "Latar belakang kegiatan"),
    5: ("Blok IV. Desain Kegiatan", {"iv_kegiatan_ini_dilakukan": "BERULANG",
                                     "iv_cakupan_wilayah_pengumpulan_data": "SEBAGIAN_WILAYAH_INDONESIA"},
        "Metode pengumpulan data"),
    6: ("Blok V. Desain Sampel", {}, "Jenis rancangan sampel"),
    7: ("Blok VI. Pengumpulan Data", {"vi_apakah_melakukan_uji_coba": "true",
                                      "vi_apakah_melakukan_penyesuaian_nonrespon": "false",
                                      "vi_petugas_pengumpulan_data": "STAF_INSTANSI_PENYELENGGARA",
                                      "vi_apakah_melakukan_pelatihan_petugas": "true"},
        "Jumlah petugas enumerator/pencacah"),
    8: ("Blok VII. Pengolahan dan Analisis", {"vii_metode_analisis": "DESKRIPTIF"}, "Unit analisis"),
    9: ("Blok VIII. Diseminasi Hasil", {"viii_ketersediaan_produk_tercetak": "false",
                                        "viii_ketersediaan_produk_digital": "true",
                                        "viii_ketersediaan_produk_mikrodata": "false"},
        "Rencana jadwal rilis produk digital"),
}
RADIO_LABELS = {
    "true": "Ya", "false": "Tidak", "BERULANG": "Berulang",
    "SEBAGIAN_WILAYAH_INDONESIA": "Sebagian wilayah Indonesia",
    "STAF_INSTANSI_PENYELENGGARA": "Staf instansi penyelenggara", "DESKRIPTIF": "Deskriptif",
}


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestKegiatanEditPages:
    def test_edit_starts_at_the_first_page(self, app, editor):
        kegiatan = factories.create(factories.kegiatan(editor["org"]["id"]), editor["name"])

        response = app.get(f"/kegiatan/edit/{kegiatan['name']}", headers=editor["headers"],
                           follow_redirects=False)

        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/kegiatan/edit/{kegiatan['name']}/1")

    @pytest.mark.parametrize("page", sorted(KEGIATAN_EDIT))
    def test_page_shows_its_block_and_the_stored_answers(self, app, editor, page):
        title, radios, own_label = KEGIATAN_EDIT[page]
        kegiatan = factories.create(factories.kegiatan(editor["org"]["id"]), editor["name"])

        doc = get(app, f"/kegiatan/edit/{kegiatan['name']}/{page}", editor["headers"])

        assert active_stage(doc) == title
        assert page_heading(doc)[0] == title
        labels = form_labels(doc)
        assert own_label in labels
        others = [label for p, (_, _, label) in KEGIATAN_EDIT.items() if p != page]
        assert not labels & set(others)
        for name, value in radios.items():
            group = radio_group(doc, name)
            assert group["checked"] == value, name
            assert group["options"][value] == RADIO_LABELS[value]
            if value in ("true", "false"):
                assert group["options"] == {"true": "Ya", "false": "Tidak"}
        assert unnamed_controls(doc, "dataset-edit") == []

    def test_checkbox_group_has_a_legend_and_the_stored_choices(self, app, editor):
        kegiatan = factories.create(factories.kegiatan(editor["org"]["id"]), editor["name"])

        doc = get(app, f"/kegiatan/edit/{kegiatan['name']}/5", editor["headers"])

        (fieldset,) = doc.xpath("//fieldset[@id='field-iv_metode_pengumpulan_data']")
        assert _label(fieldset.xpath("./legend")[0]) == "Metode pengumpulan data"
        boxes = fieldset.xpath(".//input[@type='checkbox']")
        assert {b.get("value") for b in boxes if b.get("checked") is not None} == {"WAWANCARA", "LAINNYA"}
        assert "Pengumpulan data sekunder" in {_text(label) for label in fieldset.xpath(".//label")}

    def test_repeating_rows_are_prefilled(self, app, editor):
        kegiatan = factories.create(factories.kegiatan(editor["org"]["id"]), editor["name"])

        doc = get(app, f"/kegiatan/edit/{kegiatan['name']}/5", editor["headers"])

        assert doc.xpath("//input[@name='iv_wilayah_pengumpulan_data-0-nama_kabupaten_kota']/@value") == [
            "Kabupaten Pasuruan"]

    def test_page_in_english(self, app, editor):
        kegiatan = factories.create(factories.kegiatan(editor["org"]["id"]), editor["name"])

        doc = get(app, f"/en/kegiatan/edit/{kegiatan['name']}/7", editor["headers"])

        assert page_heading(doc) == ("Block VI. Data collection",
                                     "Pilot, quality checks and the data collectors.")
        group = radio_group(doc, "vi_apakah_melakukan_uji_coba")
        assert group["legend"] == "Was a pilot carried out?"
        assert group["options"] == {"true": "Yes", "false": "No"}

    def test_rule_broken_on_a_repeating_field_is_reported(self, app, editor):
        """All of Indonesia, yet the rows of covered areas are kept: only_if says no."""
        kegiatan = factories.create(factories.kegiatan(editor["org"]["id"]), editor["name"])

        response = app.post(f"/kegiatan/edit/{kegiatan['name']}/5", headers=editor["headers"],
                            follow_redirects=False, data={
                                "iv_cakupan_wilayah_pengumpulan_data": "SELURUH_WILAYAH_INDONESIA",
                                "save": ""})

        assert response.status_code == 200
        doc = parse(response)
        summary = _text(doc.xpath("//div[contains(@class, 'error-explanation')]")[0])
        assert "Wilayah pengumpulan data: Harus dikosongkan kecuali bila" in summary
        assert page_heading(doc)[0] == "Blok IV. Desain Kegiatan"
        assert doc.xpath("//input[@name='iv_wilayah_pengumpulan_data-0-kode_provinsi']/@value") == ["35"]

    def test_no_page_beyond_the_last(self, app, editor):
        kegiatan = factories.create(factories.kegiatan(editor["org"]["id"]), editor["name"])

        app.get(f"/kegiatan/edit/{kegiatan['name']}/10", headers=editor["headers"], status=404)

    def test_saving_a_page_stores_the_radio_answer(self, app, editor):
        kegiatan = factories.create(factories.kegiatan(editor["org"]["id"]), editor["name"])

        response = app.post(f"/kegiatan/edit/{kegiatan['name']}/7", headers=editor["headers"],
                            follow_redirects=False,
                            data={"vi_apakah_melakukan_penyesuaian_nonrespon": "true", "save": ""})

        assert response.status_code == 302, parse(response).xpath(
            "string(//div[contains(@class, 'error-explanation')])")
        stored = helpers.call_action("package_show", id=kegiatan["id"])
        assert stored["vi_apakah_melakukan_penyesuaian_nonrespon"] is True
        assert stored["vi_apakah_melakukan_uji_coba"] is True
        doc = get(app, f"/kegiatan/edit/{kegiatan['name']}/7", editor["headers"])
        assert radio_group(doc, "vi_apakah_melakukan_penyesuaian_nonrespon")["checked"] == "true"


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestKegiatanNewPages:
    """A new MS-Keg is finished on its last page: it is a metadata record, with no data step."""

    def _draft(self, editor, **overrides):
        return factories.create(factories.kegiatan(editor["org"]["id"], state="draft", **overrides),
                                editor["name"])

    def test_blok_v_is_listed_for_a_survey(self, app, editor):
        draft = self._draft(editor)
        doc = get(app, f"/kegiatan/new/{draft['name']}/2", editor["headers"])
        assert stages(doc) == KEGIATAN_PAGES
        assert "Blok V. Desain Sampel" in stages(doc)

    def test_blok_v_of_a_census_has_nothing_to_fill_in(self, app, editor):
        fields = factories.kegiatan(editor["org"]["id"], state="draft", cara_pengumpulan_data="PENCACAHAN_LENGKAP")
        draft = factories.create({k: v for k, v in fields.items() if not k.startswith("v_")},
                                 editor["name"])
        doc = get(app, f"/kegiatan/new/{draft['name']}/5", editor["headers"])
        assert "Blok V. Desain Sampel" not in stages(doc)
        doc = get(app, f"/kegiatan/new/{draft['name']}/6", editor["headers"])
        (notice,) = doc.xpath("//*[@data-satudata-page-skipped]")
        assert "Cara pengumpulan data = Survei" in _text(notice)
        assert not doc.xpath("//form[@id='dataset-edit']//*[starts-with(@name, 'v_')]")
        response = app.post(f"/kegiatan/new/{draft['name']}/6", headers=editor["headers"],
                            data={"save": "", "_ckan_phase": "6"}, follow_redirects=False)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/kegiatan/new/{draft['name']}/7")

    def test_the_last_page_finishes_without_a_resource(self, app, editor):
        draft = self._draft(editor)
        doc = get(app, f"/kegiatan/new/{draft['name']}/9", editor["headers"])
        (button,) = doc.xpath("//form[@id='dataset-edit']//button[@name='save']")
        assert _text(button) == "Selesai"
        assert "Tambah data" not in stages(doc)

        response = app.post(f"/kegiatan/new/{draft['name']}/9", headers=editor["headers"],
                            data={"save": "", "_ckan_phase": "9",
                                  "viii_ketersediaan_produk_digital": "true"},
                            follow_redirects=False)

        assert response.status_code == 302, parse(response).xpath(
            "string(//div[contains(@class, 'error-explanation')])")
        assert response.headers["Location"].endswith(f"/kegiatan/{draft['name']}")
        stored = helpers.call_action("package_show", id=draft["id"])
        # no data resource was asked for (BPS's recommendation letter, which the kegiatan says
        # it has, is the only file on it)
        assert stored["state"] == "active"
        assert [r["resource_type"] for r in stored["resources"]] in ([], ["surat_rekomendasi"])

    def test_finishing_checks_every_required_field(self, app, editor):
        draft = self._draft(editor, jenis_statistik="")
        response = app.post(f"/kegiatan/new/{draft['name']}/9", headers=editor["headers"],
                            data={"save": "", "_ckan_phase": "9"}, follow_redirects=False)
        assert response.status_code == 200
        (summary,) = parse(response).xpath("//div[contains(@class, 'error-explanation')]")
        assert "Jenis statistik" in _text(summary)
        assert helpers.call_action("package_show", id=draft["id"])["state"] == "draft"

    def test_indikator_is_created_without_a_data_step(self, app, editor):
        doc = get(app, "/indikator/new", editor["headers"])
        assert not doc.xpath("//ol[contains(@class, 'stages')]") and not stages(doc)
        (button,) = doc.xpath("//form[@id='dataset-edit']//button[@name='save']")
        assert _text(button) == "Selesai"

        fields = factories.indikator(editor["org"]["id"])
        form = MultiDict([(k, v) for k, v in fields.items() if isinstance(v, str)] + [
            ("konsep", "Penduduk"), ("konsep", "Jenis kelamin"),
            ("klasifikasi_penyajian", "WILAYAH"), ("apakah_indikator_komposit", "false"),
            ("apakah_indikator_bisa_diakses_umum", "true"),
            ("variabel_disaggregasi-0-nama", "Wilayah"),
            ("variabel_disaggregasi-0-sumber", "Kepmendagri"),
            ("variabel_pembangun-0-nama", "Jumlah penduduk laki-laki"),
            ("save", ""), ("_ckan_phase", "dataset_new_1"), ("pkg_name", "")])
        response = app.post("/indikator/new", headers=editor["headers"], follow_redirects=False,
                            data=form)

        assert response.status_code == 302, parse(response).xpath(
            "string(//div[contains(@class, 'error-explanation')])")
        assert response.headers["Location"].endswith(f"/indikator/{fields['name']}")
        stored = helpers.call_action("package_show", id=fields["name"])
        assert stored["state"] == "active" and stored["resources"] == []


# ---------------------------------------------------- resource form: MS-Var

@pytest.mark.usefixtures("clean_db", "clean_index")
class TestResourceForm:
    def test_new_resource_has_the_msvar_editor(self, app, editor):
        dataset = factories.create_data_sektoral(editor["org"]["id"], editor["name"])

        doc = get(app, f"/dataset/{dataset['name']}/resource/new", editor["headers"])

        # One compact table: a row per column, the rarer fields folded (<details>).
        table = doc.xpath("//form[@id='resource-edit']//div[contains(@class, 'satudata-variables-table')]")[0]
        assert [_text(th) for th in table.xpath(".//thead//th")] == [
            "Nama kolom", "Nama variabel", "Definisi", "Tipe data", "Satuan", "Wajib terisi"]
        assert "Domain nilai" in form_labels(doc, "resource-edit")
        assert len(table.xpath(".//details")) == 1  # the empty row to add a column
        types = doc.xpath("//select[@name='variabel-0-type']/option")
        assert {o.get("value"): _text(o) for o in types}["integer"] == "Bilangan bulat"
        assert unnamed_controls(doc, "resource-edit") == []

    def test_rows_are_prefilled_from_the_table_schema(self, app, editor):
        dataset = factories.create_data_sektoral(editor["org"]["id"], editor["name"])
        resource = create_resource(dataset["id"], editor["name"], variabel=variables())
        assert resource["schema"]["fields"][0]["name"] == "tahun"  # stored as a Table Schema

        doc = get(app, f"/dataset/{dataset['name']}/resource/{resource['id']}/edit", editor["headers"])

        def value(row, key):
            return doc.xpath(f"string(//input[@name='variabel-{row}-{key}']/@value)")

        assert [value(i, "name") for i in range(6)] == [
            "tahun", "kecamatan", "jenis_kelamin", "laki_laki", "perempuan", "jumlah"]
        assert value(3, "title") == "Penduduk laki-laki"
        assert value(3, "satuan") == "Jiwa"
        assert value(2, "value_domain") == VALUE_DOMAIN
        assert doc.xpath("//select[@name='variabel-3-type']/option[@selected]/@value") == ["integer"]
        assert doc.xpath("//input[@name='variabel-0-wajib_diisi']/@checked")
        assert not doc.xpath("//input[@name='variabel-2-wajib_diisi']/@checked")
        assert doc.xpath("//select[@name='variabel-5-akses_umum']/option[@selected]/@value") == ["true"]

    def test_posted_rows_become_the_table_schema(self, app, editor):
        dataset = factories.create_data_sektoral(editor["org"]["id"], editor["name"])

        response = app.post(f"/dataset/{dataset['name']}/resource/new", headers=editor["headers"],
                            follow_redirects=False, data={
                                "id": "", "url": "http://example.com/jk.csv", "name": "jk.csv",
                                "format": "CSV", "save": "go-metadata",
                                "variabel-0-name": "jenis_kelamin", "variabel-0-type": "string",
                                "variabel-0-value_domain": VALUE_DOMAIN,
                                "variabel-1-name": "jumlah", "variabel-1-type": "integer",
                                "variabel-1-wajib_diisi": "true"})

        assert response.status_code == 302
        (resource,) = helpers.call_action("package_show", id=dataset["id"])["resources"]
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == ["jenis_kelamin", "jumlah"]
        assert fields[0]["constraints"]["enum"] == ["1", "2"]
        assert fields[1]["constraints"]["required"] is True

    def test_msvar_problems_are_shown_in_the_form(self, app, editor):
        dataset = factories.create_data_sektoral(editor["org"]["id"], editor["name"])
        resource = create_resource(dataset["id"], editor["name"], variabel=variables())

        response = app.post(f"/dataset/{dataset['name']}/resource/{resource['id']}/edit",
                            headers=editor["headers"], follow_redirects=False, data={
                                "url": resource["url"], "name": resource["name"], "format": "CSV",
                                "save": "", "variabel-0-name": "tahun", "variabel-1-name": "tahun"})

        assert response.status_code == 200
        doc = parse(response)
        summary = _text(doc.xpath("//div[contains(@class, 'error-explanation')]")[0])
        assert "Variabel (MS-Var): Nama kolom dipakai lebih dari sekali: tahun" in summary

    def test_msvar_rows_survive_an_error(self, app, editor):
        dataset = factories.create_data_sektoral(editor["org"]["id"], editor["name"])
        resource = create_resource(dataset["id"], editor["name"], variabel=variables())

        response = app.post(f"/dataset/{dataset['name']}/resource/{resource['id']}/edit",
                            headers=editor["headers"], follow_redirects=False, data={
                                "url": resource["url"], "name": resource["name"], "format": "CSV",
                                "save": "", "variabel-0-name": "tahun", "variabel-0-title": "Tahun A",
                                "variabel-1-name": "tahun", "variabel-1-title": "Tahun B"})

        assert parse(response).xpath("//input[@name='variabel-1-title']/@value") == ["Tahun B"]


# ------------------------------------------------------------ dataset page

@pytest.mark.usefixtures("clean_db", "clean_index")
class TestDatasetPage:
    def _data_sektoral(self, editor, **overrides):
        """factories.data_sektoral() linked to a kegiatan: then every field counts."""
        org = editor["org"]["id"]
        kegiatan = factories.create(factories.kegiatan(org), editor["name"])
        fields = factories.data_sektoral(org, kegiatan=kegiatan["name"], **overrides)
        return factories.create({k: v for k, v in fields.items() if v is not None}, editor["name"])

    def test_complete_data_sektoral(self, app, editor):
        dataset = self._data_sektoral(editor)

        doc = get(app, f"/dataset/{dataset['name']}", editor["headers"])

        (section,) = doc.xpath("//section[contains(@class, 'satudata-completeness')]")
        assert _text(section.xpath("./h2")[0]) == "Kelengkapan metadata"
        (bar,) = section.xpath(".//*[@role='progressbar']")
        assert bar.get("aria-valuenow") == "100"
        assert _text(bar) == "100%"
        assert "Belum diisi" not in _text(section)

    def test_incomplete_data_sektoral_names_what_is_missing(self, app, editor):
        dataset = self._data_sektoral(editor, jadwal_rilis_berikutnya=None)

        doc = get(app, f"/dataset/{dataset['name']}", editor["headers"])

        (section,) = doc.xpath("//section[contains(@class, 'satudata-completeness')]")
        score = int(section.xpath(".//*[@role='progressbar']/@aria-valuenow")[0])
        assert 0 < score < 100
        assert f"{score}%" in _text(section)
        assert "Belum diisi: Jadwal rilis berikutnya" in _text(section)
        assert "Kegiatan statistik" not in _text(section)

    def test_values_are_shown_with_their_labels(self, app, editor):
        org = editor["org"]["id"]
        kegiatan = factories.create(factories.kegiatan(org), editor["name"])
        indikator = factories.create(factories.indikator(org), editor["name"])
        dataset = factories.create_data_sektoral(org, editor["name"], kegiatan=kegiatan["name"],
                                                 indikator=[indikator["name"]])

        doc = get(app, f"/dataset/{dataset['name']}", editor["headers"])
        info = additional_info(doc)

        assert _text(info["Sektor"]) == "Demografi dan kependudukan"
        assert _text(info["Akses"]) == "Terbuka"
        assert _text(info["Level penyajian"]) == "Kecamatan"
        assert _text(info["Frekuensi pemutakhiran"]) == "Tahunan"
        assert _text(info["Data prioritas"]) == "Ya"
        assert _text(info["Kode wilayah"]) == "35.14 Kabupaten Pasuruan"
        assert info["Kode wilayah"].xpath(".//code/text()") == ["35.14"]
        # The linked kegiatan and indicators have sections of their own (public pages).
        assert "Kegiatan statistik" not in info and "Indikator" not in info
        (link,) = doc.xpath("//section[contains(@class, 'satudata-kegiatan')]/p/a")
        assert (link.get("href"), _text(link)) == (f"/kegiatan/{kegiatan['name']}", kegiatan["title"])
        (link,) = doc.xpath("//section[contains(@class, 'satudata-indikator')]//h3/a")
        assert (link.get("href"), _text(link)) == (f"/indikator/{indikator['name']}", indikator["title"])

    def test_in_english(self, app, editor):
        dataset = factories.create_data_sektoral(editor["org"]["id"], editor["name"],
                                                 data_prioritas=False, prioritas_tahun=None)

        doc = get(app, f"/en/dataset/{dataset['name']}", editor["headers"])

        info = additional_info(doc)
        assert _text(info["Sector"]) == "Demography and population"
        assert _text(info["Update frequency"]) == "Yearly"
        assert _text(info["Priority data"]) == "No"
        assert doc.xpath("string(//section[contains(@class, 'satudata-completeness')]/h2)") == (
            "Metadata completeness")


# ----------------------------------------------------------- resource page

@pytest.mark.usefixtures("clean_db", "clean_index")
class TestResourcePage:
    def _table(self, doc):
        (section,) = doc.xpath("//section[contains(@class, 'satudata-variables')]")
        (table,) = section.xpath(".//table")
        return section, table

    def test_msvar_variables_as_a_table(self, app, editor):
        dataset = factories.create_data_sektoral(editor["org"]["id"], editor["name"])
        resource = create_resource(dataset["id"], editor["name"], variabel=variables())

        doc = get(app, f"/dataset/{dataset['name']}/resource/{resource['id']}", editor["headers"])

        section, table = self._table(doc)
        heading = section.xpath(".//h2")[0]
        assert _text(heading) == "Variabel (MS-Var)"
        assert section.get("aria-labelledby") == heading.get("id")
        assert _text(table.xpath("./caption")[0]) == "Satu baris per kolom pada file data"
        assert [_text(th) for th in table.xpath("./thead//th[@scope='col']")] == [
            "Nama kolom", "Nama variabel", "Definisi", "Tipe data", "Satuan", "Domain nilai"]
        rows = [[_text(cell) for cell in tr.xpath("./th|./td")] for tr in table.xpath("./tbody/tr")]
        assert [r[0] for r in rows] == ["tahun", "kecamatan", "jenis_kelamin", "laki_laki",
                                        "perempuan", "jumlah"]
        assert rows[3] == ["laki_laki", "Penduduk laki-laki", "Jumlah penduduk laki-laki",
                           "Bilangan bulat", "Jiwa", ""]
        assert rows[0][3] == "Tahun"
        assert rows[2][3:] == ["Teks (karakter)", "", VALUE_DOMAIN]
        assert table.xpath("./tbody/tr/th/@scope") == ["row"] * 6

    def test_in_english(self, app, editor):
        dataset = factories.create_data_sektoral(editor["org"]["id"], editor["name"])
        resource = create_resource(dataset["id"], editor["name"], variabel=variables())

        doc = get(app, f"/en/dataset/{dataset['name']}/resource/{resource['id']}", editor["headers"])

        section, table = self._table(doc)
        assert _text(section.xpath(".//h2")[0]) == "Variables (MS-Var)"
        assert [_text(th) for th in table.xpath("./thead//th")] == [
            "Column name", "Variable name", "Definition", "Data type", "Unit", "Value domain"]
        assert _text(table.xpath("./tbody/tr[4]/td[3]")[0]) == "Integer"

    def test_no_table_without_variables(self, app, editor):
        dataset = factories.create_data_sektoral(editor["org"]["id"], editor["name"])
        resource = create_resource(dataset["id"], editor["name"])

        doc = get(app, f"/dataset/{dataset['name']}/resource/{resource['id']}", editor["headers"])

        assert not doc.xpath("//section[contains(@class, 'satudata-variables')]")
        assert doc.xpath("//h2[normalize-space()='Informasi Tambahan']")


# ------------------------------------------------------------- search page

@pytest.mark.usefixtures("clean_db", "clean_index")
class TestSearchFacets:
    @pytest.fixture
    def two_datasets(self, editor):  # editor cleans the database and the index first
        org = editor["org"]["id"]
        factories.create_data_sektoral(org, editor["name"], name="penduduk")
        fields = factories.data_sektoral(org, name="kunjungan-puskesmas", title="Kunjungan Puskesmas",
                                         sektor="KESEHATAN", frekuensi="BULANAN", tahun_data=[2024])
        del fields["jadwal_rilis_berikutnya"]
        factories.create(fields, editor["name"])

    @pytest.mark.usefixtures("two_datasets")
    def test_facets_show_codelist_labels(self, app, editor):
        doc = get(app, "/dataset/", editor["headers"])

        assert dict(facet(doc, "Sektor")) == {
            "Demografi dan kependudukan": "/dataset/?vocab_sektor=DEMOGRAFI_DAN_KEPENDUDUKAN",
            "Kesehatan": "/dataset/?vocab_sektor=KESEHATAN",
        }
        assert dict(facet(doc, "Frekuensi")) == {
            "Tahunan": "/dataset/?vocab_frekuensi=TAHUNAN",
            "Bulanan": "/dataset/?vocab_frekuensi=BULANAN",
        }
        assert {label for label, _ in facet(doc, "Tahun data")} == {"2021", "2022", "2023", "2024"}
        # Neither links a kegiatan (a recommended field): both just under 100%.
        (bucket,) = doc.xpath("//a[@href='/dataset/?vocab_kelengkapan=80-99']")
        assert bucket.xpath("string(.//span[contains(@class, 'item-count')])") == "2"
        assert [label for label, _ in facet(doc, "Kelengkapan metadata (%)")] == ["80-99"]

    @pytest.mark.usefixtures("two_datasets")
    def test_facet_link_filters(self, app, editor):
        doc = get(app, "/dataset/?vocab_sektor=KESEHATAN", editor["headers"])

        titles = [_text(a) for a in doc.xpath("//*[contains(@class, 'dataset-heading')]/a")]
        assert titles == ["Kunjungan Puskesmas"]

    @pytest.mark.usefixtures("two_datasets")
    def test_facets_in_english(self, app, editor):
        doc = get(app, "/en/dataset/", editor["headers"])

        assert {label for label, _ in facet(doc, "Sector")} == {"Demography and population", "Health"}
        assert {label for label, _ in facet(doc, "Frequency")} == {"Yearly", "Monthly"}
        assert facet(doc, "Data year") and facet(doc, "Metadata completeness (%)")


# ------------------------------------------------- kode wilayah autocomplete

@pytest.mark.usefixtures("clean_db", "clean_index")
class TestKodeWilayahAutocomplete:
    @pytest.mark.parametrize("url", ["/dataset/new/{name}/3", "/dataset/edit/{name}/3"])
    def test_page_has_the_datalist_and_its_script(self, app, editor, url):
        dataset = factories.create_data_sektoral(editor["org"]["id"], editor["name"], state="draft")

        doc = get(app, url.format(name=dataset["name"]), editor["headers"])

        assert page_heading(doc)[0] == "Kode referensi dan waktu"
        (datalist,) = doc.xpath("//datalist[@id='satudata-wilayah-options']")
        (code,) = doc.xpath("//input[@name='kode_wilayah']")
        assert code.get("list") == "satudata-wilayah-options"
        assert code.get("aria-label") == "Kode wilayah"
        assert code.get("value") == "35.14"
        assert code.get("inputmode") is None  # names are typed too
        (script,) = [s for s in doc.xpath("//script/@src") if s.endswith("wilayah.js")]
        js = app.get(script, status=200).body
        assert "satudata-wilayah-options" in js and "dataset.url" in js
        assert datalist.get("data-url") == "/api/3/action/satudata_wilayah_search"

    def test_english_page_points_at_the_same_api(self, app, editor):
        dataset = factories.create_data_sektoral(editor["org"]["id"], editor["name"])

        doc = get(app, f"/en/dataset/edit/{dataset['name']}/3", editor["headers"])

        assert doc.xpath("//datalist[@id='satudata-wilayah-options']/@data-url") == [
            "/api/3/action/satudata_wilayah_search"]
        assert doc.xpath("//input[@name='kode_wilayah']/@aria-label") == ["Region code"]

    def test_search_action_finds_both_pasuruans(self, app):
        response = app.get("/api/3/action/satudata_wilayah_search?q=pasuruan", status=200)

        result = response.json["result"]
        assert [(w["kode"], w["nama"]) for w in result[:2]] == [
            ("35.14", "Kabupaten Pasuruan"), ("35.75", "Kota Pasuruan")]
