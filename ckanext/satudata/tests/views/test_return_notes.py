"""Issue 11 item 8: a return's reason and notes where the producer works: on top
of the dataset page, beside each field of every form page, on the file's page
and in its variable table; for the workflow's participants only. And notices
that read as people talk: the step's label, the portal's time zone, names."""
from __future__ import annotations

import json

import pytest

import ckan.model as model
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.model import Notification
from ckanext.satudata.tests.views.test_workflow import _text, act, page, parse, post_step, version_of
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)

SCHEMA = {"fields": [
    {"name": "kecamatan", "type": "string", "title": "Kecamatan", "description": "Nama kecamatan"},
    {"name": "jumlah", "type": "integer", "title": "Jumlah", "description": "Jumlah penduduk"},
]}


@pytest.fixture
def returned(app, portal, login):  # noqa: F811
    """A dataset with a file, returned by the Walidata through the form with notes on
    a dataset field, on the file and on one of its variables."""
    dataset = portal.dataset()
    resource = helpers.call_action(
        "resource_create", {"user": portal.produsen["name"]}, package_id=dataset["id"],
        name="Tabel penduduk", url="http://example.com/penduduk.json", format="JSON",
        schema=json.dumps(SCHEMA))
    act(portal.produsen, dataset, "submit")
    form = page(app, f"/dataset/{dataset['name']}/workflow/return", login(portal.walidata))
    offered = form.xpath("//select[@name='note_field']")[0]
    values = offered.xpath(".//option/@value")
    assert "satuan" in values and f"resource:{resource['id']}" in values
    assert f"resource:{resource['id']}:jumlah" in values
    assert [g.get("label") for g in offered.xpath("./optgroup")] == [
        "Isian dataset", "Berkas", "Variabel (MS-Var)"]
    post_step(app, login(portal.walidata), dataset, action="return",
              version=str(version_of(dataset)), comment="Satuan dan berkas belum sesuai",
              note_field=["satuan", f"resource:{resource['id']}",
                          f"resource:{resource['id']}:jumlah"],
              note_text=["Gunakan Jiwa", "Unggah ulang tahun 2024",
                         "Definisi jumlah belum jelas"])
    return dataset, resource


class TestDatasetPage:
    def test_reason_and_notes_on_top_for_the_opd(self, app, portal, login, returned):  # noqa: F811
        dataset, resource = returned
        doc = page(app, f"/dataset/{dataset['name']}", login(portal.produsen))
        (notice,) = doc.xpath("//*[@data-satudata-return-notice]")
        text = _text(notice)
        assert "Dikembalikan untuk diperbaiki" in text
        assert "Satuan dan berkas belum sesuai" in text
        assert "Satuan: Gunakan Jiwa" in text
        assert "Berkas: Tabel penduduk: Unggah ulang tahun 2024" in text
        assert "Variabel jumlah (Tabel penduduk): Definisi jumlah belum jelas" in text
        # by name, in the portal's time zone
        assert portal.walidata["fullname"] in text and "WIB" in text
        assert "walidata," not in text
        # on top: before the review panel and the title
        body = parse(app.get(f"/dataset/{dataset['name']}", headers=login(portal.produsen))).xpath(
            "//*[@data-satudata-return-notice or contains(@class,'satudata-workflow') "
            "or self::h1]")
        assert body[0].get("data-satudata-return-notice") is not None
        # the history names people too
        (row,) = doc.xpath("//tr[@data-satudata-event='return']")
        assert portal.walidata["fullname"] in _text(row)

    def test_a_second_member_of_the_opd_sees_it(self, app, portal, login, returned):  # noqa: F811
        dataset, _res = returned
        second = ckan_factories.User(name="produsen-dinkes-2")
        helpers.call_action("organization_member_create", {"ignore_auth": True},
                            id=dataset["owner_org"], username=second["name"], role="editor")
        doc = page(app, f"/dataset/{dataset['name']}", login(second))
        assert doc.xpath("//*[@data-satudata-return-notice]")

    def test_never_for_others(self, app, portal, login, returned):  # noqa: F811
        dataset, _res = returned
        # Another OPD and the public cannot open the returned dataset at all;
        # BPS does not take part before the forward.
        for user in (portal.produsen_lain, None):
            response = app.get(f"/dataset/{dataset['name']}",
                               headers=login(user) if user else None)
            assert response.status_code in (403, 404)
            assert "Gunakan Jiwa" not in response.body
        # Membership just removed: nothing either.
        member = model.Session.query(model.Member).filter_by(
            group_id=dataset["owner_org"], table_name="user",
            table_id=model.User.get(portal.produsen["name"]).id).one()
        member.state = "deleted"
        model.repo.commit()
        response = app.get(f"/dataset/{dataset['name']}", headers=login(portal.produsen))
        assert response.status_code in (403, 404) and "Gunakan Jiwa" not in response.body

    def test_gone_once_resubmitted(self, app, portal, login, returned):  # noqa: F811
        dataset, _res = returned
        act(portal.produsen, dataset, "submit")
        doc = page(app, f"/dataset/{dataset['name']}", login(portal.walidata))
        assert not doc.xpath("//*[@data-satudata-return-notice]")
        shown = helpers.call_action("satudata_workflow_show", {"user": "walidata"},
                                    id=dataset["id"])
        assert shown["last_return"] is None


