"""Role journeys as people meet the portal `make run` starts (LiveServer runs
its config): each person in their own browser session, every page looked at
with `shots.look` (1280x900 and 390x844, a screenshot of each, the page checks
of pagecheck.py at each width).

The tests of this module follow one dataset's life in order (module-scoped
world, one live server): the Walidata asks the OPD for the data (a data
request); the producer makes the dataset through the web form with an
uploaded CSV, completes its variables (MS-Var) in the table read from the
file, delivers the request with it ("Serahkan") and submits; the Walidata
returns it with per-field notes; the producer reads the notes, fixes and
resubmits; the Walidata forwards with a comment, BPS approves, the Walidata
publishes; the public finds it and downloads it; a revision is published over
it; the Walidata sees the request delivered on time. Then an MS-Keg on its own."""
from __future__ import annotations

import datetime
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from ckan.tests import factories

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.browser.conftest import (fill_reference_page, fill_title, DESKTOP, PASSWORD, PHONE, act, log_in, save, set_hidden,
                                                      state_is, wait_validated)
from ckanext.satudata.tests.conftest import FIXTURES, reset_world

pytestmark = pytest.mark.browser

TITLE = "Jumlah Penduduk Menurut Kecamatan"
SLUG = "jumlah-penduduk-menurut-kecamatan"
RETURN_REASON = "Satuan dan sumber perlu diperbaiki sebelum diteruskan."
FIELD_NOTE = "Satuan penduduk adalah Jiwa, bukan Orang."
FORWARD_COMMENT = "Sudah diperbaiki; mohon periksa definisi."
REQUEST_TITLE = "Jumlah Penduduk per Kecamatan 2023"
#: What the producer writes into the variables table read from the file (column → field → value).
VARIABLES = {
    "jumlah": {"description": "Jumlah penduduk menurut data administrasi kependudukan", "satuan": "Jiwa",
               "konsep": "Penduduk adalah setiap orang yang berdomisili di wilayah kabupaten"},
    "persentase": {"description": "Bagian penduduk kecamatan dari penduduk kabupaten", "satuan": "Persen"},
}


@pytest.fixture(scope="module")
def people():
    reset_world()
    names = {"produsen": "operator-dinkes", "walidata": "reviewer-kominfo", "pembina": "pembina-bps"}
    for role, name in names.items():
        # No picture (the factories' fake picture URLs are offline): the initials avatar.
        factories.User(name=name, password=PASSWORD, fullname=f"Uji {role.title()}", image_url="")
    sd.opd(users=[{"name": names["produsen"], "capacity": "editor"}], image_url="",
           description="Dinas Kesehatan Kabupaten Pasuruan: layanan kesehatan masyarakat.")
    factories.Organization(name="diskominfo", title="Dinas Komunikasi dan Informatika", image_url="",
                           users=[{"name": names["walidata"], "capacity": "editor"}])
    factories.Organization(name="bps", title="BPS Kabupaten Pasuruan", image_url="",
                           users=[{"name": names["pembina"], "capacity": "member"}])
    return names


@pytest.fixture
def as_(people, new_page):
    """as_(role) → a page logged in as that role's person."""
    def page_of(role: str):
        page = new_page()
        log_in(page, people[role])
        return page
    return page_of


def at_phone(page, script: str, arg=None):
    """SCRIPT evaluated on PAGE at 390x844 (then back to 1280x900)."""
    page.set_viewport_size(PHONE)
    try:
        return page.evaluate(script, arg)
    finally:
        page.set_viewport_size(DESKTOP)


#: The right edge (px) of the first element SELECTOR finds.
RIGHT = "s => document.querySelector(s).getBoundingClientRect().right"
#: Texts of SELECTOR's elements that their box cuts off (scrollWidth > clientWidth).
CLIPPED = "s => [...document.querySelectorAll(s)].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"


def open_dialog(page, action: str) -> None:
    """The reason dialog of ACTION on the dataset page (a modal with JavaScript)."""
    page.locator(f"a[data-satudata-action={action}]").click()
    expect(page.locator(f"#satudata-dialog-{action}")).to_be_visible()


def confirm_dialog(page, action: str) -> None:
    with page.expect_navigation():
        page.locator(f"#satudata-dialog-{action} [data-satudata-confirm]").click()


# ---------------------------------------------------------------- the dataset's life

