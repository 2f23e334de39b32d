"""Data requests (SOP 000 step 1) through the API, with the workflow tests' users."""
import datetime

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests import factories, helpers

from ckanext.satudata.model import DataRequest, Notification
from ckanext.satudata.public import formatting
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.workflow import calendar

NotAuthorized = helpers.logic.NotAuthorized
NotFound = helpers.logic.NotFound
ValidationError = helpers.logic.ValidationError

UTC = datetime.timezone.utc


def as_user(user):
    return {"user": user["name"] if user else "", "ignore_auth": False}


def request(portal, user=None, **fields):
    data = {"title": "Jumlah puskesmas per kecamatan 2025", "organization": "dinas-kesehatan",
            "description": "Untuk buku Kabupaten Dalam Angka"}
    data.update(fields)
    return helpers.call_action("satudata_request_create", as_user(user or portal.walidata), **data)


def parse(moment: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(moment)


class TestCreate:
    def test_the_walidata_requests_and_the_opd_hears(self, portal):
        made = request(portal)
        assert made["status"] == "open" and made["overdue"] is False
        assert made["organization"]["name"] == "dinas-kesehatan"
        assert made["created_by"] == "walidata" and made["dataset"] is None
        # sdi: the first state's 5 working days.
        cal = calendar.WorkCalendar.from_config(tk.config)
        assert parse(made["due"]) == cal.due(parse(made["created"]), 5, "working_days")

        notices = model.Session.query(Notification).all()
        assert [model.User.get(n.user_id).name for n in notices] == ["produsen-dinkes"]
        assert "Jumlah puskesmas" in notices[0].subject
        # due at the office's closing time, in the portal's time zone (was "09:00 UTC")
        assert formatting.datetime(made["due"]) in notices[0].body
        assert " 16.00 WIB" in notices[0].body and "UTC" not in notices[0].body
        assert any("send_emails" in j.func_name for j in jobs.get_queue().jobs)

    @pytest.mark.ckan_config("ckanext.satudata.workflow", "tanjabbar")
    def test_tanjabbar_gives_the_sop_60_working_days(self, portal):
        made = request(portal)
        cal = calendar.WorkCalendar.from_config(tk.config)
        due = parse(made["due"])
        assert due == cal.due(parse(made["created"]), 60, "working_days")
        assert due - parse(made["created"]) > datetime.timedelta(days=80)  # weekends skipped

    def test_a_given_date_is_due_at_closing_time(self, portal):
        made = request(portal, due_date="2026-12-01")  # a Tuesday
        assert parse(made["due"]) == datetime.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 16:00 WIB
        made = request(portal, due_date="2026-12-06")  # a Sunday: the Monday after
        assert parse(made["due"]) == datetime.datetime(2026, 12, 7, 9, 0, tzinfo=UTC)

    @pytest.mark.parametrize("who", [None, "produsen", "pembina", "sysadmin"])
    def test_only_the_walidata_requests(self, portal, who):
        with pytest.raises(NotAuthorized):
            request(portal, getattr(portal, who) if who else {"name": ""})

    @pytest.mark.parametrize("bad, field", [
        ({"title": " "}, "title"),
        ({"organization": "dinas-tidak-ada"}, "organization"),
        ({"due_date": "31-12-2026"}, "due_date"),
        ({"dataset_type": "peta"}, "dataset_type"),
    ])
    def test_bad_input_is_named(self, portal, bad, field):
        with pytest.raises(ValidationError) as refused:
            request(portal, **bad)
        assert set(refused.value.error_dict) == {field}
        assert model.Session.query(DataRequest).count() == 0


class TestReading:
    def test_show_to_the_walidata_and_the_opd_only(self, portal):
        made = request(portal)
        for user in (portal.walidata, portal.produsen):
            shown = helpers.call_action("satudata_request_show", as_user(user), id=made["id"])
            assert shown == made
        for user in (None, portal.produsen_lain, portal.pembina):
            with pytest.raises(NotAuthorized):
                helpers.call_action("satudata_request_show", as_user(user or {"name": ""}),
                                    id=made["id"])
        with pytest.raises(NotFound):
            helpers.call_action("satudata_request_show", id="tidak-ada")

    def test_list_filters_and_who_sees_what(self, portal):
        late = request(portal, title="Data lama", due_date="2026-01-05")
        soon = request(portal, title="Data baru", due_date="2099-01-05")
        other = request(portal, title="Data sekolah", organization="dinas-pendidikan",
                        due_date="2099-02-01")
        names = lambda user, **f: [r["title"] for r in helpers.call_action(  # noqa: E731
            "satudata_request_list", as_user(user), **f)["results"]]

        assert names(portal.walidata) == ["Data lama", "Data baru", "Data sekolah"]
        assert names(portal.produsen) == ["Data lama", "Data baru"]
        assert names(portal.produsen_lain) == ["Data sekolah"]
        assert names(portal.pembina) == []
        assert names(portal.produsen, organization="dinas-pendidikan") == []
        assert names(portal.walidata, organization="dinas-pendidikan") == ["Data sekolah"]
        assert names(portal.walidata, overdue=True) == ["Data lama"]
        assert names(portal.walidata, overdue=False) == ["Data baru", "Data sekolah"]
        shown = helpers.call_action("satudata_request_show", id=late["id"])
        assert shown["overdue"] is True

        helpers.call_action("satudata_request_cancel", as_user(portal.walidata), id=soon["id"],
                            reason="Sudah ada di BPS")
        assert names(portal.walidata, status="open") == ["Data lama", "Data sekolah"]
        assert names(portal.walidata, status="cancelled") == ["Data baru"]
        page = helpers.call_action("satudata_request_list", as_user(portal.walidata),
                                   limit=1, offset=1)
        assert page["count"] == 3 and [r["id"] for r in page["results"]] == [soon["id"]]
        with pytest.raises(NotAuthorized):
            helpers.call_action("satudata_request_list", as_user({"name": ""}))
        assert other["organization"]["name"] == "dinas-pendidikan"


def submit(portal, dataset, user=None):
    helpers.call_action("satudata_workflow_transition", as_user(user or portal.produsen),
                        id=dataset["id"], action="submit")


def remove_member(org_name, user):
    org = model.Group.get(org_name)
    member = model.Session.query(model.Member).filter_by(
        group_id=org.id, table_name="user", table_id=model.User.get(user["name"]).id).one()
    member.state = "deleted"
    model.repo.commit()


class TestFulfilment:
    def test_a_linked_draft_is_delivered_when_submitted_not_when_linked(self, portal):
        made = request(portal, due_date="2099-01-05")
        draft = portal.dataset()
        linked = helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                     id=made["id"], dataset_id=draft["name"])
        assert linked["status"] == "open" and linked["timeliness"] == "pending"
        assert linked["dataset"]["id"] == draft["id"] and linked["linked"]
        assert linked["fulfilled"] is None

        submit(portal, draft)
        done = helpers.call_action("satudata_request_show", as_user(portal.walidata),
                                   id=made["id"])
        assert done["status"] == "fulfilled" and done["late"] is False
        assert done["timeliness"] == "on_time" and done["fulfilled"]
        assert [h["action"] for h in done["history"]] == ["create", "link", "deliver"]
        assert done["history"][-1]["user"] == portal.produsen["fullname"]  # a name, not a login

    def test_a_draft_submitted_after_the_due_date_is_late(self, portal):
        made = request(portal, due_date="2099-01-05")
        draft = portal.dataset()
        helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                            id=made["id"], dataset_id=draft["id"])
        # The due date passes while the draft is still being filled in.
        found = model.Session.get(DataRequest, made["id"])
        found.due = datetime.datetime(2026, 1, 5, 9, tzinfo=UTC)
        model.repo.commit()
        assert helpers.call_action("satudata_request_show", id=made["id"])["overdue"] is True
        submit(portal, draft)
        done = helpers.call_action("satudata_request_show", id=made["id"])
        assert done["late"] is True and done["timeliness"] == "late"

    def test_a_dataset_submitted_before_is_delivered_at_linking(self, portal):
        in_time = request(portal, due_date="2099-01-05")
        overdue = request(portal, title="Terlambat", due_date="2026-01-05")
        first = portal.dataset()
        portal.reach(first, "dikembalikan")  # submitted, returned: editable again
        done = helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                   id=in_time["id"], dataset_id=first["name"])
        assert done["status"] == "fulfilled" and done["late"] is False
        second = portal.dataset()
        submit(portal, second)
        # Under review the OPD may not edit it: the Walidata links it on its behalf.
        with pytest.raises(ValidationError):
            helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                id=overdue["id"], dataset_id=second["id"])
        done = helpers.call_action("satudata_request_fulfil", as_user(portal.walidata),
                                   id=overdue["id"], dataset_id=second["id"])
        assert done["late"] is True and done["overdue"] is False

        with pytest.raises(ValidationError) as refused:
            helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                id=in_time["id"], dataset_id=first["id"])
        assert "status" in refused.value.error_dict

    def test_relinking_replaces_an_undelivered_draft(self, portal):
        made = request(portal, due_date="2099-01-05")
        first, second = portal.dataset(), portal.dataset()
        for dataset in (first, second):
            helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                id=made["id"], dataset_id=dataset["id"])
        submit(portal, first)  # no longer the answer: nothing delivered
        assert helpers.call_action("satudata_request_show", id=made["id"])["status"] == "open"
        submit(portal, second)
        assert helpers.call_action("satudata_request_show", id=made["id"])["status"] == "fulfilled"

    def test_only_the_requested_opd_delivers_its_own_dataset(self, portal):
        made = request(portal)
        theirs = sd.create(sd.data_sektoral(portal.opd_lain["id"], kegiatan=None,
                                            name="data-disdik"), "produsen-disdik")
        with pytest.raises(NotAuthorized):
            helpers.call_action("satudata_request_fulfil", as_user(portal.produsen_lain),
                                id=made["id"], dataset_id=theirs["id"])
        with pytest.raises(ValidationError) as refused:
            helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                id=made["id"], dataset_id=theirs["id"])
        assert "dataset_id" in refused.value.error_dict
        kegiatan = request(portal, dataset_type="kegiatan")
        with pytest.raises(ValidationError):
            helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                id=kegiatan["id"], dataset_id=portal.dataset()["id"])
        assert helpers.call_action("satudata_request_show", id=made["id"])["status"] == "open"

    def test_who_may_link_start_and_list(self, portal):
        made = request(portal)
        second = factories.User(name="produsen-dinkes-2")
        viewer = factories.User(name="pembaca-dinkes")
        org = model.Group.get("dinas-kesehatan")
        for user, capacity in ((second, "editor"), (viewer, "member")):
            helpers.call_action("organization_member_create", {"ignore_auth": True},
                                id=org.id, username=user["name"], role=capacity)
        mine = portal.dataset()
        theirs = sd.create(sd.data_sektoral(portal.opd_lain["id"], kegiatan=None), "produsen-disdik")

        listed = helpers.call_action("satudata_request_datasets", as_user(second), id=made["id"])
        assert [d["id"] for d in listed] == [mine["id"]]  # the OPD's, not the other OPD's
        assert theirs["id"] not in [d["id"] for d in listed]
        for refused_user in (viewer, portal.produsen_lain, portal.pembina, portal.sysadmin,
                             {"name": ""}):
            with pytest.raises(NotAuthorized):
                helpers.call_action("satudata_request_datasets", as_user(refused_user),
                                    id=made["id"])
            with pytest.raises(NotAuthorized):
                helpers.call_action("satudata_request_start", as_user(refused_user),
                                    id=made["id"])
        with pytest.raises(NotAuthorized):  # the dataset is the OPD's to create
            helpers.call_action("satudata_request_start", as_user(portal.walidata), id=made["id"])

        started = helpers.call_action("satudata_request_start", as_user(second), id=made["id"])
        draft = model.Package.get(started["dataset"]["id"])
        assert draft.state == "draft" and draft.title == made["title"]
        assert draft.owner_org == org.id and draft.notes == made["description"]
        assert started["request"]["status"] == "open"
        assert started["request"]["dataset"]["id"] == draft.id
        assert draft.id in [d["id"] for d in helpers.call_action(
            "satudata_request_datasets", as_user(portal.produsen), id=made["id"])]

        remove_member("dinas-kesehatan", second)
        for name in ("satudata_request_datasets", "satudata_request_start",
                     "satudata_request_fulfil"):
            with pytest.raises(NotAuthorized):
                helpers.call_action(name, as_user(second), id=made["id"],
                                    dataset_id=mine["id"])


