"""Data requests (SOP 000 step 1) through the API, with the workflow tests' users."""
import datetime

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests import helpers

from ckanext.satudata.model import DataRequest, Notification
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


class TestFulfilment:
    def test_delivery_on_time_and_late(self, portal):
        in_time = request(portal, due_date="2099-01-05")
        overdue = request(portal, title="Terlambat", due_date="2026-01-05")
        first, second = portal.dataset(), portal.dataset()

        done = helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                   id=in_time["id"], dataset_id=first["name"])
        assert done["status"] == "fulfilled" and done["late"] is False
        assert done["dataset"]["id"] == first["id"] and done["fulfilled"]
        done = helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                   id=overdue["id"], dataset_id=second["id"])
        assert done["late"] is True and done["overdue"] is False

        with pytest.raises(ValidationError) as refused:
            helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                id=in_time["id"], dataset_id=second["id"])
        assert "status" in refused.value.error_dict

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
            helpers.call_action("satudata_request_fulfil", as_user(portal.produsen),
                                id=made["id"], dataset_id=portal.dataset()["id"])

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