def test_00_walidata_requests_the_data(people, live_server, as_, shots):
    walidata = as_("walidata")
    walidata.goto("/permintaan-data/baru")
    shots.look(walidata, "request-form")
    due = datetime.date.today() + datetime.timedelta(days=30)
    create_data_request(walidata, REQUEST_TITLE, due_date=due.isoformat())
    expect(walidata.get_by_text(REQUEST_TITLE).first).to_be_visible()
    shots.look(walidata, "request-list-walidata")
    # Each request a card on a phone: its status on screen (it was past the right edge).
    assert at_phone(walidata, RIGHT, "tr[data-request-id] .satudata-request-status .badge") <= PHONE["width"]

    producer = as_("produsen")
    producer.goto("/permintaan-data/")
    with producer.expect_navigation():
        producer.get_by_role("link", name=REQUEST_TITLE).click()
    expect(producer.locator("[data-satudata-request-start]")).to_be_visible()
    shots.look(producer, "request-page-opd")
    # The account bar keeps one line on a phone (the log-out button wrapped under "Uji Produsen").
    tops = at_phone(producer, "() => [...document.querySelectorAll('.account-masthead .account li')]"
                              ".map(li => Math.round(li.getBoundingClientRect().top))")
    assert len(set(tops)) == 1, tops
    shots.assert_pages_ok()


def test_01_producer_creates_with_an_uploaded_csv_and_submits(people, live_server, as_, shots):
    page = as_("produsen")
    page.goto("/dashboard/datasets")
    shots.look(page, "my-datasets")

    page.goto("/dataset/new")
    shots.look(page, "form-page-1")
    fill_title(page, TITLE)
    expect(page.locator("#field-name")).to_have_value(SLUG)
    page.fill("#field-notes", "Jumlah penduduk per kecamatan, posisi akhir tahun.")
    page.select_option("#field-sektor", "DEMOGRAFI_DAN_KEPENDUDUKAN", force=True)
    set_hidden(page, "#field-tag_string", "penduduk")
    page.check("#field-akses-TERBUKA")
    page.fill("#field-maintainer", "Seksi Statistik")
    page.fill("#field-maintainer_email", "statistik@pasuruankab.go.id")
    save(page)
    assert re.search(rf"/dataset/new/{SLUG}/2$", page.url), page.url

    shots.look(page, "form-page-2")
    page.fill("#field-konsep", "Penduduk adalah setiap orang yang berdomisili di wilayah kabupaten.")
    page.fill("#field-definisi", "Jumlah penduduk menurut data administrasi kependudukan per 31 Desember.")
    page.fill("#field-klasifikasi", "Kecamatan")
    page.fill("#field-ukuran", "Jumlah")
    page.fill("#field-satuan", "Orang")  # the Walidata will ask for "Jiwa"
    save(page)

    shots.look(page, "form-page-3")
    fill_reference_page(page)
    save(page)
    assert page.url.endswith(f"/dataset/{SLUG}/resource/new"), page.url

    shots.look(page, "resource-form")
    # Whole page titles in the stepper (scheming's chevrons cut "Kode referensi dan wak…").
    stepper = "[data-satudata-stepper] li"
    assert page.locator(stepper).count() == 4
    assert page.evaluate(CLIPPED, stepper) == [] and at_phone(page, CLIPPED, stepper) == []
    expect(page.locator("#field-resource-upload")).to_be_attached()  # uploads are on in the run config
    page.set_input_files("#field-resource-upload", str(FIXTURES / "penduduk_kecil.csv"))
    page.fill("#field-name", "Penduduk per kecamatan")
    set_hidden(page, "#field-format", "CSV")
    with page.expect_navigation():
        page.click("form#resource-edit button[name=save][value=go-metadata]")

    # MS-Var from the file: its columns, one row each, for the producer to complete.
    assert re.search(r"/resource/[^/]+/schema\?next=", page.url), page.url
    names = page.locator("tr.satudata-variable input[name$='-name']")
    columns = [names.nth(i).input_value() for i in range(names.count())]
    assert columns == ["tahun", "kecamatan", "jumlah", "persentase"], columns
    shots.look(page, "variables-from-the-file")
    # On a phone each variable is a card: its Satuan on screen, not past a sideways scroll.
    assert at_phone(page, RIGHT, "input[name=variabel-0-satuan]") <= PHONE["width"]
    for column, values in VARIABLES.items():
        i = columns.index(column)
        for key, value in values.items():
            if key == "konsep":  # a rarer field, folded under "Rincian lain"
                page.locator("tr.satudata-variable-more summary").nth(i).click()
            page.fill(f"input[name=variabel-{i}-{key}]", value)
    with page.expect_navigation():
        page.locator("form button[type=submit].btn-primary").click()
    assert urlparse(page.url).path == f"/dataset/{SLUG}", page.url
    resource = page.context.request.get(f"/api/3/action/package_show?id={SLUG}").json()["result"]["resources"][0]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert list(fields) == columns
    for column, values in VARIABLES.items():
        assert fields[column]["description"] == values["description"]
        assert fields[column]["msvar"] == {k: v for k, v in values.items() if k != "description"}
    wait_validated(page, SLUG)
    page.reload()
    shots.look(page, "draft-validated")

    # The draft answers the Walidata's request ("Serahkan": link it); submitting delivers it.
    page.goto("/permintaan-data/")
    with page.expect_navigation():
        page.get_by_role("link", name=REQUEST_TITLE).click()
    draft = page.locator("#field-dataset_id option", has_text=TITLE)
    page.select_option("#field-dataset_id", draft.get_attribute("value"))
    with page.expect_navigation():
        page.locator("[data-satudata-request-link]").click()
    expect(page.locator("[data-satudata-request-dataset]").get_by_role("link", name=TITLE)).to_be_visible()
    shots.look(page, "request-linked")

    act(page, SLUG, "submit")
    state_is(page, SLUG, "diperiksa_walidata")
    shots.look(page, "submitted")
    shots.assert_pages_ok()


