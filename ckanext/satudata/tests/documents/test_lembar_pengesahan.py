"""The Lembar Pengesahan of a dataset walked through its review as real users: each level's
name, position, time, decision and notes read back from the PDF; who may download it
(action and page, auth on); hostile text."""
from __future__ import annotations

import base64

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.satudata.documents import layout
from ckanext.satudata.tests.documents.conftest import pdf_text
from ckanext.satudata.tests.views.conftest import login  # noqa: F401  (fixture)
from ckanext.satudata.tests.workflow.conftest import member, portal  # noqa: F401  (fixture)

NotAuthorized = tk.NotAuthorized
HOSTILE = "<b>Kurang</b> & <font size=80>satuan</font> ]]> " + "Tanpaspasi" * 60


def act(user: str, dataset: dict, action: str, **extra) -> dict:
    return helpers.call_action("satudata_workflow_transition", {"user": user}, id=dataset["id"],
                               action=action, **extra)


def named(name: str, fullname: str) -> None:
    model.User.get(name).fullname = fullname
    model.repo.commit()


def sheet_as(user: str, dataset: dict) -> bytes:
    made = tk.get_action("satudata_lembar_pengesahan")(
        {"user": user, "ignore_auth": False}, {"id": dataset["name"]})
    assert made["mimetype"] == "application/pdf"
    assert made["filename"] == f"lembar-pengesahan-{dataset['name']}.pdf"
    return base64.b64decode(made["content"])


@pytest.fixture
def walked(portal):  # noqa: F811
    """A dataset submitted, returned with notes, submitted again, forwarded, approved by
    BPS and published, each step by the role's user; the Walidata has its profile."""
    helpers.call_action("organization_patch", {"ignore_auth": True, "user": "admin-satudata"},
                        id="diskominfo",
                        title="Dinas Komunikasi dan Informatika", alamat="Jl. Hayam Wuruk 14",
                        telepon="(0343) 424207", email="diskominfo@pasuruankab.go.id")
    for name, full in (("produsen-dinkes", "Siti Rahmawati"), ("walidata", "Budi Santoso"),
                       ("pembina-bps", "Dewi Lestari")):
        named(name, full)
    dataset = portal.dataset(id_sds="SP00055.35.14")
    act("produsen-dinkes", dataset, "submit", comment="Mohon diperiksa")
    act("walidata", dataset, "return", comment=HOSTILE,
        field_notes={"title": "Judul <terlalu> panjang & kabur"})
    act("produsen-dinkes", dataset, "submit")
    act("walidata", dataset, "forward", comment="Lengkap")
    act("pembina-bps", dataset, "approve", comment="Sesuai standar data")
    act("walidata", dataset, "publish")
    return dataset


def test_sheet_prints_every_level(walked, portal):  # noqa: F811
    text = pdf_text(sheet_as("produsen-dinkes", walked))
    assert "LEMBAR PENGESAHAN" in text
    # letterhead from the Walidata's profile
    for part in ("DINAS KOMUNIKASI DAN INFORMATIKA", "Jl. Hayam Wuruk 14", "Telepon (0343) 424207",
                 "Email diskominfo@pasuruankab.go.id"):
        assert part in text
    # the dataset on top
    for part in ("Jumlah Penduduk menurut Kecamatan dan Jenis Kelamin", "Dinas Kesehatan",
                 "SP00055.35.14", "Status saat ini : Terpublikasi"):
        assert part in text
    # each level: name, position (capacity, no jabatan in sdi), organization, decision, notes
    for part in ("Siti Rahmawati", "Budi Santoso", "Dewi Lestari", "Editor", "Anggota",
                 "sebagai Produsen Data", "sebagai Walidata", "sebagai Pembina Data (BPS)",
                 "Ajukan ke Walidata", "Kembalikan ke Produsen Data", "Teruskan ke Pembina Data",
                 "Setujui", "Publikasikan", "Status menjadi: Terpublikasi", "Mohon diperiksa", "Lengkap",
                 "Sesuai standar data", "<b>Kurang</b> & <font size=80>satuan</font> ]]>",
                 "Judul: Judul <terlalu> panjang & kabur"):
        assert part in text, part
    # date and time of each step in the portal's time zone, in Indonesian
    shown = helpers.call_action("satudata_workflow_show", {"user": "walidata"}, id=walked["id"])
    assert len(shown["history"]) == 6
    for event in shown["history"]:
        assert layout.waktu(event["timestamp"]) in text
    assert " WIB" in text
    assert text.index("Ajukan ke Walidata") < text.index("Setujui") < text.index("Publikasikan")


