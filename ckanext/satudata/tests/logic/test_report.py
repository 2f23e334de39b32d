"""satudata_timeliness_report: per-OPD on time / late counts and delays in
working days, computed from real transitions by real users."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.satudata.model import Notification, WorkflowEvent, WorkflowState, utcnow
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)
from ckanext.satudata.logic import report as report_logic
from ckanext.satudata.workflow import calendar

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError


def act(user, dataset, action, **extra):
    return helpers.call_action("satudata_workflow_transition", {"user": user["name"]},
                               id=dataset["id"], action=action, **extra)


def report(user, **params):
    return helpers.call_action("satudata_timeliness_report",
                               {"user": user["name"], "ignore_auth": False}, **params)


def created_long_ago(dataset, days: int = 30) -> dt.datetime:
    """As if the dataset had been created DAYS ago: its first due date (5 working
    days of the sdi draft) is then long past, as the service would have set it."""
    pkg = model.Package.get(dataset["id"])
    pkg.metadata_created = (utcnow() - dt.timedelta(days=days)).replace(tzinfo=None)
    due = calendar.WorkCalendar.from_config(tk.config).due(
        pkg.metadata_created.replace(tzinfo=dt.timezone.utc), 5, "working_days")
    model.Session.get(WorkflowState, dataset["id"]).due = due
    model.repo.commit()
    return due


def by_name(result) -> dict:
    return {o["name"]: o for o in result["organizations"]}


@pytest.fixture
def history(portal):  # noqa: F811
    """Dinas Kesehatan: one late delivery then an on-time check, one on-time delivery.
    Dinas Pendidikan: one on-time delivery, one draft left past its due date."""
    late, prompt = portal.dataset(), portal.dataset()
    first_due = created_long_ago(late)
    act(portal.produsen, late, "submit")
    act(portal.walidata, late, "forward")
    act(portal.produsen, prompt, "submit")
    disdik = [sd.create(sd.data_sektoral(portal.opd_lain["id"], kegiatan=None),
                        portal.produsen_lain["name"]) for _ in range(2)]
    act(portal.produsen_lain, disdik[0], "submit")
    created_long_ago(disdik[1])
    (submitted,) = (model.Session.query(WorkflowEvent)
                    .filter_by(package_id=late["id"], action="submit").all())
    cal = calendar.WorkCalendar.from_config(tk.config)
    return {"delay": cal.working_days_late(first_due, submitted.timestamp)}


class TestCounts:
    def test_per_opd_from_the_trail(self, portal, history):  # noqa: F811
        orgs = by_name(report(portal.walidata))
        dinkes, disdik = orgs["dinas-kesehatan"], orgs["dinas-pendidikan"]
        assert history["delay"] >= 15  # 30 calendar days back, 5 working days allowed

        assert (dinkes["steps"], dinkes["on_time"], dinkes["late"]) == (3, 2, 1)
        assert dinkes["on_time_percent"] == pytest.approx(66.7)
        assert dinkes["mean_delay_working_days"] == history["delay"]
        assert dinkes["max_delay_working_days"] == history["delay"]
        assert (dinkes["deliveries"]["steps"], dinkes["deliveries"]["late"]) == (2, 1)
        assert dinkes["by_role"]["produsen"]["late"] == 1
        assert (dinkes["by_role"]["walidata"]["steps"], dinkes["by_role"]["walidata"]["late"]) == (1, 0)
        assert dinkes["states"] == {"direview_pembina": 1, "diperiksa_walidata": 1}
        assert dinkes["overdue_now"] == 0

        assert (disdik["steps"], disdik["on_time"], disdik["late"]) == (1, 1, 0)
        assert disdik["mean_delay_working_days"] == 0
        assert disdik["states"] == {"diperiksa_walidata": 1, "draf": 1}
        assert disdik["overdue_now"] == 1

    def test_state_and_role_labels(self, portal, history):  # noqa: F811
        result = report(portal.walidata)
        assert {"id": "draf", "workflow": "sdi", "label": "Draf"} in result["states"]
        assert {"id": "produsen", "label": "Produsen Data"} in result["roles"]

    def test_one_organization(self, portal, history):  # noqa: F811
        result = report(portal.walidata, organization="dinas-pendidikan")
        assert [o["name"] for o in result["organizations"]] == ["dinas-pendidikan"]

    def test_a_period_without_steps_still_shows_where_datasets_stand(self, portal, history):  # noqa: F811
        tomorrow = (utcnow() + dt.timedelta(days=2)).date().isoformat()
        orgs = by_name(report(portal.walidata, date_from=tomorrow, date_to=tomorrow))
        assert orgs["dinas-kesehatan"]["steps"] == 0
        assert orgs["dinas-kesehatan"]["on_time_percent"] is None
        assert orgs["dinas-pendidikan"]["overdue_now"] == 1

    def test_default_period_is_this_month_and_the_two_before(self, portal, history):  # noqa: F811
        result = report(portal.walidata)
        start, end = dt.date.fromisoformat(result["date_from"]), dt.date.fromisoformat(result["date_to"])
        assert start.day == 1 and (end.year * 12 + end.month) - (start.year * 12 + start.month) == 2

    @pytest.mark.parametrize("today, start", [("2026-12-01", "2026-10-01"), ("2026-01-15", "2025-11-01"),
                                              ("2026-02-28", "2025-12-01"), ("2026-03-01", "2026-01-01")])
    def test_default_period_is_never_one_day(self, today, start):
        assert report_logic._default_start(dt.date.fromisoformat(today)) == dt.date.fromisoformat(start)


class TestInput:
    def test_reversed_period_is_refused(self, portal):  # noqa: F811
        with pytest.raises(ValidationError) as refused:
            report(portal.walidata, date_from="2026-05-02", date_to="2026-05-01")
        assert "date_from" in refused.value.error_dict

    def test_not_a_date(self, portal):  # noqa: F811
        with pytest.raises(ValidationError) as refused:
            report(portal.walidata, date_from="kemarin")
        assert "date_from" in refused.value.error_dict

    def test_unknown_organization(self, portal):  # noqa: F811
        with pytest.raises(tk.ObjectNotFound):
            report(portal.walidata, organization="tidak-ada")


class TestAuth:
    @pytest.mark.parametrize("who", ["walidata", "sysadmin"])
    def test_walidata_and_sysadmin(self, portal, who):  # noqa: F811
        assert report(getattr(portal, who))["organizations"] == []

    @pytest.mark.parametrize("who", ["produsen", "pembina"])
    def test_others_are_refused(self, portal, who):  # noqa: F811
        with pytest.raises(NotAuthorized):
            report(getattr(portal, who))


class TestNotificationActions:
    def test_list_and_mark_read_only_ones_own(self, portal):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        as_walidata = {"user": portal.walidata["name"], "ignore_auth": False}
        found = helpers.call_action("satudata_notification_list", dict(as_walidata))
        assert (found["count"], found["unread"]) == (1, 1)
        (notice,) = found["results"]
        assert notice["package_name"] == dataset["name"] and notice["read"] is False

        as_produsen = {"user": portal.produsen["name"], "ignore_auth": False}
        assert helpers.call_action("satudata_notification_list", dict(as_produsen))["count"] == 0
        done = helpers.call_action("satudata_notification_mark_read", dict(as_produsen), ids=[notice["id"]])
        assert done["updated"] == 0
        done = helpers.call_action("satudata_notification_mark_read", dict(as_walidata), ids=[notice["id"]])
        assert done == {"updated": 1, "unread": 0}
        assert helpers.call_action("satudata_notification_list", dict(as_walidata),
                                   unread_only=True)["count"] == 0
        assert model.Session.query(Notification).filter_by(read=False).count() == 0

    def test_mark_read_needs_ids_or_all(self, portal):  # noqa: F811
        with pytest.raises(ValidationError):
            helpers.call_action("satudata_notification_mark_read",
                                {"user": portal.walidata["name"], "ignore_auth": False})

    def test_anonymous_has_no_list(self, portal):  # noqa: F811
        with pytest.raises(NotAuthorized):
            helpers.call_action("satudata_notification_list", {"user": "", "ignore_auth": False})


class TestDataRequests:
    def test_request_deliveries_per_opd(self, portal, test_request_context, plain_wednesday):  # noqa: F811
        as_walidata = {"user": portal.walidata["name"]}
        yesterday = (utcnow() - dt.timedelta(days=1)).date().isoformat()
        later = (utcnow() + dt.timedelta(days=40)).date().isoformat()

        def request(title, due):
            return helpers.call_action("satudata_request_create", dict(as_walidata), title=title,
                                       organization="dinas-kesehatan", due_date=due)
        request("Kasus DBD", yesterday)  # still open, past due
        late, prompt = request("Imunisasi", yesterday), request("Fasilitas kesehatan", later)
        for done in (late, prompt):
            dataset = portal.dataset()
            helpers.call_action("satudata_request_fulfil", {"user": portal.produsen["name"]},
                                id=done["id"], dataset_id=dataset["id"])
            # delivered when submitted, not when linked
            helpers.call_action("satudata_workflow_transition", {"user": portal.produsen["name"]},
                                id=dataset["id"], action="submit")

        result = report(portal.walidata)
        requests = by_name(result)["dinas-kesehatan"]["requests"]
        assert {k: requests[k] for k in ("total", "fulfilled", "on_time", "late", "open", "overdue")} \
            == {"total": 3, "fulfilled": 2, "on_time": 1, "late": 1, "open": 1, "overdue": 1}
        assert report(portal.walidata, organization="dinas-pendidikan")["organizations"] == []

        with test_request_context():
            header, row = report_logic.table_rows(result)
        assert header[12:16] == ["Permintaan data", "Permintaan diserahkan tepat waktu",
                                 "Permintaan diserahkan terlambat",
                                 "Permintaan terbuka melewati batas waktu"]
        assert row[12:16] == [3, 1, 1, 1]