def test_02_walidata_returns_with_notes_per_field(people, live_server, as_, shots):
    page = as_("walidata")
    page.goto("/dashboard/antrean")
    shots.look(page, "queue")
    expect(page.get_by_role("link", name=TITLE).first).to_be_visible()

    page.goto(f"/dataset/{SLUG}")
    shots.look(page, "walidata-checks")
    # The preview's title outside its sideways-scrolling table (as its caption it was cut).
    assert page.locator(".satudata-preview-caption").count() == 1
    assert at_phone(page, RIGHT, ".satudata-preview-caption") <= PHONE["width"]
    open_dialog(page, "return")
    page.fill("#dialog-return-comment", RETURN_REASON)
    page.select_option("#dialog-return-note-field-1", "satuan")
    page.fill("#dialog-return-note-text-1", FIELD_NOTE)
    shots(page, "return-dialog")
    confirm_dialog(page, "return")
    shots.look(page, "returned")
    shots.assert_pages_ok()


def test_03_producer_sees_the_reason_and_the_notes(people, live_server, as_, shots):
    page = as_("produsen")
    state_is(page, SLUG, "dikembalikan")
    shots.look(page, "returned-dataset-page")
    expect(page.get_by_text(RETURN_REASON).first).to_be_visible()
    expect(page.get_by_text(FIELD_NOTE).first).to_be_visible()

    page.goto(f"/dataset/edit/{SLUG}/2")
    shots.look(page, "edit-form-with-notes")
    note = page.locator("[data-satudata-field-note=satuan]")
    expect(note).to_contain_text(FIELD_NOTE)
    # beside its field: the note is the block right above the satuan input
    assert 0 < page.locator("#field-satuan").bounding_box()["y"] - note.bounding_box()["y"] < 120
    shots.assert_pages_ok()


def test_04_producer_fixes_and_resubmits(people, live_server, as_, shots):
    page = as_("produsen")
    state_is(page, SLUG, "dikembalikan")
    page.goto(f"/dataset/edit/{SLUG}")
    shots.look(page, "edit-form")
    # The multi-page edit form: the standar data page holds satuan.
    page.goto(f"/dataset/edit/{SLUG}/2")
    page.fill("#field-satuan", "Jiwa")
    save(page)
    act(page, SLUG, "submit")
    state_is(page, SLUG, "diperiksa_walidata")
    shots.look(page, "resubmitted")
    shots.assert_pages_ok()


def test_05_walidata_forwards_bps_approves_walidata_publishes(people, live_server, as_, shots):
    walidata = as_("walidata")
    walidata.goto(f"/dataset/{SLUG}")
    walidata.fill("#satudata-comment-forward", FORWARD_COMMENT)
    with walidata.expect_navigation():
        walidata.locator("button[data-satudata-action=forward]").click()

    pembina = as_("pembina")
    state_is(pembina, SLUG, "direview_pembina")
    shots.look(pembina, "pembina-reviews")
    expect(pembina.get_by_text(FORWARD_COMMENT).first).to_be_attached()
    act(pembina, SLUG, "approve")

    state_is(walidata, SLUG, "disetujui")
    shots.look(walidata, "walidata-publishes")
    act(walidata, SLUG, "publish")
    state_is(walidata, SLUG, "terpublikasi")
    shots.look(walidata, "published")
    shots.assert_pages_ok()


