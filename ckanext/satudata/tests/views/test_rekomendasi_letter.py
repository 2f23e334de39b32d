"""The BPS recommendation letter uploaded from the kegiatan page, as the people who meet the
form: the state's editors may (the OPD's members while they prepare the request), nobody else
may, and a file that is not a PDF is refused with the reason and stores nothing."""
from __future__ import annotations

import io

import lxml.html
import pytest

from ckan.tests import factories as ckan_factories, helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.conftest import FIXTURES

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def letters(kegiatan) -> list[dict]:
    shown = helpers.call_action("package_show", {"ignore_auth": True}, id=kegiatan["id"])
    return [r for r in shown["resources"] if r.get("resource_type") == "surat_rekomendasi"]


def post(app, kegiatan, headers, content: bytes, filename: str, status: int = 302):
    return app.post(f"/kegiatan/{kegiatan['name']}/rekomendasi/surat", headers=headers,
                    data={"upload": (io.BytesIO(content), filename)}, follow_redirects=False,
                    status=status)


def flashed(app, response) -> list[tuple[str, str]]:
    """The (category, message) flashes RESPONSE left in the signed session cookie."""
    cookie = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    flask_app = app.flask_app
    session = flask_app.session_interface.get_signing_serializer(flask_app).loads(cookie)
    return [tuple(entry) for entry in session.get("_flashes", [])]


def panel(app, kegiatan, headers):
    response = app.get(f"/kegiatan/{kegiatan['name']}", headers=headers)
    return lxml.html.fromstring(response.body).xpath("//*[@data-satudata-rekomendasi]")[0]


def test_the_opd_uploads_replaces_and_is_told_what_is_wrong(app, portal, login):
    kegiatan = portal.kegiatan(rekomendasi_dari_bps=False, identitas_rekomendasi="")
    second = ckan_factories.User(name="produsen-dinkes-2")
    helpers.call_action("organization_member_create", {"ignore_auth": True},
                        id=portal.opd["id"], username=second["name"], role="editor")
    producer = login(portal.produsen)
    assert panel(app, kegiatan, producer).xpath(".//form[@data-satudata-rekomendasi-form]")

    answer = post(app, kegiatan, producer, (FIXTURES / "penduduk_kecil.csv").read_bytes(), "surat.pdf")
    assert letters(kegiatan) == []
    # Sent back to the kegiatan page with the reason waiting in the session (a flash message).
    assert answer.headers["Location"].endswith(f"/kegiatan/{kegiatan['name']}")
    refused = " ".join(message for _, message in flashed(app, answer))
    assert "Surat rekomendasi harus berupa berkas PDF; berkas ini bukan PDF" in refused

    pdf = sd.LETTER_PDF.read_bytes()
    saved = post(app, kegiatan, producer, pdf, "surat-rekomendasi.pdf")
    assert flashed(app, saved) == [("alert-success", "Surat rekomendasi tersimpan.")]
    (stored,) = letters(kegiatan)
    shown = panel(app, kegiatan, producer)
    assert shown.xpath(".//a[@data-satudata-rekomendasi-surat]")
    assert "Ganti surat rekomendasi (PDF)" in " ".join(shown.text_content().split())

    post(app, kegiatan, login(second), pdf, "surat-rekomendasi-2.pdf")  # the OPD's other member
    (replaced,) = letters(kegiatan)
    assert replaced["id"] == stored["id"] and replaced["url"].endswith("surat-rekomendasi-2.pdf")


def test_no_form_and_a_refusal_for_everyone_else(app, portal, login):
    kegiatan = portal.kegiatan(rekomendasi_dari_bps=False, identitas_rekomendasi="")
    pdf = sd.LETTER_PDF.read_bytes()
    helpers.call_action("satudata_workflow_transition", {"user": portal.produsen["name"]},
                        id=kegiatan["id"], action="submit")
    # Submitted: the Walidata reads it (steward oversight) but no one may add files now.
    for reader in (portal.walidata, portal.produsen):
        shown = panel(app, kegiatan, login(reader))
        assert not shown.xpath(".//form[@data-satudata-rekomendasi-form]"), reader["name"]
    post(app, kegiatan, login(portal.produsen), pdf, "surat.pdf", status=403)
    post(app, kegiatan, login(portal.walidata), pdf, "surat.pdf", status=403)
    post(app, kegiatan, login(portal.produsen_lain), pdf, "surat.pdf", status=403)
    anonymous = app.post(f"/kegiatan/{kegiatan['name']}/rekomendasi/surat", follow_redirects=False,
                         data={"upload": (io.BytesIO(pdf), "surat.pdf")})
    assert anonymous.status_code in (400, 403)  # no CSRF token, and no right either
    assert letters(kegiatan) == []
