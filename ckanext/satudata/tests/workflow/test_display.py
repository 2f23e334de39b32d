"""How the lifecycle is shown: state kinds of every shipped workflow, due
dates in working days, actions grouped into buttons."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.plugins.toolkit as tk

from ckanext.satudata.workflow import calendar, definition, display, kinds

WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize("name, expected", [
    ("sdi", {"draf": "draft", "diperiksa_walidata": "in_review", "direview_pembina": "in_review",
             "disetujui": "approved", "dikembalikan": "returned", "terpublikasi": "published",
             "ditarik": "withdrawn", "ditolak": "rejected"}),
    ("tanjabbar", {"draf": "draft", "diperiksa_walidata": "in_review", "dikembalikan": "returned",
                   "diolah": "in_review", "diperiksa_kasi": "in_review", "diperiksa_kabid": "in_review",
                   "diperiksa_kadis": "in_review", "disetujui": "approved",
                   "terpublikasi": "published", "ditarik": "withdrawn"}),
    ("pasuruan", {"draf": "draft", "diperiksa_walidata": "in_review", "dikembalikan": "returned",
                  "direview_pembina": "in_review", "diperbaiki_walidata": "in_review",
                  "persetujuan_pembina": "in_review", "disetujui": "approved",
                  "terpublikasi": "published", "ditarik": "withdrawn"}),
    ("pasuruan_kegiatan", {"cek_rekomendasi": "draft", "draf": "draft",
                           "diperiksa_walidata": "in_review", "dikembalikan": "returned",
                           "rekomendasi_bps": "in_review", "pelaporan_metadata": "draft",
                           "pelaporan_indah": "in_review", "direview_pembina": "in_review",
                           "diperbaiki_walidata": "in_review", "persetujuan_pembina": "in_review",
                           "disetujui": "approved", "terpublikasi": "published",
                           "terlaksana": "published", "ditarik": "withdrawn"}),
])
def test_every_state_has_its_kind(name, expected):
    workflow = definition.load(name)
    assert {s: kinds.kind(workflow, s) for s in workflow.states} == expected


class TestDue:
    # Friday 20 November 2026, 10:00 WIB; the Monday after closes at 16:00 WIB.
    friday = dt.datetime(2026, 11, 20, 10, 0, tzinfo=WIB)
    monday_close = dt.datetime(2026, 11, 23, 16, 0, tzinfo=WIB)

    def test_working_days_left_skip_the_weekend(self, test_request_context):
        with test_request_context():
            due = display.due(self.monday_close, now=self.friday)
        assert (due["overdue"], due["working_days"]) == (False, 1)
        assert due["when"] == "23 November 2026 16.00 WIB"
        assert due["text"] == "1 hari kerja lagi"

    def test_due_today(self, test_request_context):
        with test_request_context():
            due = display.due(self.monday_close, now=self.monday_close - dt.timedelta(hours=3))
        assert (due["overdue"], due["working_days"], due["text"]) == (False, 0, "jatuh tempo hari ini")

    def test_late_in_working_days(self, test_request_context):
        wednesday = dt.datetime(2026, 11, 25, 10, 0, tzinfo=WIB)
        with test_request_context():
            due = display.due(self.monday_close, now=wednesday)
        assert (due["overdue"], due["working_days"], due["text"]) == (True, 2, "2 hari kerja terlambat")

    def test_working_days_left_are_the_fewest_that_reach_the_due_date(self, test_request_context):
        # From a Saturday, a Friday evening and a weekday morning, to due dates every few
        # hours over five weeks (weekends, after closing time, the Christmas holidays).
        cal = calendar.WorkCalendar.from_config(tk.config)
        starts = [dt.datetime(2026, 11, 21, 9, 0, tzinfo=WIB), dt.datetime(2026, 12, 18, 17, 0, tzinfo=WIB),
                  self.friday]
        with test_request_context():
            for now in starts:
                for hours in range(1, 35 * 24, 7):
                    moment = now + dt.timedelta(hours=hours)
                    fewest = next(k for k in range(200) if cal.due(now, k, "working_days") >= moment)
                    assert display.due(moment, now=now)["working_days"] == fewest, (now, moment)

    def test_no_due_date(self):
        assert display.due(None) is None


def test_one_button_per_action_with_its_targets(test_request_context):
    allowed = [
        {"action": "return", "to": "diperbaiki_walidata", "reason_required": True,
         "label": "Kembalikan ke Walidata"},
        {"action": "return", "to": "dikembalikan", "reason_required": True, "label": "Kembalikan ke OPD"},
        {"action": "approve", "to": "disetujui", "reason_required": False, "label": "Setujui"},
    ]
    with test_request_context():
        groups = display.action_groups(allowed)
    assert [(g["action"], g["label"], g["reason_required"]) for g in groups] == [
        ("return", "Kembalikan", True), ("approve", "Setujui", False)]
    assert [t["to"] for t in groups[0]["targets"]] == ["diperbaiki_walidata", "dikembalikan"]