def test_06_public_finds_by_search_and_facet_and_downloads(people, live_server, new_page, shots, tmp_path):
    page = new_page()
    page.goto("/")
    shots.look(page, "landing")
    page.fill("#satudata-home-q", "penduduk kecamatan")
    with page.expect_navigation():
        page.locator("#satudata-home-q").press("Enter")
    shots.look(page, "search")
    expect(page.get_by_role("link", name=TITLE).first).to_be_visible()

    page.goto("/dataset/")
    facet = page.locator("section.module-narrow", has=page.locator("h2", has_text=re.compile(r"^\s*Format\s*$")))
    with page.expect_navigation():
        facet.get_by_role("link", name=re.compile("CSV")).click()
    assert "res_format=CSV" in page.url
    shots.look(page, "facet-csv")
    with page.expect_navigation():
        page.get_by_role("link", name=TITLE).first.click()
    assert page.url.endswith(f"/dataset/{SLUG}")
    shots.look(page, "public-dataset")

    with page.expect_download() as csv_download:
        page.locator("a[data-satudata-download=csv]").first.click()
    assert Path(csv_download.value.path()).read_bytes() == (FIXTURES / "penduduk_kecil.csv").read_bytes()
    with page.expect_download() as xlsx_download:
        page.locator("a[data-satudata-download=xlsx]").first.click()
    assert Path(xlsx_download.value.path()).read_bytes()[:2] == b"PK"
    assert page.goto("/dataset/tidak-ada-dataset-ini").status == 404
    shots.look(page, "not-found")
    shots.assert_pages_ok()


def test_06b_public_resource_page(people, live_server, new_page, shots):
    page = new_page()
    page.goto(f"/dataset/{SLUG}")
    with page.expect_navigation():
        page.locator(".resource-item a.heading, .resource-item .heading").first.click()
    assert "/resource/" in page.url
    shots.look(page, "resource-page")
    # The sidebar: files and sharing, not a bare "Lisensi Lisensi tidak disebutkan" row.
    sidebar = page.locator("aside.secondary")
    expect(sidebar.locator(".module-heading", has_text="Bagikan")).to_be_visible()
    assert "Lisensi" not in sidebar.inner_text()
    shots.assert_pages_ok()


def test_07_a_revision_is_published_over_the_original(people, live_server, as_, shots):
    producer = as_("produsen")
    # The edit form of a published dataset leads to its page, which offers the revision.
    producer.goto(f"/dataset/edit/{SLUG}")
    assert producer.url.endswith(f"/dataset/{SLUG}"), producer.url
    shots.look(producer, "edit-published")
    with producer.expect_navigation():
        producer.locator("form.satudata-revision-panel button[type=submit]").click()
    copy = producer.url.rstrip("/").rpartition("/")[2]
    assert copy != SLUG
    shots.look(producer, "revision-opened")
    producer.goto(f"/dataset/edit/{copy}")
    shots.look(producer, "revision-edit-form")
    producer.fill("#field-notes", "Jumlah penduduk per kecamatan, posisi akhir tahun (diperbarui).")
    save(producer)
    act(producer, copy, "submit")

    walidata, pembina = as_("walidata"), as_("pembina")
    act(walidata, copy, "forward")
    act(pembina, copy, "approve")
    walidata.goto(f"/dataset/{copy}")
    with walidata.expect_navigation() as published:
        walidata.locator("[data-satudata-action=publish]").click()
    assert published.value is None or published.value.status < 500
    assert walidata.url.endswith(f"/dataset/{SLUG}"), walidata.url
    expect(walidata.locator(".alert-success, .flash-messages .alert").first).to_be_visible()
    shots.look(walidata, "revision-published")
    assert "(diperbarui)" in walidata.locator("body").inner_text()
    shots.assert_pages_ok()


# ---------------------------------------------------------------- data requests

def create_data_request(page, title: str, organization: str = "dinas-kesehatan",
                        due_date: str = "2027-01-29") -> None:
    """The Walidata's form: PAGE is the Walidata's, lands on the list."""
    page.goto("/permintaan-data/baru")
    page.fill("#field-title", title)
    page.fill("#field-description", "Untuk perencanaan layanan kesehatan dasar.")
    page.select_option("#field-organization", organization)
    page.fill("#field-due_date", due_date)
    with page.expect_navigation():
        page.locator("#satudata-request-form button[type=submit]").click()
    assert page.url.rstrip("/").endswith("/permintaan-data"), page.url