class TestChanges:
    def test_update_and_cancel_by_the_walidata(self, portal):
        made = request(portal)
        with pytest.raises(NotAuthorized):
            helpers.call_action("satudata_request_update", as_user(portal.produsen),
                                id=made["id"], due_date="2099-01-01")
        changed = helpers.call_action("satudata_request_update", as_user(portal.walidata),
                                      id=made["id"], due_date="2027-03-01", title="Judul baru")
        assert changed["title"] == "Judul baru" and changed["due"].startswith("2027-03-01T09:00")
        assert changed["description"] == made["description"]

        with pytest.raises(ValidationError) as refused:
            helpers.call_action("satudata_request_cancel", as_user(portal.walidata), id=made["id"])
        assert "reason" in refused.value.error_dict
        with pytest.raises(NotAuthorized):
            helpers.call_action("satudata_request_cancel", as_user(portal.produsen),
                                id=made["id"], reason="x")
        cancelled = helpers.call_action("satudata_request_cancel", as_user(portal.walidata),
                                        id=made["id"], reason="Tidak jadi")
        assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "Tidak jadi"
        with pytest.raises(ValidationError):
            helpers.call_action("satudata_request_update", as_user(portal.walidata),
                                id=made["id"], title="Lagi")


class TestReport:
    def test_on_time_and_late_per_opd(self, portal):
        ok = request(portal, due_date="2099-01-05")
        late = request(portal, title="b", due_date="2026-01-05")
        request(portal, title="c", due_date="2026-01-06")  # open and overdue
        request(portal, title="d", organization="dinas-pendidikan", due_date="2099-01-05")
        for made in (ok, late):
            dataset = portal.dataset()
            helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                id=made["id"], dataset_id=dataset["id"])
            submit(portal, dataset)

        report = helpers.call_action("satudata_request_report", as_user(portal.walidata))
        by_org = {r["organization"]["name"]: r for r in report}
        assert {k: by_org["dinas-kesehatan"][k] for k in (
            "total", "fulfilled", "on_time", "late", "open", "overdue", "cancelled",
            "on_time_rate")} == {"total": 3, "fulfilled": 2, "on_time": 1, "late": 1, "open": 1,
                                 "overdue": 1, "cancelled": 0, "on_time_rate": 33.3}
        assert by_org["dinas-pendidikan"]["open"] == 1
        assert by_org["dinas-pendidikan"]["on_time_rate"] is None
        with pytest.raises(NotAuthorized):
            helpers.call_action("satudata_request_report", as_user(portal.produsen))
        later = helpers.call_action("satudata_request_report", as_user(portal.walidata),
                                    since="2099-01-01")
        assert later == []