def test_who_may_download(walked, portal, app, login):  # noqa: F811
    url = f"/dataset/{walked['name']}/lembar-pengesahan.pdf"
    page = f"/dataset/{walked['name']}"
    second = member("produsen-kedua", "dinas-kesehatan", "editor")
    # a sysadmin reads the trail on the page too (CKAN's sysadmin rule, as for the history)
    allowed = [portal.produsen, second, portal.walidata, portal.pembina, portal.sysadmin]
    refused = [portal.produsen_lain, member("anggota-dinkes", "dinas-kesehatan", "member")]
    for user in allowed:
        assert "Budi Santoso" in pdf_text(sheet_as(user["name"], walked))
        got = app.get(url, headers=login(user))
        assert got.status_code == 200, user["name"]
        assert got.headers["Content-Type"] == "application/pdf"
        assert (got.headers["Content-Disposition"]
                == f'attachment; filename="lembar-pengesahan-{walked["name"]}.pdf"')
        assert "Setujui" in pdf_text(got.data)
        assert "data-satudata-lembar-pengesahan" in app.get(page, headers=login(user)).body
    # another OPD's producer, and an OPD member who plays no role in the workflow (the
    # history's participants are its editors): the published page is public, but shows
    # them (and anonymous) no link
    for user in refused:
        with pytest.raises(NotAuthorized):
            sheet_as(user["name"], walked)
        assert app.get(url, headers=login(user)).status_code == 403
        assert "data-satudata-lembar-pengesahan" not in app.get(page, headers=login(user)).body
    with pytest.raises(NotAuthorized):
        sheet_as("", walked)
    assert app.get(url).status_code == 403
    assert "data-satudata-lembar-pengesahan" not in app.get(page).body
    # a membership just removed: refused from the next request on
    helpers.call_action("organization_member_delete", {"user": "admin-satudata"},
                        id="dinas-kesehatan", username="produsen-kedua")
    with pytest.raises(NotAuthorized):
        sheet_as("produsen-kedua", walked)
    assert app.get(url, headers=login(second)).status_code == 403
    assert app.get("/dataset/tidak-ada/lembar-pengesahan.pdf",
                   headers=login(portal.walidata)).status_code == 404


def test_draft_is_for_its_opd_and_reviewers_only(portal, app, login):  # noqa: F811
    """Before publication the sheet follows the dataset's own visibility: the OPD's
    producers see their draft's sheet, another OPD does not even learn it exists."""
    dataset = portal.dataset()
    act("produsen-dinkes", dataset, "submit")
    assert "Ajukan ke Walidata" in pdf_text(sheet_as("produsen-dinkes", dataset))
    assert "Ajukan ke Walidata" in pdf_text(sheet_as("walidata", dataset))
    with pytest.raises(NotAuthorized) as refused:
        sheet_as("produsen-disdik", dataset)
    assert dataset["id"] not in str(refused.value)
    assert app.get(f"/dataset/{dataset['id']}/lembar-pengesahan.pdf",
                   headers=login(portal.produsen_lain)).status_code == 403


def test_hostile_title_and_no_steps(portal):  # noqa: F811
    dataset = portal.dataset(title="<script>alert(1)</script> & " + "Panjangsekali" * 40)
    text = pdf_text(sheet_as("produsen-dinkes", dataset))
    assert "<script>alert(1)</script> &" in text
    assert "Belum ada tahap pemeriksaan yang tercatat." in text
    assert "Status saat ini : Draf" in text
