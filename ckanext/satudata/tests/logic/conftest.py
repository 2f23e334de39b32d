"""A clock the tests set, and a quarter of requests and reviews walked through it."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.satudata.logic import epss
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)
from ckanext.satudata.workflow import data_request, service

WIB = ZoneInfo("Asia/Jakarta")


def wib(text: str) -> dt.datetime:
    """An office wall-clock moment ("2026-04-06 09:00") as aware UTC."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=WIB).astimezone(dt.timezone.utc)


class Clock:
    """What ``utcnow`` answers in the modules that stamp steps, requests and the
    report: the steps are then taken at moments the test names (the audit trail
    refuses updates, so its times cannot be set afterwards)."""

    def __init__(self, monkeypatch):
        self.now = wib("2026-01-05 08:00")
        for module in (service, data_request, epss):
            monkeypatch.setattr(module, "utcnow", lambda: self.now)

    def at(self, moment: str | dt.datetime) -> dt.datetime:
        self.now = wib(moment) if isinstance(moment, str) else moment
        return self.now


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


# The second quarter of 2026 in the office: [2026-03-31 17:00Z, 2026-06-30 17:00Z).
Q2_START = wib("2026-04-01 00:00")
Q2_END = wib("2026-07-01 00:00")
INSTANT = dt.timedelta(microseconds=1)


class History:
    def __init__(self, portal, clock):  # noqa: F811
        self.portal, self.clock = portal, clock

    def dataset(self, at, org=None, user=None):
        self.clock.at(at)
        portal = self.portal
        created = sd.create(sd.data_sektoral(org or portal.opd["id"], kegiatan=None),
                            (user or portal.produsen)["name"])
        pkg = model.Package.get(created["id"])
        # CKAN stamps metadata_created itself; the report counts the first step from it.
        pkg.metadata_created = self.clock.now.replace(tzinfo=None)
        model.repo.commit()
        return created

    def step(self, at, user, dataset, action, **extra):
        self.clock.at(at)
        if action == "return":
            extra.setdefault("comment", "Perbaiki definisi")
        return helpers.call_action("satudata_workflow_transition", {"user": user["name"]},
                                   id=dataset["id"], action=action, **extra)

    def request(self, at, org, due_date, title="Permintaan"):
        self.clock.at(at)
        return helpers.call_action("satudata_request_create", {"user": self.portal.walidata["name"]},
                                   title=title, organization=org, due_date=due_date)

    def link(self, at, user, request, dataset):
        self.clock.at(at)
        helpers.call_action("satudata_request_fulfil", {"user": user["name"]},
                            id=request["id"], dataset_id=dataset["id"])


@pytest.fixture
def epss_history(portal, clock):  # noqa: F811
    return walk_quarter(portal, clock)


def walk_quarter(portal, clock) -> dict:  # noqa: F811
    """The second quarter of 2026, told in office time (WIB).

    Dinas Kesehatan: A1 returned twice (by the Walidata, then by BPS) and
    submitted three times; A2 submitted at the quarter's first instant, A3 at
    its last; A4 at the instant before it starts and A5 at the instant it ends
    (both outside). Requests: R1 delivered on time (A1's first submission), R7
    cancelled, R6 made the instant before the quarter (outside).
    Dinas Pendidikan: R2 made at the first instant and delivered late (B1), R3
    made at the last instant and overdue by the report's day, R4 open and not
    yet due, R5 made at the instant the quarter ends (outside).
    The report is read on 2026-07-10.
    """
    h, p = History(portal, clock), portal
    r1 = h.request("2026-04-06 08:00", "dinas-kesehatan", "2026-04-10", "R1")
    r7 = h.request("2026-04-06 08:10", "dinas-kesehatan", "2026-04-30", "R7")
    h.request(Q2_START - INSTANT, "dinas-kesehatan", "2026-04-30", "R6")
    clock.at("2026-04-07 08:00")
    helpers.call_action("satudata_request_cancel", {"user": p.walidata["name"]},
                        id=r7["id"], reason="Tidak diperlukan lagi")

    a1 = h.dataset("2026-04-06 09:00")
    h.link("2026-04-06 09:30", p.produsen, r1, a1)
    h.step("2026-04-07 09:00", p.produsen, a1, "submit")      # produsen 1 wd, 1 d
    h.step("2026-04-08 10:00", p.walidata, a1, "return")      # walidata 1 wd, 1 d 1 h
    h.step("2026-04-10 10:00", p.produsen, a1, "submit")      # produsen 2 wd, 2 d
    h.step("2026-04-13 10:00", p.walidata, a1, "forward")     # walidata 1 wd (Fri → Mon), 3 d
    h.step("2026-04-14 10:00", p.pembina, a1, "return")       # pembina 1 wd, 1 d
    h.step("2026-04-16 10:00", p.produsen, a1, "submit")      # produsen 2 wd, 2 d

    a2 = h.dataset("2026-03-30 09:00")
    h.step(Q2_START, p.produsen, a2, "submit")                # produsen 2 wd, 1 d 15 h
    a3 = h.dataset("2026-06-29 09:00")
    h.step(Q2_END - INSTANT, p.produsen, a3, "submit")        # produsen 2 wd, 1 d 15 h - 1 µs
    a4 = h.dataset("2026-03-30 09:00")
    h.step(Q2_START - INSTANT, p.produsen, a4, "submit")      # before the quarter
    a5 = h.dataset("2026-06-29 09:00")
    h.step(Q2_END, p.produsen, a5, "submit")                  # after it

    r2 = h.request(Q2_START, "dinas-pendidikan", "2026-04-02", "R2")
    h.request(Q2_END - INSTANT, "dinas-pendidikan", "2026-07-03", "R3")
    h.request("2026-04-06 08:00", "dinas-pendidikan", "2026-12-31", "R4")
    h.request(Q2_END, "dinas-pendidikan", "2026-07-03", "R5")
    b1 = h.dataset("2026-04-06 08:30", org=p.opd_lain["id"], user=p.produsen_lain)
    h.link("2026-04-06 08:45", p.produsen_lain, r2, b1)
    h.step("2026-04-06 09:00", p.produsen_lain, b1, "submit")  # produsen 0 wd, 30 min; R2 late

    clock.at("2026-07-10 09:00")
    return {"a1": a1, "a2": a2, "a3": a3, "b1": b1}