class TestPages:
    def _headers(self, user):
        from ckan.tests import factories as ckan_factories
        return {"Authorization": ckan_factories.APIToken(user=user["name"])["token"]}

    def test_walidata_creates_through_the_form_and_sees_the_list(self, app, portal):
        headers = self._headers(portal.walidata)
        form = app.get("/permintaan-data/baru", headers=headers)
        assert form.status_code == 200 and "dinas-kesehatan" in form.body
        assert 'value="diskominfo"' not in form.body  # the Walidata asks OPDs, not itself

        bad = app.post("/permintaan-data/baru", headers=headers, data={
            "title": "Data pasien DBD", "organization": "dinas-kesehatan",
            "due_date": "besok", "description": "Per kecamatan"})
        assert bad.status_code == 200 and "TTTT-BB-HH" in bad.body
        assert "Data pasien DBD" in bad.body and "Per kecamatan" in bad.body  # nothing lost
        assert model.Session.query(DataRequest).count() == 0

        done = app.post("/permintaan-data/baru", headers=headers, data={
            "title": "Data pasien DBD", "organization": "dinas-kesehatan",
            "due_date": "2026-01-05", "dataset_type": "dataset"}, follow_redirects=False)
        assert done.status_code == 302
        listed = app.get("/permintaan-data/", headers=headers)
        assert "Data pasien DBD" in listed.body and "Terlambat" in listed.body
        assert "Buat permintaan" in listed.body
        assert app.get("/en/permintaan-data/", headers=headers).body.count("Overdue") >= 1

    def test_the_opd_sees_its_own_and_cannot_create(self, app, portal):
        request(portal, title="Untuk dinkes")
        request(portal, title="Untuk disdik", organization="dinas-pendidikan")
        listed = app.get("/permintaan-data/", headers=self._headers(portal.produsen))
        assert "Untuk dinkes" in listed.body and "Untuk disdik" not in listed.body
        assert "Buat permintaan" not in listed.body
        assert app.get("/permintaan-data/baru",
                       headers=self._headers(portal.produsen)).status_code == 403
        assert app.get("/permintaan-data/").status_code == 403
