"""satudata_epss_report: requests answered, rounds of return and time per review
level, per OPD and period, from requests and steps taken by real users at
moments the test sets (tests/logic/conftest.py)."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.satudata.logic import epss
from ckanext.satudata.tests.logic.conftest import clock, epss_history  # noqa: F401  (fixtures)
from ckanext.satudata.tests.workflow.conftest import member, portal  # noqa: F401  (fixture)

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError


def report(user, **params):
    return helpers.call_action("satudata_epss_report",
                               {"user": user["name"] if user else "", "ignore_auth": False}, **params)


def by_name(result) -> dict:
    return {o["name"]: o for o in result["organizations"]}


Q2 = {"year": 2026, "quarter": 2}


class TestCounts:
    def test_requests_per_opd(self, portal, epss_history):  # noqa: F811
        orgs = by_name(report(portal.walidata, **Q2))
        pick = ("requested", "on_time", "late", "not_delivered", "overdue_now", "cancelled")
        assert {k: orgs["dinas-kesehatan"][k] for k in pick} == {
            "requested": 2, "on_time": 1, "late": 0, "not_delivered": 0, "overdue_now": 0,
            "cancelled": 1}
        assert {k: orgs["dinas-pendidikan"][k] for k in pick} == {
            "requested": 3, "on_time": 0, "late": 1, "not_delivered": 2, "overdue_now": 1,
            "cancelled": 0}
        totals = report(portal.walidata, **Q2)["totals"]
        assert {k: totals[k] for k in epss.REQUEST_COUNTS} == {
            "requested": 5, "on_time": 1, "late": 1, "not_delivered": 2, "overdue_now": 1,
            "cancelled": 1}

    def test_rounds_of_return_and_time_per_review_level(self, portal, epss_history):  # noqa: F811
        result = report(portal.walidata, **Q2)
        dinkes, disdik = by_name(result)["dinas-kesehatan"], by_name(result)["dinas-pendidikan"]
        # A1, A2 (first instant), A3 (last instant); not A4 nor A5
        assert (dinkes["datasets"], dinkes["returns"], dinkes["datasets_returned"]) == (3, 2, 1)
        assert dinkes["returns_per_dataset"] == 0.67
        assert (disdik["datasets"], disdik["returns"], disdik["returns_per_dataset"]) == (1, 0, 0.0)
        totals = result["totals"]
        assert (totals["datasets"], totals["returns"], totals["datasets_returned"],
                totals["returns_per_dataset"]) == (4, 2, 1, 0.5)

        assert [r["id"] for r in result["roles"]] == ["produsen", "walidata", "pembina"]
        assert [r["label"] for r in result["roles"]] == ["Produsen Data", "Walidata",
                                                          "Pembina Data (BPS)"]
        dinkes = by_name(result)["dinas-kesehatan"]["levels"]
        # produsen: 1+2+2 (A1) + 2 (A2) + 2 (A3) working days; 1+2+2+1.625+1.625 days
        assert dinkes["produsen"] == {"steps": 5, "mean_working_days": 1.8, "mean_days": 1.65}
        # walidata: return after 1 d 1 h, forward Fri → Mon (1 working day, 3 days)
        assert dinkes["walidata"] == {"steps": 2, "mean_working_days": 1.0, "mean_days": 2.02}
        assert dinkes["pembina"] == {"steps": 1, "mean_working_days": 1.0, "mean_days": 1.0}
        disdik = by_name(result)["dinas-pendidikan"]["levels"]
        assert disdik == {"produsen": {"steps": 1, "mean_working_days": 0.0, "mean_days": 0.02}}
        assert result["totals"]["levels"]["produsen"] == {
            "steps": 6, "mean_working_days": 1.5, "mean_days": 1.38}

    def test_periods_as_dates_year_quarter_and_default(self, portal, epss_history):  # noqa: F811
        by_dates = report(portal.walidata, date_from="2026-04-01", date_to="2026-06-30")
        by_quarter = report(portal.walidata, **Q2)
        assert (by_dates["year"], by_dates["quarter"]) == (None, None)
        assert (by_quarter["date_from"], by_quarter["date_to"]) == ("2026-04-01", "2026-06-30")
        for key in ("organizations", "totals", "roles"):
            assert by_dates[key] == by_quarter[key]
        year = report(portal.walidata, year=2026)
        assert (year["date_from"], year["date_to"], year["quarter"]) == ("2026-01-01", "2026-12-31", None)
        assert (year["totals"]["requested"], year["totals"]["datasets"]) == (7, 6)
        result = report(portal.walidata)  # the clock says 2026-07-10
        assert (result["year"], result["date_from"]) == (2026, "2026-01-01")
        result = report(portal.walidata, quarter=2)
        assert (result["year"], result["date_from"], result["date_to"]) == (2026, "2026-04-01", "2026-06-30")

    def test_the_first_and_last_instants(self, portal, epss_history):  # noqa: F811
        q1 = by_name(report(portal.walidata, year=2026, quarter=1))
        # A4's submission and R6 are the first quarter's last instant
        assert (q1["dinas-kesehatan"]["datasets"], q1["dinas-kesehatan"]["requested"]) == (1, 1)
        assert "dinas-pendidikan" not in q1
        q3 = by_name(report(portal.walidata, year=2026, quarter=3))
        # A5's submission and R5 are the third quarter's first instant
        assert (q3["dinas-kesehatan"]["datasets"], q3["dinas-kesehatan"]["requested"]) == (1, 0)
        assert q3["dinas-pendidikan"]["requested"] == 1
        first = by_name(report(portal.walidata, date_from="2026-04-01", date_to="2026-04-01"))
        assert first["dinas-kesehatan"]["datasets"] == 1  # A2 at 00:00
        assert first["dinas-pendidikan"]["requested"] == 1  # R2 at 00:00
        last = by_name(report(portal.walidata, date_from="2026-06-30", date_to="2026-06-30"))
        assert last["dinas-kesehatan"]["datasets"] == 1  # A3 at 23:59:59.999999
        assert last["dinas-pendidikan"]["requested"] == 1  # R3

    def test_one_organization(self, portal, epss_history):  # noqa: F811
        result = report(portal.walidata, organization="dinas-pendidikan", **Q2)
        assert [o["name"] for o in result["organizations"]] == ["dinas-pendidikan"]
        assert result["totals"]["requested"] == 3 and result["totals"]["returns"] == 0
        (quiet,) = report(portal.walidata, organization="dinas-pendidikan",
                          year=2026, quarter=4)["organizations"]
        assert (quiet["requested"], quiet["datasets"], quiet["returns_per_dataset"],
                quiet["levels"]) == (0, 0, None, {})


class TestRows:
    def test_rows_header_totals(self, portal, epss_history, test_request_context):  # noqa: F811
        result = report(portal.walidata, **Q2)
        with test_request_context():
            rows = epss.table_rows(result)
        assert rows[0][:12] == [
            "OPD", "Kode OPD", "Dataset diminta", "Diserahkan tepat waktu", "Diserahkan terlambat",
            "Belum diserahkan", "Belum diserahkan, melewati batas waktu kini",
            "Permintaan dibatalkan", "Dataset ditinjau", "Putaran pengembalian",
            "Dataset dikembalikan", "Rata-rata pengembalian per dataset"]
        assert rows[0][12:15] == ["Produsen Data: langkah", "Produsen Data: rata-rata hari kerja",
                                  "Produsen Data: rata-rata hari kalender"]
        assert rows[1] == ["Dinas Kesehatan", "dinas-kesehatan", 2, 1, 0, 0, 0, 1, 3, 2, 1, 0.67,
                           5, 1.8, 1.65, 2, 1.0, 2.02, 1, 1.0, 1.0]
        assert rows[2] == ["Dinas Pendidikan", "dinas-pendidikan", 3, 0, 1, 2, 1, 0, 1, 0, 0, 0.0,
                           1, 0.0, 0.02, 0, "", "", 0, "", ""]
        assert rows[3] == ["Jumlah", "", 5, 1, 1, 2, 1, 1, 4, 2, 1, 0.5,
                           6, 1.5, 1.38, 2, 1.0, 2.02, 1, 1.0, 1.0]


class TestInput:
    @pytest.mark.parametrize("params, field", [
        ({"quarter": 2, "date_to": "2026-06-30"}, "year"),
        ({"year": 2026, "quarter": 5}, "quarter"),
        ({"year": 2026, "quarter": 0}, "quarter"),
        ({"year": "dua ribu"}, "year"),
        ({"year": 1999}, "year"),
        ({"year": 2026, "date_from": "2026-01-01"}, "year"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_from"),
        ({"date_from": "kemarin"}, "date_from"),
    ])
    def test_bad_periods_are_named(self, portal, params, field):  # noqa: F811
        with pytest.raises(ValidationError) as refused:
            report(portal.walidata, **params)
        assert field in refused.value.error_dict

    def test_unknown_organization(self, portal):  # noqa: F811
        with pytest.raises(tk.ObjectNotFound):
            report(portal.walidata, organization="tidak-ada", year=2026)


class TestAuth:
    def test_walidata_editor_admin_and_sysadmin(self, portal, epss_history):  # noqa: F811
        admin = member("admin-diskominfo", "diskominfo", "admin")
        for user in (portal.walidata, admin, portal.sysadmin):
            assert report(user, **Q2)["totals"]["requested"] == 5

    @pytest.mark.parametrize("who", ["produsen", "produsen_lain", "pembina"])
    def test_opds_and_bps_are_refused(self, portal, who):  # noqa: F811
        with pytest.raises(NotAuthorized):
            report(getattr(portal, who), **Q2)

    def test_anonymous_is_refused(self, portal):  # noqa: F811
        with pytest.raises(NotAuthorized):
            report(None, **Q2)
