"""Issue 11 item 5: one page per data request, with "Serahkan" for the requested
OPD (link a dataset it may edit, or start one from the request) and edit/cancel
for the Walidata; through the real app with a real user per role."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.model import DataRequest
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.views.test_workflow import _text, act, page, parse
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)


def make_request(portal, **fields):  # noqa: F811
    data = {"title": "Jumlah puskesmas per kecamatan 2025", "organization": "dinas-kesehatan",
            "description": "Untuk buku Kabupaten Dalam Angka", "due_date": "2099-01-05"}
    data.update(fields)
    return helpers.call_action("satudata_request_create",
                               {"user": portal.walidata["name"], "ignore_auth": False}, **data)


def add_member(org, name, capacity):
    user = ckan_factories.User(name=name)
    helpers.call_action("organization_member_create", {"ignore_auth": True}, id=org,
                        username=name, role=capacity)
    return user


class TestReadPage:
    def test_the_opd_sees_the_request_and_may_deliver(self, app, portal, login):  # noqa: F811
        made = make_request(portal)
        draft = portal.dataset(title="Draf puskesmas")
        sd.create(sd.data_sektoral(portal.opd_lain["id"], kegiatan=None, title="Milik disdik"),
                  "produsen-disdik")
        doc = page(app, f"/permintaan-data/{made['id']}", login(portal.produsen))
        assert _text(doc.xpath("//h1")[0]) == made["title"]
        facts = _text(doc.xpath("//dl[contains(@class,'satudata-request-facts')]")[0])
        assert "Dinas Kesehatan" in facts and portal.walidata["fullname"] in facts
        assert "WIB" in facts and "UTC" not in facts
        assert doc.xpath("//*[@data-satudata-request-start]")
        options = doc.xpath("//select[@name='dataset_id']/option[@value!='']")
        assert [_text(o) for o in options] == ["Draf puskesmas"]  # not the other OPD's
        assert not doc.xpath("//*[@data-satudata-request-cancel]")  # the Walidata's
        assert [e.get("data-satudata-request-event")
                for e in doc.xpath("//*[@data-satudata-request-event]")] == ["create"]
        assert draft["id"] == options[0].get("value")

    def test_link_then_submit_delivers_on_time(self, app, portal, login):  # noqa: F811
        made = make_request(portal)
        draft = portal.dataset()
        response = app.post(f"/permintaan-data/{made['id']}/serahkan",
                            data={"dataset_id": draft["id"]}, headers=login(portal.produsen),
                            follow_redirects=False)
        assert response.status_code == 302
        doc = page(app, f"/permintaan-data/{made['id']}", login(portal.produsen))
        status = doc.xpath("//*[@data-satudata-timeliness]")[0]
        assert status.get("data-satudata-timeliness") == "pending"
        assert "belum diajukan" in _text(status)
        act(portal.produsen, draft, "submit")
        doc = page(app, f"/permintaan-data/{made['id']}", login(portal.walidata))
        status = doc.xpath("//*[@data-satudata-timeliness]")[0]
        assert status.get("data-satudata-timeliness") == "on_time"
        assert "Diserahkan tepat waktu" in _text(status)
        assert "sebelum tenggat (tepat waktu)" in _text(doc.xpath("//*[@data-satudata-delivered]")[0])
        assert [e.get("data-satudata-request-event") for e in
                doc.xpath("//*[@data-satudata-request-event]")] == ["deliver", "link", "create"]
        # The Walidata reads the submitted dataset: linked, with its state.
        (cell,) = doc.xpath("//*[@data-satudata-request-dataset]")
        assert cell.xpath(".//a") and "Diperiksa Walidata" in _text(cell)

    def test_start_a_new_dataset_from_the_request(self, app, portal, login):  # noqa: F811
        made = make_request(portal)
        response = app.post(f"/permintaan-data/{made['id']}/dataset-baru",
                            headers=login(portal.produsen), follow_redirects=False)
        assert response.status_code == 302
        found = model.Session.get(DataRequest, made["id"])
        draft = model.Package.get(found.package_id)
        assert draft.state == "draft" and draft.title == made["title"]
        assert "/dataset/" in response.headers["Location"] and draft.name in response.headers["Location"]
        form = page(app, response.headers["Location"], login(portal.produsen))
        assert form.xpath("//input[@name='title']")[0].get("value") == made["title"]

    def test_walidata_edits_and_cancels_with_a_reason(self, app, portal, login):  # noqa: F811
        made = make_request(portal)
        headers = login(portal.walidata)
        doc = page(app, f"/permintaan-data/{made['id']}", headers)
        assert doc.xpath("//*[@data-satudata-request-cancel]")
        assert not doc.xpath("//*[@data-satudata-request-start]")  # the OPD's to create
        response = app.post(f"/permintaan-data/{made['id']}/ubah", headers=headers, data={
            "title": "Jumlah puskesmas 2025", "description": "", "due_date": "2099-02-02"},
            follow_redirects=False)
        assert response.status_code == 302
        shown = helpers.call_action("satudata_request_show", id=made["id"])
        assert shown["title"] == "Jumlah puskesmas 2025" and shown["due"].startswith("2099-02-02")
        assert shown["history"][-1]["changes"].keys() == {"title", "description", "due"}

        refused = app.post(f"/permintaan-data/{made['id']}/batal", headers=headers,
                           data={"reason": ""})
        assert refused.status_code == 400
        assert parse(refused).xpath("//*[@data-satudata-error='reason']")
        assert app.post(f"/permintaan-data/{made['id']}/batal", headers=headers,
                        data={"reason": "Sudah ada di BPS"},
                        follow_redirects=False).status_code == 302
        doc = page(app, f"/permintaan-data/{made['id']}", headers)
        assert "Sudah ada di BPS" in _text(doc.xpath("//dl")[0])
        assert not doc.xpath("//*[@data-satudata-request-cancel]")

    @pytest.mark.parametrize("who", ["produsen_lain", "pembina", "anonymous"])
    def test_others_see_nothing(self, app, portal, login, who):  # noqa: F811
        made = make_request(portal)
        headers = None if who == "anonymous" else login(getattr(portal, who))
        assert app.get(f"/permintaan-data/{made['id']}", headers=headers).status_code == 403
        for step, data in (("serahkan", {"dataset_id": "x"}), ("dataset-baru", {}),
                           ("ubah", {"title": "x"}), ("batal", {"reason": "x"})):
            assert app.post(f"/permintaan-data/{made['id']}/{step}", data=data,
                            headers=headers).status_code == 403
        assert model.Session.get(DataRequest, made["id"]).status == "open"

    def test_plain_members_and_removed_members(self, app, portal, login):  # noqa: F811
        made = make_request(portal)
        reader = add_member("dinas-kesehatan", "pembaca-dinkes", "member")
        doc = page(app, f"/permintaan-data/{made['id']}", login(reader))  # sees, cannot deliver
        assert not doc.xpath("//*[@data-satudata-request-start]")
        assert not doc.xpath("//select[@name='dataset_id']")
        second = add_member("dinas-kesehatan", "produsen-dinkes-2", "editor")
        assert page(app, f"/permintaan-data/{made['id']}", login(second)).xpath(
            "//*[@data-satudata-request-start]")
        member = model.Session.query(model.Member).filter_by(
            table_name="user", table_id=model.User.get(second["name"]).id).one()
        member.state = "deleted"
        model.repo.commit()
        assert app.get(f"/permintaan-data/{made['id']}", headers=login(second)).status_code == 403
        assert app.post(f"/permintaan-data/{made['id']}/dataset-baru",
                        headers=login(second)).status_code == 403

    def test_the_list_links_to_the_page(self, app, portal, login):  # noqa: F811
        made = make_request(portal)
        doc = page(app, "/permintaan-data/", login(portal.produsen))
        assert doc.xpath(f"//a[@href='/permintaan-data/{made['id']}']")