def test_08_walidata_sees_the_request_delivered_on_time(people, live_server, as_, shots):
    walidata = as_("walidata")
    walidata.goto("/permintaan-data/")
    row = walidata.locator("tr[data-request-id]", has=walidata.get_by_role("link", name=REQUEST_TITLE))
    expect(row.locator(".satudata-request-status")).to_have_text("Diserahkan tepat waktu")
    expect(row.get_by_role("link", name=TITLE)).to_be_visible()
    shots.look(walidata, "request-list-delivered")
    with walidata.expect_navigation():
        row.get_by_role("link", name=REQUEST_TITLE).click()
    expect(walidata.locator("[data-satudata-timeliness]")).to_have_attribute("data-satudata-timeliness", "on_time")
    expect(walidata.locator("[data-satudata-timeliness]")).to_contain_text("Diserahkan tepat waktu")
    expect(walidata.locator("[data-satudata-request-dataset]").get_by_role("link", name=TITLE)).to_be_visible()
    expect(walidata.locator("[data-satudata-request-event=deliver]")).to_have_count(1)
    shots.look(walidata, "request-delivered")
    shots.assert_pages_ok()


# ---------------------------------------------------------------- MS-Keg

KEGIATAN_SLUG = "survei-kepuasan-uji-peramban"

_FILL = r"""(values) => {
  const fire = el => ['input', 'change'].forEach(t => el.dispatchEvent(new Event(t, {bubbles: true})));
  const set = (name, value) => {
    const els = [...document.getElementsByName(name)].filter(el => ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName));
    if (!els.length) return;
    const values = (Array.isArray(value) ? value : [value]).map(v => v === true ? 'true' : v === false ? 'false' : String(v));
    for (const [i, el] of els.entries()) {
      if (el.type === 'checkbox' || el.type === 'radio') { el.checked = values.includes(el.value); fire(el); }
      else if (el.tagName === 'SELECT' && el.multiple) { [...el.options].forEach(o => o.selected = values.includes(o.value)); fire(el); }
      else if (el.type !== 'hidden' && i < values.length) { el.value = values[i]; fire(el); }
    }
  };
  for (const [name, value] of Object.entries(values)) {
    if (Array.isArray(value) && value.length && typeof value[0] === 'object') {
      // Repeating subfields: press "Tambah" until the rows are there.
      const first = Object.keys(value[0])[0];
      const label = document.querySelector(`label[for="field-${name}"]`);
      const add = label && label.closest('.form-group, .control-group').querySelector('a[name=repeating-add]');
      for (let i = 0; add && i < value.length && !document.getElementsByName(`${name}-${i}-${first}`).length; i++) add.click();
      value.forEach((row, i) => Object.entries(row).forEach(([k, v]) => set(`${name}-${i}-${k}`, v)));
    } else {
      const more = document.querySelector(`a[href*="multiple_add('${name}')"]`);
      const inputs = () => document.querySelectorAll(`input[name="${name}"]`).length;
      if (more && Array.isArray(value)) while (inputs() < value.length) more.click();
      set(name, value);
    }
  }
}"""


def test_09_producer_completes_an_ms_keg_through_all_pages(people, live_server, as_, shots):
    page = as_("produsen")
    values = sd.kegiatan("dinas-kesehatan", name=KEGIATAN_SLUG)
    for key in ("type", "owner_org", "name"):
        values.pop(key)
    page.goto("/kegiatan/new")
    page.fill("#field-title", values.pop("title"))
    set_hidden(page, "#field-name", KEGIATAN_SLUG)
    for n in range(1, 12):
        page.evaluate(_FILL, values)
        shots.look(page, f"ms-keg-page-{n}")
        # An option's label is no field name: no colon after "Wawancara" (CKAN's label:after).
        assert page.evaluate("() => [...document.querySelectorAll('.form-check-label')]"
                             ".filter(l => getComputedStyle(l, '::after').content.includes(':')).length") == 0
        save(page)
        errors = page.locator(".error-explanation, .alert-error, .alert-danger")
        assert errors.count() == 0, f"page {n}: {errors.first.inner_text()}"
        if not re.search(r"/kegiatan/new/", page.url):
            break
    assert page.url.endswith(f"/kegiatan/{KEGIATAN_SLUG}"), page.url
    shots(page, "ms-keg-done")
    shots.assert_pages_ok()


def test_09b_the_finished_ms_keg_page(people, live_server, as_, shots):
    page = as_("produsen")
    page.goto(f"/kegiatan/{KEGIATAN_SLUG}")
    shots.look(page, "ms-keg-page")
    shots.assert_pages_ok()