class TestEditForm:
    def test_notes_beside_their_fields_on_every_page(self, app, portal, login, returned):  # noqa: F811
        from ckan.plugins import toolkit as tk

        dataset, _res = returned
        pages = tk.h.scheming_get_dataset_form_pages("dataset")
        seen = {}
        urls = ([f"/dataset/edit/{dataset['name']}/{n}" for n in range(1, len(pages) + 1)]
                if pages else [f"/dataset/edit/{dataset['name']}"])
        for url in urls:
            doc = page(app, url, login(portal.produsen))
            # every page says why the dataset came back and where the notes are
            (top,) = doc.xpath("//*[@data-satudata-return-notice]")
            assert "Satuan dan berkas belum sesuai" in _text(top)
            assert "Satuan: Gunakan Jiwa" in _text(top)
            for note in doc.xpath("//*[@data-satudata-field-note]"):
                seen[note.get("data-satudata-field-note")] = (_text(note), note)
        assert set(seen) == {"satuan"}
        text, note = seen["satuan"]
        assert text == "Catatan pemeriksa: Gunakan Jiwa"
        # beside the field: the next form control is the field's own
        following = note.xpath("following::*[@name][1]")[0]
        assert following.get("name") == "satuan"

    def test_resource_form_and_page(self, app, portal, login, returned):  # noqa: F811
        dataset, resource = returned
        doc = page(app, f"/dataset/{dataset['name']}/resource/{resource['id']}/edit",
                   login(portal.produsen))
        notes = {n.get("data-satudata-field-note"): _text(n)
                 for n in doc.xpath("//*[@data-satudata-field-note]")}
        assert notes["url"] == "Catatan pemeriksa: Unggah ulang tahun 2024"
        assert "jumlah: Definisi jumlah belum jelas" in notes["variabel"]

        doc = page(app, f"/dataset/{dataset['name']}/resource/{resource['id']}",
                   login(portal.produsen))
        (top,) = doc.xpath("//*[@data-satudata-resource-notes]")
        assert "Unggah ulang tahun 2024" in _text(top)
        (cell,) = doc.xpath("//td[@data-satudata-variable-note='jumlah']")
        assert _text(cell) == "Definisi jumlah belum jelas"
        assert _text(doc.xpath("//td[@data-satudata-variable-note='kecamatan']")[0]) == ""


class TestNotice:
    def test_the_notice_names_the_step_and_the_portal_time(self, portal, returned):  # noqa: F811
        dataset, _res = returned
        notice = (model.Session.query(Notification)
                  .filter_by(package_id=dataset["id"],
                             user_id=model.User.get(portal.produsen["name"]).id)
                  .order_by(Notification.created.desc()).first())
        assert "(tindakan: return)" not in notice.body
        assert "(tindakan: Kembalikan ke Produsen Data)" in notice.body
        assert "UTC" not in notice.body and " WIB" in notice.body


class TestNoteTargets:
    def test_notes_only_on_this_datasets_fields_files_and_variables(self, portal):  # noqa: F811
        dataset = portal.dataset()
        other = portal.dataset()
        theirs = helpers.call_action(
            "resource_create", {"user": portal.produsen["name"]}, package_id=other["id"],
            name="Lain", url="http://example.com/lain.json", format="JSON")
        act(portal.produsen, dataset, "submit")
        for notes in ({"bukan_isian": "x"}, {f"resource:{theirs['id']}": "x"},
                      {"satuan": "  "}):
            with pytest.raises(helpers.logic.ValidationError) as refused:
                act(portal.walidata, dataset, "return", comment="Perbaiki", field_notes=notes)
            assert "field_notes" in refused.value.error_dict
        shown = act(portal.walidata, dataset, "return", comment="Perbaiki",
                    field_notes={"satuan": "Gunakan Jiwa"})
        assert shown["state"] == "dikembalikan"
        assert shown["last_return"]["field_notes"] == {"satuan": "Gunakan Jiwa"}
        assert shown["last_return"]["user_display"] == portal.walidata["fullname"]
