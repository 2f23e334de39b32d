"""SLAs on the office clock, end to end: real users per role acting through the actions, the
time moved by the calendar's own clock (calendar.use_clock), never by sleeping.

Dates (2026, WIB): Fri 13 Mar and Mon 16 Mar are plain office days; Wed 18 - Tue 24 Mar is
the Nyepi + Idulfitri block (holidays and cuti bersama); office hours 07:30-16:00.
"""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.satudata.tests.workflow.conftest import member
from ckanext.satudata.workflow import calendar

WIB = dt.timezone(dt.timedelta(hours=7))
UTC = dt.timezone.utc


def wib(month: int, day: int, hour: int, minute: int, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB).astimezone(UTC)


def when(moment: str) -> dt.datetime:
    return dt.datetime.fromisoformat(moment)


def act(user, dataset, action, **extra):
    return helpers.call_action("satudata_workflow_transition", {"user": user["name"]},
                               id=dataset["id"], action=action, **extra)


def queue(user) -> dict[str, bool]:
    """Dataset name -> overdue, as the user's queue shows it now."""
    return {q["name"]: q["overdue"]
            for q in helpers.call_action("satudata_workflow_queue", {"user": user["name"]})}


def created_at(dataset, moment: dt.datetime) -> None:
    """CKAN stamps ``metadata_created`` with its own clock, not the portal's: set it to the
    moment the dataset was made in the test's time (the first step's due counts from it)."""
    model.Session.query(model.Package).filter_by(id=dataset["id"]).update(
        {"metadata_created": moment.astimezone(UTC).replace(tzinfo=None)})
    model.repo.commit()


def report(user, day_from: str, day_to: str) -> dict:
    result = helpers.call_action("satudata_timeliness_report", {"user": user["name"]},
                                 date_from=day_from, date_to=day_to)
    return next(o for o in result["organizations"] if o["name"] == "dinas-kesehatan")


@pytest.mark.ckan_config("ckanext.satudata.workflow", "pasuruan")
class TestPasuruanOfficeMinutes:
    def test_friday_afternoon_return_is_due_monday_morning(self, portal, delivered):
        opd, walidata = portal.produsen, portal.walidata
        with calendar.use_clock(wib(3, 13, 15, 40)) as clock:
            # A 1-"Hari" request made on Friday is due Monday at closing time, not Saturday.
            asked = helpers.call_action("satudata_request_create", {"user": walidata["name"]},
                                        title="Penduduk per desa", organization="dinas-kesehatan")
            assert when(asked["created"]) == wib(3, 13, 15, 40)
            assert when(asked["due"]) == wib(3, 16, 16, 0)

            dataset = delivered()
            shown = act(opd, dataset, "submit")
            # "3 Hari" are working days: Mon 16, Tue 17, then the holiday block, Wed 25.
            assert when(shown["due"]) == wib(3, 25, 16, 0)

            clock.set(wib(3, 13, 15, 50))
            shown = act(walidata, dataset, "return", comment="Satuan belum diisi")
            assert shown["state"] == "dikembalikan"
            assert when(shown["due"]) == wib(3, 16, 7, 50)

            # The weekend does not count: Monday 07:49 is in time, 07:51 is not.
            clock.set(wib(3, 16, 7, 49))
            assert queue(opd) == {dataset["name"]: False}
            clock.set(wib(3, 16, 7, 51))
            assert queue(opd) == {dataset["name"]: True}

            # Fixed on Monday 07:45: on time in the audit trail and in the EPSS report.
            clock.set(wib(3, 16, 7, 45))
            act(opd, dataset, "submit")

            # Returned at Monday 15:59: one minute that day, 29 on Tuesday from 07:30.
            clock.set(wib(3, 16, 15, 59))
            shown = act(walidata, dataset, "return", comment="Definisi kurang")
            assert when(shown["due"]) == wib(3, 17, 7, 59)
            # Fixed at Tuesday 08:00: one minute late.
            clock.set(wib(3, 17, 8, 0))
            shown = act(opd, dataset, "submit")

        late = [(e["from_state"], e["late"]) for e in shown["history"]]
        assert late == [("draf", False), ("diperiksa_walidata", False),
                        ("dikembalikan", False), ("diperiksa_walidata", False),
                        ("dikembalikan", True)]
        counted = report(walidata, "2026-03-13", "2026-03-17")
        assert (counted["steps"], counted["on_time"], counted["late"]) == (5, 4, 1)
        assert counted["deliveries"]["on_time"] == 2 and counted["deliveries"]["late"] == 1
        assert counted["max_delay_working_days"] == 1

    def test_a_return_at_closing_time_and_after_it(self, portal, delivered):
        opd, walidata = portal.produsen, portal.walidata
        with calendar.use_clock(wib(3, 13, 9, 0)) as clock:
            dataset = delivered()
            act(opd, dataset, "submit")
            clock.set(wib(3, 13, 16, 0))
            assert when(act(walidata, dataset, "return", comment="a")["due"]) == wib(3, 16, 8, 0)
            act(opd, dataset, "submit")
            clock.set(wib(3, 13, 16, 1))
            assert when(act(walidata, dataset, "return", comment="b")["due"]) == wib(3, 16, 8, 0)
            # Before opening on Monday the time starts at 07:30.
            clock.set(wib(3, 16, 7, 29))
            act(opd, dataset, "submit")
            assert when(act(walidata, dataset, "return", comment="c")["due"]) == wib(3, 16, 8, 0)
            # Into the Nyepi + Idulfitri block: Tue 17 Mar 15:50 -> Wed 25 Mar 07:50.
            clock.set(wib(3, 17, 15, 50))
            act(opd, dataset, "submit")
            assert when(act(walidata, dataset, "return", comment="d")["due"]) == wib(3, 25, 7, 50)


