"""WorkCalendar on real 2026 dates: national holidays from the `holidays` package, cuti
bersama of the SKB 3 Menteri shipped in reference/cuti_bersama.yaml.

2026 facts used below:
- Nyepi: Wed 18 Mar cuti bersama, Thu 19 Mar libur nasional;
- Idulfitri 1447 H: Fri 20 Mar cuti bersama, Sat 21 + Sun 22 libur nasional,
  Mon 23 + Tue 24 cuti bersama; so Tue 17 Mar is the last working day before the
  block and Wed 25 Mar the first one after it;
- Proklamasi Mon 17 Aug libur nasional; Kelahiran Yesus Kristus Thu 24 Dec cuti bersama.
Office hours by default 07:30-16:00 WIB (UTC+7, no daylight saving time), Monday-Friday.
"""
from __future__ import annotations

import datetime as dt
import logging

import pytest

from ckanext.satudata.workflow import calendar as workcal
from ckanext.satudata.workflow.calendar import WorkCalendar

UTC = dt.timezone.utc
WIB = dt.timezone(dt.timedelta(hours=7))


def wib(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    """A WIB wall-clock moment as the aware UTC datetime the calendar works with."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB).astimezone(UTC)


D = dt.date


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture
def fresh_warnings(monkeypatch):
    """Forget the years already warned about, so a test sees its own warning.

    CKAN's own migration env.py (run in-process by the test database reset)
    disables every logger that exists by then; enable ours again.
    """
    monkeypatch.setattr(workcal, "_warned_years", set())
    monkeypatch.setattr(logging.getLogger(workcal.__name__), "disabled", False)


# -- shipped data --------------------------------------------------------------------------

def test_2026_data_is_shipped(cal):
    assert {2025, 2026, 2027} <= workcal.cuti_bersama_years()
    holidays = cal.holidays(2026)
    # 17 libur nasional + 8 cuti bersama in the SKB for 2026.
    assert len(holidays) == 25
    assert {D(2026, 3, d) for d in (18, 19, 20, 21, 22, 23, 24)} <= holidays
    assert len(WorkCalendar(cuti_bersama=False).holidays(2026)) == 17


# -- working days --------------------------------------------------------------------------

def test_weekend_is_not_a_working_day(cal):
    assert not cal.is_working_day(D(2026, 3, 7))   # Saturday
    assert not cal.is_working_day(D(2026, 3, 8))   # Sunday
    assert cal.is_working_day(D(2026, 3, 9))       # Monday


def test_national_holiday_is_not_a_working_day(cal):
    assert not cal.is_working_day(D(2026, 8, 17))  # Proklamasi, a Monday
    assert not cal.is_working_day(D(2026, 3, 19))  # Nyepi, a Thursday
    assert D(2026, 8, 17) in cal.holidays(2026)


def test_cuti_bersama_is_off_by_default_and_on_when_disabled(cal):
    for day in (D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24), D(2026, 12, 24)):
        assert not cal.is_working_day(day)
    working = WorkCalendar(cuti_bersama=False)
    for day in (D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24), D(2026, 12, 24)):
        assert working.is_working_day(day)
        assert day not in working.holidays(2026)
    # A libur nasional stays off either way.
    assert not working.is_working_day(D(2026, 3, 19))


def test_configured_extra_holiday_is_not_a_working_day():
    # An example regional anniversary (HUT Kabupaten) on a Friday.
    cal = WorkCalendar.from_config({"ckanext.satudata.holidays": "2026-07-10"})
    assert not cal.is_working_day(D(2026, 7, 10))
    assert D(2026, 7, 10) in cal.holidays(2026)
    assert WorkCalendar().is_working_day(D(2026, 7, 10))
    # Added to the shipped ones, not replacing them.
    assert len(cal.holidays(2026)) == 26


def test_datetime_is_judged_on_the_office_date(cal):
    # Friday 20:00 UTC is Saturday 03:00 WIB.
    assert not cal.is_working_day(dt.datetime(2026, 3, 6, 20, 0, tzinfo=UTC))
    assert cal.is_working_day(dt.datetime(2026, 3, 6, 8, 0, tzinfo=UTC))


# -- due: working days ---------------------------------------------------------------------

def test_due_across_a_weekend(cal):
    # Thu 5 Mar + 3 working days: Fri 6, Mon 9, Tue 10.
    assert cal.due(wib(2026, 3, 5, 10, 0), 3, "working_days") == wib(2026, 3, 10, 16, 0)


def test_due_from_friday_afternoon(cal):
    assert cal.due(wib(2026, 3, 6, 15, 30), 1, "working_days") == wib(2026, 3, 9, 16, 0)
    # After closing time it is still the same Monday: the start day never counts.
    assert cal.due(wib(2026, 3, 6, 18, 0), 1, "working_days") == wib(2026, 3, 9, 16, 0)


def test_due_across_the_idul_fitri_block(cal):
    # Tue 17 Mar is the eve of Nyepi + Idulfitri: 1 working day lands on Wed 25 Mar.
    assert cal.due(wib(2026, 3, 17, 10, 0), 1, "working_days") == wib(2026, 3, 25, 16, 0)
    # Mon 16 Mar + 3: Tue 17, Wed 25, Thu 26.
    assert cal.due(wib(2026, 3, 16, 9, 0), 3, "working_days") == wib(2026, 3, 26, 16, 0)
    # Without cuti bersama, Wed 18, Fri 20, Mon 23, Tue 24 are working days.
    no_cuti = WorkCalendar(cuti_bersama=False)
    assert no_cuti.due(wib(2026, 3, 17, 10, 0), 1, "working_days") == wib(2026, 3, 18, 16, 0)
    assert no_cuti.due(wib(2026, 3, 17, 10, 0), 2, "working_days") == wib(2026, 3, 20, 16, 0)


def test_due_from_a_holiday(cal):
    # Started on Nyepi (Thu 19 Mar): the next working day is Wed 25 Mar.
    assert cal.due(wib(2026, 3, 19, 11, 0), 1, "working_days") == wib(2026, 3, 25, 16, 0)
    # Started on Sunday 16 Aug, the eve of Proklamasi (Mon 17 Aug): due Tuesday.
    assert cal.due(wib(2026, 8, 16, 20, 0), 1, "working_days") == wib(2026, 8, 18, 16, 0)


def test_zero_working_days_is_close_of_the_first_working_day(cal):
    assert cal.due(wib(2026, 3, 9, 9, 0), 0, "working_days") == wib(2026, 3, 9, 16, 0)
    assert cal.due(wib(2026, 3, 7, 9, 0), 0, "working_days") == wib(2026, 3, 9, 16, 0)


def test_closing_time_is_a_parameter():
    cal = WorkCalendar(closing_time=dt.time(15, 30))
    assert cal.due(wib(2026, 3, 6, 10, 0), 1, "working_days") == wib(2026, 3, 9, 15, 30)


def test_configured_holiday_moves_the_due_date():
    cal = WorkCalendar.from_config({"ckanext.satudata.holidays": "2026-07-10"})
    # Thu 9 Jul + 1: Fri 10 Jul is the regional holiday, so Monday 13 Jul.
    assert cal.due(wib(2026, 7, 9, 10, 0), 1, "working_days") == wib(2026, 7, 13, 16, 0)


def test_timezone_utc_evening_is_next_day_in_wib(cal):
    # Monday 2 Mar 20:00 UTC is Tuesday 3 Mar 03:00 WIB: working days count from Tuesday.
    start = dt.datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    assert cal.to_office_time(start).date() == D(2026, 3, 3)
    assert cal.to_office_time(start).hour == 3
    due = cal.due(start, 1, "working_days")
    assert due == wib(2026, 3, 4, 16, 0) == dt.datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    assert due.tzinfo == UTC
    # The same Monday at 08:00 UTC (15:00 WIB) counts from Monday.
    assert cal.due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC), 1, "working_days") == wib(2026, 3, 3, 16, 0)


def test_naive_input_is_utc(cal):
    naive = dt.datetime(2026, 3, 2, 20, 0)
    assert cal.due(naive, 1, "working_days") == dt.datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    # 20:00 UTC is Tuesday 03:00 WIB, before opening: 15 office minutes end at 07:45 WIB.
    assert cal.due(naive, 15, "minutes") == dt.datetime(2026, 3, 3, 0, 45, tzinfo=UTC)


def test_other_office_timezone():
    # A WIT office (UTC+9): 16:00 WIT is 07:00 UTC.
    cal = WorkCalendar.from_config({"ckanext.satudata.timezone": "Asia/Jayapura"})
    assert cal.due(wib(2026, 3, 6, 10, 0), 1, "working_days") == dt.datetime(2026, 3, 9, 7, 0, tzinfo=UTC)


# -- due: calendar days, hours, minutes ----------------------------------------------------

def test_due_in_calendar_days_ignores_days_off(cal):
    # Fri 20 Mar (cuti bersama) + 3 days = Mon 23 Mar, same time, holidays or not.
    assert cal.due(wib(2026, 3, 20, 10, 0), 3, "days") == wib(2026, 3, 23, 10, 0)
    assert cal.due(wib(2026, 3, 30, 14, 0), 3, "days") == wib(2026, 4, 2, 14, 0)


def test_minutes_run_in_office_hours_only(cal):
    # The case: a return at Friday 15:50 with 30 minutes is due Monday 07:50.
    assert cal.due(wib(2026, 3, 13, 15, 50), 30, "minutes") == wib(2026, 3, 16, 7, 50)
    # Around closing time on Friday: one minute left, none left, after closing.
    assert cal.due(wib(2026, 3, 13, 15, 59), 30, "minutes") == wib(2026, 3, 16, 7, 59)
    assert cal.due(wib(2026, 3, 13, 16, 0), 30, "minutes") == wib(2026, 3, 16, 8, 0)
    assert cal.due(wib(2026, 3, 13, 16, 1), 30, "minutes") == wib(2026, 3, 16, 8, 0)
    # Ending exactly at closing time stays on the day.
    assert cal.due(wib(2026, 3, 13, 15, 30), 30, "minutes") == wib(2026, 3, 13, 16, 0)
    # Around opening time on Monday: before it the time counts from 07:30.
    assert cal.due(wib(2026, 3, 16, 7, 29), 30, "minutes") == wib(2026, 3, 16, 8, 0)
    assert cal.due(wib(2026, 3, 16, 7, 30), 30, "minutes") == wib(2026, 3, 16, 8, 0)
    assert cal.due(wib(2026, 3, 16, 7, 31), 30, "minutes") == wib(2026, 3, 16, 8, 1)
    # A weekend start counts from Monday's opening.
    assert cal.due(wib(2026, 3, 14, 10, 0), 15, "minutes") == wib(2026, 3, 16, 7, 45)


def test_hours_run_in_office_hours_only(cal):
    # Fri 13:00 + 4 h: 3 h on Friday, 1 h from Monday 07:30.
    assert cal.due(wib(2026, 3, 13, 13, 0), 4, "hours") == wib(2026, 3, 16, 8, 30)
    # A whole office day is 8.5 h: Mon 07:30 + 17 h is Tue 16:00.
    assert cal.due(wib(2026, 3, 9, 7, 30), 17, "hours") == wib(2026, 3, 10, 16, 0)


def test_minutes_skip_a_holiday_and_a_cuti_bersama_day(cal):
    # Fri 14 Aug 15:50 + 30: Mon 17 Aug is Proklamasi, so Tue 18 Aug 07:50.
    assert cal.due(wib(2026, 8, 14, 15, 50), 30, "minutes") == wib(2026, 8, 18, 7, 50)
    # Wed 23 Dec 15:50 + 30: Thu 24 Dec cuti bersama, Fri 25 Christmas, so Mon 28 Dec.
    assert cal.due(wib(2026, 12, 23, 15, 50), 30, "minutes") == wib(2026, 12, 28, 7, 50)
    # Where cuti bersama do not count, Thu 24 Dec is an office day.
    no_cuti = WorkCalendar(cuti_bersama=False)
    assert no_cuti.due(wib(2026, 12, 23, 15, 50), 30, "minutes") == wib(2026, 12, 24, 7, 50)
    # The Idulfitri block: Tue 17 Mar 15:50 + 30 is Wed 25 Mar 07:50.
    assert cal.due(wib(2026, 3, 17, 15, 50), 30, "minutes") == wib(2026, 3, 25, 7, 50)


def test_office_hours_in_utc_without_daylight_saving(cal):
    # WIB is UTC+7 all year: 07:30 WIB is 00:30 UTC in January and in July alike.
    for month, day in ((1, 5), (7, 6)):
        start = dt.datetime(2026, month, day, 0, 29, tzinfo=UTC)   # Monday 07:29 WIB
        assert cal.due(start, 30, "minutes") == dt.datetime(2026, month, day, 1, 0, tzinfo=UTC)
    # Friday 09:00 UTC is 16:00 WIB, closing time: 30 minutes end Monday 01:00 UTC.
    friday = dt.datetime(2026, 3, 13, 9, 0, tzinfo=UTC)
    assert cal.due(friday, 30, "minutes") == dt.datetime(2026, 3, 16, 1, 0, tzinfo=UTC)
    # Friday 08:59 UTC is 15:59 WIB: one minute counts on Friday.
    assert cal.due(friday - dt.timedelta(minutes=1), 30, "minutes") == dt.datetime(
        2026, 3, 16, 0, 59, tzinfo=UTC)


def test_office_time_between_is_the_inverse_of_adding_it(cal):
    start = wib(2026, 3, 13, 15, 50)
    assert cal.office_time_between(start, wib(2026, 3, 16, 7, 50)) == dt.timedelta(minutes=30)
    assert cal.office_time_between(wib(2026, 3, 16, 7, 50), start) == dt.timedelta(0)
    # Wed 11 Mar 10:00 until the close of Fri 13 Mar: 6 h + 8.5 h + 8.5 h.
    assert cal.office_time_between(wib(2026, 3, 11, 10, 0), wib(2026, 3, 13, 16, 0)) == \
        dt.timedelta(hours=23)
    for amount in (dt.timedelta(minutes=1), dt.timedelta(hours=9), dt.timedelta(hours=40)):
        end = cal.add_office_time(start, amount)
        assert cal.office_time_between(start, end) == amount
    assert cal.add_office_time(start, dt.timedelta(0)) == start


def test_office_hours_and_days_are_configuration():
    cal = WorkCalendar.from_config({"ckanext.satudata.office_hours": "08:00-15:00",
                                    "ckanext.satudata.office_days": "senin selasa rabu kamis"})
    assert (cal.opening_time, cal.closing_time) == (dt.time(8, 0), dt.time(15, 0))
    assert cal.weekend == frozenset({4, 5, 6})
    # Thu 14:50 + 30: Friday is off here, so Monday 08:20.
    assert cal.due(wib(2026, 3, 12, 14, 50), 30, "minutes") == wib(2026, 3, 16, 8, 20)
    assert cal.due(wib(2026, 3, 11, 10, 0), 1, "working_days") == wib(2026, 3, 12, 15, 0)


def test_due_rejects_bad_input(cal):
    with pytest.raises(ValueError, match="unit"):
        cal.due(wib(2026, 3, 6, 10, 0), 1, "weeks")
    with pytest.raises(ValueError):
        cal.due(wib(2026, 3, 6, 10, 0), -1, "days")
    with pytest.raises(TypeError):
        cal.due(D(2026, 3, 6), 1, "days")


# -- years without a cuti bersama list --------------------------------------------------

def test_national_holidays_for_every_year(cal, fresh_warnings):
    # The holidays package computes them for any year, far beyond the shipped lists.
    for year in (2031, 2035, 2040):
        assert {D(year, 1, 1), D(year, 6, 1), D(year, 8, 17), D(year, 12, 25)} <= cal.holidays(year)
    # Thu 16 Aug 2035 + 1: Fri 17 Aug is Proklamasi, so Monday 20 Aug.
    assert cal.due(wib(2035, 8, 16, 10, 0), 1, "working_days") == wib(2035, 8, 20, 16, 0)


def test_year_without_a_cuti_bersama_list(caplog, fresh_warnings):
    cal = WorkCalendar.from_config({"ckanext.satudata.holidays": "2026-07-10\n2031-01-15  2031-01-16"})
    with caplog.at_level(logging.WARNING, logger=workcal.__name__):
        off = cal.holidays(2031)
        assert {D(2031, 1, 1), D(2031, 1, 15), D(2031, 1, 16)} <= off
        assert off - {D(2031, 1, 15), D(2031, 1, 16)} == WorkCalendar().holidays(2031)
        assert not cal.is_working_day(D(2031, 1, 4))    # Saturday
        assert not cal.is_working_day(D(2031, 1, 15))   # configured
        assert cal.is_working_day(D(2031, 1, 17))       # plain Friday
        # Tue 14 Jan + 1: Wed 15 and Thu 16 are configured, Fri 17.
        assert cal.due(wib(2031, 1, 14, 10, 0), 1, "working_days") == wib(2031, 1, 17, 16, 0)
        WorkCalendar().holidays(2032)
        WorkCalendar().holidays(2032)
    warnings = [r.getMessage() for r in caplog.records if "cuti bersama" in r.getMessage()]
    # Once per year, whatever the number of calls or calendars.
    assert [w for w in warnings if "for 2031" in w] and len([w for w in warnings if "for 2032" in w]) == 1
    assert "ckanext.satudata.holidays" in warnings[0]


def test_years_without_cuti_bersama():
    assert WorkCalendar().years_without_cuti_bersama([2026, 2027, 2028]) == [2028]
    # A date of the year in ckanext.satudata.holidays is the administrator's list for it.
    configured = WorkCalendar.from_config({"ckanext.satudata.holidays": "2028-01-27"})
    assert configured.years_without_cuti_bersama([2027, 2028, 2029]) == [2029]
    # Where cuti bersama do not count, no list is missing.
    assert WorkCalendar(cuti_bersama=False).years_without_cuti_bersama([2029]) == []


def test_due_into_a_year_without_a_list_does_not_raise(cal, fresh_warnings):
    # Thu 30 Dec 2027 + 2: Fri 31 Dec, then Mon 3 Jan 2028 (no cuti bersama list for 2028).
    assert cal.due(wib(2027, 12, 30, 10, 0), 2, "working_days") == wib(2028, 1, 3, 16, 0)


# -- the clock -----------------------------------------------------------------------------

def test_clock_injection_moves_now_without_sleeping(cal):
    with workcal.use_clock(wib(2026, 3, 13, 15, 50)) as clock:
        assert workcal.now() == wib(2026, 3, 13, 15, 50)
        due = cal.due(workcal.now(), 30, "minutes")
        clock.set(wib(2026, 3, 16, 7, 49))
        assert not cal.is_overdue(due)
        clock.advance(minutes=2)
        assert cal.is_overdue(due)
    assert workcal.now().year >= 2026 and workcal.now() != wib(2026, 3, 16, 7, 51)


# -- overdue and lateness ------------------------------------------------------------------

def test_is_overdue(cal):
    due = wib(2026, 3, 9, 16, 0)
    assert not cal.is_overdue(due, wib(2026, 3, 9, 15, 59))
    assert not cal.is_overdue(due, due)
    assert cal.is_overdue(due, wib(2026, 3, 9, 16, 1))
    assert cal.is_overdue(wib(2020, 1, 1, 16, 0))          # default now
    assert not cal.is_overdue(due, dt.datetime(2026, 3, 9, 8, 0))  # naive = UTC = 15:00 WIB


def test_working_days_late(cal):
    due = wib(2026, 3, 6, 16, 0)                               # Friday
    assert cal.working_days_late(due, wib(2026, 3, 6, 11, 0)) == 0
    assert cal.working_days_late(due, due) == 0
    assert cal.working_days_late(due, wib(2026, 3, 6, 17, 0)) == 1   # same evening
    assert cal.working_days_late(due, wib(2026, 3, 7, 10, 0)) == 1   # Saturday
    assert cal.working_days_late(due, wib(2026, 3, 9, 16, 0)) == 1   # Monday close
    assert cal.working_days_late(due, wib(2026, 3, 10, 9, 0)) == 2   # Tuesday


def test_working_days_late_skips_the_idul_fitri_block(cal):
    due = wib(2026, 3, 17, 16, 0)
    # The whole block 18–24 Mar is off: done on Wed 25 is 1 day late, Thu 26 is 2.
    assert cal.working_days_late(due, wib(2026, 3, 21, 10, 0)) == 1
    assert cal.working_days_late(due, wib(2026, 3, 25, 15, 0)) == 1
    assert cal.working_days_late(due, wib(2026, 3, 26, 9, 0)) == 2
    # Without cuti bersama, Wed 18, Fri 20, Mon 23, Tue 24, Wed 25 come before Thu 26.
    assert WorkCalendar(cuti_bersama=False).working_days_late(due, wib(2026, 3, 26, 9, 0)) == 6


# -- configuration -------------------------------------------------------------------------

def test_from_config_defaults():
    cal = WorkCalendar.from_config({})
    assert cal.cuti_bersama is True
    assert str(cal.timezone) == "Asia/Jakarta"
    assert cal.extra_holidays == frozenset()
    assert (cal.opening_time, cal.closing_time) == (dt.time(7, 30), dt.time(16, 0))
    assert cal.weekend == frozenset({5, 6})


@pytest.mark.parametrize("value, expected", [
    ("false", False), ("no", False), ("0", False), (False, False),
    ("true", True), (True, True), ("", True), (None, True),
])
def test_from_config_cuti_bersama(value, expected):
    cal = WorkCalendar.from_config({"ckanext.satudata.holidays.cuti_bersama": value})
    assert cal.cuti_bersama is expected
    assert cal.is_working_day(D(2026, 3, 20)) is not expected


def test_from_config_accepts_a_list_of_dates():
    # What CKAN hands over once the option is declared with `type: list`.
    cal = WorkCalendar.from_config({"ckanext.satudata.holidays": ["2026-07-10", "2031-01-15"]})
    assert cal.extra_holidays == {D(2026, 7, 10), D(2031, 1, 15)}


@pytest.mark.parametrize("options, option", [
    ({"ckanext.satudata.holidays": "2026-07-10 10/07/2026"}, "ckanext.satudata.holidays"),
    ({"ckanext.satudata.holidays": "2026-02-30"}, "ckanext.satudata.holidays"),
    ({"ckanext.satudata.holidays.cuti_bersama": "maybe"}, "ckanext.satudata.holidays.cuti_bersama"),
    ({"ckanext.satudata.timezone": "Asia/Atlantis"}, "ckanext.satudata.timezone"),
    ({"ckanext.satudata.office_hours": "7.30-16"}, "ckanext.satudata.office_hours"),
    ({"ckanext.satudata.office_hours": "16:00-07:30"}, "ckanext.satudata.office_hours"),
    ({"ckanext.satudata.office_hours": "07:30-25:00"}, "ckanext.satudata.office_hours"),
    ({"ckanext.satudata.office_days": "mon funday"}, "ckanext.satudata.office_days"),
])
def test_from_config_rejects_bad_values_naming_the_option(options, option):
    with pytest.raises(ValueError, match=option.replace(".", r"\.")):
        WorkCalendar.from_config(options)


def test_weekend_cannot_be_every_day():
    with pytest.raises(ValueError):
        WorkCalendar(weekend=range(7))


def test_a_bad_calendar_option_stops_start_up():
    import ckan.plugins as plugins
    from ckan.common import config

    plugin = plugins.get_plugin("satudata")
    with pytest.raises(ValueError, match=r"ckanext\.satudata\.office_hours"):
        plugin.configure({**config, "ckanext.satudata.office_hours": "16:00-07:30"})
