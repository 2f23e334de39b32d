"""The Daftar Data Sektoral pages (SOP Tanjab step 1): the list, the daftar page with its
rows form and sending, what an OPD sees; through the real app, a real user per role."""
from __future__ import annotations

import datetime

from ckan.tests import helpers

import ckan.model as model

from ckanext.satudata.model import DaftarEntry, DataRequest
from ckanext.satudata.tests.documents.conftest import pdf_text
from ckanext.satudata.tests.views.test_workflow import _text, page, parse
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)


def post(app, url, headers, data, status=302):
    response = app.post(url, headers=headers, data=data, follow_redirects=False)
    assert response.status_code == status, (url, response.status_code, response.body[-1500:])
    return response


def rows(*given):
    form = {"rows": str(len(given))}
    for n, row in enumerate(given):
        form.update({f"row-{n}-{k}": v for k, v in row.items()})
    return form


class TestPages:
    def test_the_walidata_drafts_adds_rows_and_sends(self, app, portal, login):  # noqa: F811
        walidata = login(portal.walidata)
        doc = page(app, "/daftar-data-sektoral/", walidata)
        assert _text(doc.xpath("//h1")[0]) == "Daftar Data Sektoral"
        assert doc.xpath("//form[@id='satudata-daftar-form']")

        bad = post(app, "/daftar-data-sektoral/", walidata, {"period": " ", "notes": "Catatan"},
                   400)
        assert "Catatan" in bad.body  # nothing lost
        made = post(app, "/daftar-data-sektoral/", walidata, {"period": "2027",
                                                             "entry_due_date": "2099-03-31"})
        daftar_id = made.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        url = f"/daftar-data-sektoral/{daftar_id}"

        refused = post(app, f"{url}/entri", walidata, rows(
            {"organization": "dinas-kesehatan", "title": "Jumlah puskesmas",
             "satuan": "unit"},
            {"organization": "dinas-tidak-ada", "title": "Data hantu"},
            {"organization": "", "title": "", "standar_data": ""}), 400)
        doc = parse(refused)
        assert len(doc.xpath("//tr[@data-satudata-row-error]")) == 1
        assert doc.xpath("//input[@name='row-0-title']")[0].get("value") == "Jumlah puskesmas"
        assert doc.xpath("//input[@name='row-1-title']")[0].get("value") == "Data hantu"
        assert model.Session.query(DaftarEntry).count() == 0

        post(app, f"{url}/entri", walidata, rows(
            {"organization": "dinas-kesehatan", "title": "Jumlah puskesmas", "satuan": "unit",
             "frekuensi": "Tahunan"},
            {"organization": "dinas-kesehatan", "title": "Jumlah bidan"},
            {"organization": "dinas-pendidikan", "title": "Jumlah sekolah dasar"},
            {"organization": "", "title": ""}))
        doc = page(app, url, walidata)
        assert [s.get("data-satudata-opd") for s in doc.xpath("//section[@data-satudata-opd]")] \
            == ["dinas-kesehatan", "dinas-pendidikan"]
        assert doc.xpath("//table[contains(@class, 'satudata-daftar-rows')]"
                         "/ancestor::div[contains(@class, 'satudata-stacks')]")  # phone: cards
        assert "Kirim 3 permintaan data ke 2 OPD" in _text(doc)

        unconfirmed = post(app, f"{url}/kirim", walidata, {}, 400)
        assert model.Session.query(DataRequest).count() == 0 and "centang" in unconfirmed.body.lower()
        post(app, f"{url}/kirim", walidata, {"confirm": "yes"})
        assert model.Session.query(DataRequest).count() == 3
        doc = page(app, url, walidata)
        assert doc.xpath("//*[@data-satudata-daftar-state='sent']")
        assert not doc.xpath("//form[@id='satudata-daftar-rows']")  # sent: no more rows
        assert [r.get("data-satudata-progress") for r in doc.xpath("//tr[@data-satudata-progress]")] \
            == ["dinas-kesehatan", "dinas-pendidikan"]
        listed = page(app, "/daftar-data-sektoral/", walidata)
        assert "2027" in _text(listed) and "Terkirim tepat waktu" in _text(listed)
        assert "Sent on time" in app.get("/en/daftar-data-sektoral/", headers=walidata).body

    def test_the_opd_sees_its_own_entries_of_sent_lists(self, app, portal, login):  # noqa: F811
        as_walidata = {"user": portal.walidata["name"], "ignore_auth": False}
        draft = helpers.call_action("satudata_daftar_create", as_walidata, period="2028")
        sent = helpers.call_action("satudata_daftar_create", as_walidata, period="2027")
        for made in (draft, sent):
            helpers.call_action("satudata_daftar_entry_add", as_walidata, id=made["id"], entries=[
                {"organization": "dinas-kesehatan", "title": "Jumlah puskesmas"},
                {"organization": "dinas-pendidikan", "title": "Jumlah sekolah dasar"}])
        helpers.call_action("satudata_daftar_send", as_walidata, id=sent["id"])
        producer = login(portal.produsen)
        listed = page(app, "/daftar-data-sektoral/", producer)
        assert [r.get("data-daftar-id") for r in listed.xpath("//tr[@data-daftar-id]")] == [
            sent["id"]]
        assert not listed.xpath("//form[@id='satudata-daftar-form']")
        doc = page(app, f"/daftar-data-sektoral/{sent['id']}", producer)
        assert "Jumlah puskesmas" in _text(doc) and "Jumlah sekolah dasar" not in _text(doc)
        assert not doc.xpath("//form[@id='satudata-daftar-rows']")
        assert [a.get("data-satudata-letter") for a in doc.xpath("//a[@data-satudata-letter]")] \
            == ["dinas-kesehatan"]  # its own letter only
        letter = app.get(doc.xpath("//a[@data-satudata-letter]")[0].get("href"), headers=producer)
        assert letter.status_code == 200 and letter.data.startswith(b"%PDF-")
        assert "Jumlah puskesmas" in pdf_text(letter.data)
        assert app.get(f"/daftar-data-sektoral/{sent['id']}/surat/dinas-pendidikan.pdf",
                       headers=producer).status_code == 403
        page(app, f"/daftar-data-sektoral/{draft['id']}", producer, status=403)
        page(app, f"/daftar-data-sektoral/{sent['id']}", login(portal.pembina), status=403)
        page(app, "/daftar-data-sektoral/", status=403)
        post(app, "/daftar-data-sektoral/", producer, {"period": "2029"}, 403)
        # Its request links back to the list it came from.
        request = model.Session.query(DataRequest).filter_by(title="Jumlah puskesmas").one()
        doc = page(app, f"/permintaan-data/{request.id}", producer)
        assert doc.xpath("//*[@data-satudata-request-daftar]")

    def test_an_overdue_draft_is_flagged_on_the_dasbor(self, app, portal, login):  # noqa: F811
        as_walidata = {"user": portal.walidata["name"], "ignore_auth": False}
        made = helpers.call_action("satudata_daftar_create", as_walidata, period="2027")
        from ckanext.satudata.model import DaftarDataSektoral
        row = model.Session.get(DaftarDataSektoral, made["id"])
        row.due = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.timezone.utc)
        model.repo.commit()
        doc = page(app, "/dashboard/ringkasan", login(portal.walidata))
        flagged = doc.xpath(f"//*[@data-satudata-daftar='{made['id']}']")
        assert flagged and flagged[0].get("data-satudata-overdue") is not None
        assert doc.xpath(f"//*[@data-satudata-daftar='{made['id']}']//*[@data-satudata-daftar-overdue]")
        doc = page(app, "/dashboard/ringkasan", login(portal.produsen))
        assert not doc.xpath("//*[@data-satudata-daftars]")