@pytest.mark.ckan_config("ckanext.satudata.workflow", "tanjabbar")
class TestTanjabbarResume:
    @pytest.fixture
    def staf(self, portal):
        return member("staf-pds", "diskominfo", "member")

    def test_a_returned_delivery_resumes_the_time_left(self, portal, staf, delivered):
        opd, kasi = portal.produsen, portal.walidata
        cal = calendar.WorkCalendar.from_config(tk.config)
        start = wib(3, 2, 8, 0)
        with calendar.use_clock(start) as clock:
            dataset = delivered()
            created_at(dataset, start)
            # 60 working days to deliver; the last one is DEADLINE's date.
            deadline = cal.due(start, 60, "working_days")
            last_day = cal.to_office_time(deadline).date()
            assert deadline == dt.datetime.combine(last_day, dt.time(16, 0), WIB)

            # Delivered at 10:00 on the last day: 6 office hours left.
            clock.set(dt.datetime.combine(last_day, dt.time(10, 0), WIB))
            assert act(opd, dataset, "submit")["state"] == "diperiksa_walidata"
            # Returned on the next Friday at 15:00: 1 hour that day, 5 from Monday 07:30,
            # not a fresh 60 working days.
            friday = last_day + dt.timedelta(days=(4 - last_day.weekday()) % 7 or 7)
            clock.set(dt.datetime.combine(friday, dt.time(15, 0), WIB))
            shown = act(staf, dataset, "return", comment="Metadata satuan belum diisi")
            monday = friday + dt.timedelta(days=3)
            assert shown["state"] == "dikembalikan"
            assert when(shown["due"]) == dt.datetime.combine(monday, dt.time(12, 30), WIB)
            assert when(shown["due"]) != cal.due(clock.moment, 60, "working_days")

            # Resumed again: delivered at 11:30 with 1 hour left, returned at 15:30 of the next
            # working day (in 2026 the Tuesday is 1 Muharram, so the Wednesday): 30 minutes
            # that day, 30 from the following one's opening.
            clock.set(dt.datetime.combine(monday, dt.time(11, 30), WIB))
            act(opd, dataset, "submit")
            next_day = cal.add_working_days(monday, 1)
            day_after = cal.add_working_days(next_day, 1)
            clock.set(dt.datetime.combine(next_day, dt.time(15, 30), WIB))
            shown = act(staf, dataset, "return", comment="Masih kurang")
            assert when(shown["due"]) == dt.datetime.combine(day_after, dt.time(8, 0), WIB)

            # Delivered late: nothing left, so the returned work is due at once.
            clock.set(dt.datetime.combine(day_after, dt.time(9, 0), WIB))
            assert act(opd, dataset, "submit")["history"][-1]["late"] is True
            returned_at = clock.set(clock.moment + dt.timedelta(hours=1))
            shown = act(staf, dataset, "return", comment="Tabel salah")
            assert when(shown["due"]) == returned_at
            assert queue(opd) == {dataset["name"]: False}   # exactly at the due moment
            clock.advance(minutes=1)
            assert queue(opd) == {dataset["name"]: True}

            # A state that restarts (the default) gets its full SLA again on a return.
            act(opd, dataset, "submit")
            act(staf, dataset, "forward")
            act(staf, dataset, "forward")
            shown = act(kasi, dataset, "return", comment="Tabel salah judul")
            assert shown["state"] == "diolah"
            assert when(shown["due"]) == cal.due(clock.moment, 75, "working_days")
