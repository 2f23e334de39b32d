"""Office calendar for review deadlines (SLA) of the dataset workflows.

The SOPs state the time a step may take in *hari kerja* (working days: weekends, national
holidays and, for government offices, *cuti bersama* do not count), in calendar days, or in
hours/minutes (the Pasuruan SOP's 15- and 30-minute steps). :class:`WorkCalendar` turns such an
SLA and a start moment into a due moment, and measures lateness in working days for the per-OPD
timeliness reports that feed the EPSS evaluation.

Days off come from three places:

* national holidays (libur nasional) for every year from the maintained ``holidays`` package
  (Indonesia, ``public`` category); dates of the lunar calendar it estimates far ahead;
* the cuti bersama of the SKB 3 Menteri, shipped per year in ``reference/cuti_bersama.yaml``;
  a year without a list there counts no cuti bersama (a warning is logged once per year and
  the Walidata's Dasbor says so, :meth:`WorkCalendar.years_without_cuti_bersama`);
* the portal's own list (``ckanext.satudata.holidays``), for regional days off (a kabupaten's
  anniversary), dates moved by the sidang isbat, and a new year's cuti bersama before a
  release ships them.

Office hours (``ckanext.satudata.office_hours``, default 07:30-16:00) on office days
(``ckanext.satudata.office_days``, default Monday-Friday) in the office's time zone are when
minute and hour SLAs run: time outside them does not count.

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
  (Whether a workflow's ``{days: N}`` means this or working days is the workflow's
  ``days_are`` setting, definition.py.)
* ``hours`` / ``minutes``: that much office time: a return at Friday 15:50 with 30 minutes is
  due Monday 07:50; a start outside office hours counts from the next opening.

The current time is :func:`now`; tests move it with :func:`use_clock` instead of sleeping.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Protocol, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_package
import yaml

log = logging.getLogger(__name__)

#: CKAN options read by :meth:`WorkCalendar.from_config`.
CONFIG_HOLIDAYS = "ckanext.satudata.holidays"
CONFIG_CUTI_BERSAMA = "ckanext.satudata.holidays.cuti_bersama"
CONFIG_TIMEZONE = "ckanext.satudata.timezone"
CONFIG_OFFICE_HOURS = "ckanext.satudata.office_hours"
CONFIG_OFFICE_DAYS = "ckanext.satudata.office_days"

DEFAULT_TIMEZONE = "Asia/Jakarta"
#: Start of the office day in local time; minute and hour SLAs start counting here.
DEFAULT_OPENING_TIME = dt.time(7, 30)
#: End of the office day in local time; a working-day deadline falls at this time.
DEFAULT_CLOSING_TIME = dt.time(16, 0)
#: Python weekday numbers (Monday = 0 … Sunday = 6): Saturday and Sunday.
DEFAULT_WEEKEND: frozenset[int] = frozenset({5, 6})
#: Names ckanext.satudata.office_days accepts, English and Indonesian.
DAY_NAMES: dict[str, int] = {
    **{name: n for n, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{name: n for n, name in enumerate(("senin", "selasa", "rabu", "kamis", "jumat", "sabtu",
                                         "minggu"))},
}

#: The shipped cuti bersama lists (SKB 3 Menteri), one per year.
CUTI_BERSAMA_FILE = Path(__file__).resolve().parent.parent / "reference" / "cuti_bersama.yaml"

#: The SLA units of the workflow definitions (``sla: {working_days: 5}`` etc.).
UNITS: tuple[str, ...] = ("working_days", "days", "hours", "minutes")


_UTC = dt.timezone.utc
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HOURS = re.compile(r"([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})")
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
def _national(year: int) -> frozenset[dt.date]:
    """Libur nasional of ``year`` from the ``holidays`` package (any year; cached)."""
    return frozenset(holidays_package.country_holidays("ID", years=year, categories=("public",)))


@lru_cache(maxsize=1)
def _cuti_bersama_lists() -> dict[int, frozenset[dt.date]]:
    with CUTI_BERSAMA_FILE.open(encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return {int(year): parse_holidays(days, option=str(CUTI_BERSAMA_FILE.name))
            for year, days in data.items()}


def cuti_bersama_years() -> frozenset[int]:
    """Years for which the portal ships a cuti bersama list."""
    return frozenset(_cuti_bersama_lists())


def _warn_not_covered(year: int) -> None:
    with _warned_lock:
        if year in _warned_years:
            return
        _warned_years.add(year)
    log.warning(
        "No cuti bersama list for %s (shipped: %s): working days in %s count national "
        "holidays, weekends and the dates configured in %s only.",
        year, ", ".join(str(y) for y in sorted(cuti_bersama_years())), year, CONFIG_HOLIDAYS,
    )


# -- the current time -------------------------------------------------------------------------

_clock: Optional[Callable[[], dt.datetime]] = None


def now() -> dt.datetime:
    """The current moment, aware UTC; what :func:`use_clock` says while it is in force."""
    return dt.datetime.now(_UTC) if _clock is None else _as_utc(_clock(), "clock")


_now = now  # for methods whose ``now`` parameter hides the function


class FrozenClock:
    """A clock that stands still until moved: ``set(moment)`` or ``advance(**timedelta)``."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = _as_utc(moment)

    def __call__(self) -> dt.datetime:
        return self.moment

    def set(self, moment: dt.datetime) -> dt.datetime:
        self.moment = _as_utc(moment)
        return self.moment

    def advance(self, **delta: float) -> dt.datetime:
        self.moment += dt.timedelta(**delta)
        return self.moment


@contextmanager
def use_clock(clock: Union[dt.datetime, Callable[[], dt.datetime]]) -> Iterator[Any]:
    """Make :func:`now` (and so every timestamp, due date and overdue check of the portal, see
    model.utcnow) read CLOCK: a moment (frozen, yields a :class:`FrozenClock`) or a callable.

    For tests and demonstrations in one process: the time of a whole SLA passes in a call.
    """
    global _clock
    frozen = FrozenClock(clock) if isinstance(clock, dt.datetime) else clock
    previous, _clock = _clock, frozen
    try:
        yield frozen
    finally:
        _clock = previous


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


def parse_office_hours(value: Any, option: str = CONFIG_OFFICE_HOURS) -> tuple[dt.time, dt.time]:
    """(opening, closing) from ``HH:MM-HH:MM``; empty means 07:30-16:00."""
    if value is None or not str(value).strip():
        return DEFAULT_OPENING_TIME, DEFAULT_CLOSING_TIME
    match = _HOURS.fullmatch(str(value).strip())
    try:
        if not match:
            raise ValueError
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        opening, closing = dt.time(h1, m1), dt.time(h2, m2)
    except ValueError:
        raise ValueError(f"{option}: {value!r} is not office hours in the form HH:MM-HH:MM "
                         f"(e.g. 07:30-16:00)") from None
    if opening >= closing:
        raise ValueError(f"{option}: {value!r} closes before it opens")
    return opening, closing


def parse_office_days(value: Any, option: str = CONFIG_OFFICE_DAYS) -> frozenset[int]:
    """The weekend (days off every week) from the office days named in VALUE (``mon … sun`` or
    ``senin … minggu``, space or comma separated); empty means Monday-Friday."""
    if value is None:
        return DEFAULT_WEEKEND
    items = re.split(r"[\s,]+", value.strip()) if isinstance(value, str) else list(value)
    days: set[int] = set()
    for item in items:
        token = str(item).strip().lower()
        if not token:
            continue
        if token not in DAY_NAMES:
            raise ValueError(f"{option}: {item!r} is not a day (mon, tue, wed, thu, fri, sat, "
                             f"sun or senin … minggu)")
        days.add(DAY_NAMES[token])
    if not days:
        return DEFAULT_WEEKEND
    return frozenset(range(7)) - days


class WorkCalendar:
    """Working days of an Indonesian government office, and SLA deadlines on them.

    :param extra_holidays: days off on top of the national holidays and shipped cuti bersama
        (regional holidays, dates moved by the sidang isbat, a new year's cuti bersama).
    :param cuti_bersama: whether cuti bersama are days off. Default ``True``: government
        offices close on them; a private body might keep working.
    :param weekend: days off every week as Python weekday numbers (Monday = 0 … Sunday = 6).
    :param timezone: the office's IANA timezone name or a ``tzinfo``; decides which local date a
        moment falls on. WIB ``Asia/Jakarta`` by default; WITA offices use ``Asia/Makassar``,
        WIT ones ``Asia/Jayapura``.
    :param closing_time: end of the office day in local time (naive); working-day deadlines fall
        at this time.
    :param opening_time: start of the office day in local time (naive); with ``closing_time``
        the office hours in which minute and hour SLAs run.
    """

    def __init__(
        self,
        extra_holidays: Iterable[DateInput] = (),
        *,
        cuti_bersama: bool = True,
        weekend: Iterable[int] = DEFAULT_WEEKEND,
        timezone: Union[str, dt.tzinfo] = DEFAULT_TIMEZONE,
        closing_time: dt.time = DEFAULT_CLOSING_TIME,
        opening_time: dt.time = DEFAULT_OPENING_TIME,
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
        if closing_time.tzinfo is not None or opening_time.tzinfo is not None:
            raise ValueError("opening and closing times are local wall-clock times and must be naive")
        if opening_time >= closing_time:
            raise ValueError(f"the office must open before it closes: {opening_time}-{closing_time}")
        self._closing_time = closing_time
        self._opening_time = opening_time
        # Per-year holiday sets; the same few years are asked about over and over.
        self._by_year: dict[int, frozenset[dt.date]] = {}

    @classmethod
    def from_config(cls, config: ConfigLike) -> "WorkCalendar":
        """The portal's calendar from CKAN options.

        Reads ``ckanext.satudata.holidays`` (ISO dates separated by spaces/newlines, added to
        the national holidays and shipped cuti bersama), ``ckanext.satudata.holidays.cuti_bersama``
        (bool, default true), ``ckanext.satudata.timezone`` (default ``Asia/Jakarta``),
        ``ckanext.satudata.office_hours`` (default ``07:30-16:00``) and
        ``ckanext.satudata.office_days`` (default ``mon tue wed thu fri``). ``config`` only needs
        ``get(key)``; missing or empty options take their defaults. Invalid values raise
        ``ValueError`` naming the option, so a misconfiguration shows at start-up rather than as
        wrong deadlines.
        """
        opening, closing = parse_office_hours(config.get(CONFIG_OFFICE_HOURS))
        return cls(
            parse_holidays(config.get(CONFIG_HOLIDAYS)),
            cuti_bersama=_parse_bool(config.get(CONFIG_CUTI_BERSAMA), True, CONFIG_CUTI_BERSAMA),
            weekend=parse_office_days(config.get(CONFIG_OFFICE_DAYS)),
            timezone=_zone(config.get(CONFIG_TIMEZONE) or DEFAULT_TIMEZONE),
            closing_time=closing,
            opening_time=opening,
        )

    # -- read-only settings ---------------------------------------------------------------

    @property
    def timezone(self) -> dt.tzinfo:
        return self._tz

    @property
    def closing_time(self) -> dt.time:
        return self._closing_time

    @property
    def opening_time(self) -> dt.time:
        return self._opening_time

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
            f"weekend={sorted(self._weekend)}, timezone={self._tz}, "
            f"office_hours={self._opening_time}-{self._closing_time})"
        )

    # -- days -----------------------------------------------------------------------------

    def _holidays(self, year: int) -> frozenset[dt.date]:
        cached = self._by_year.get(year)
        if cached is not None:
            return cached
        days = set(_national(year))
        if self._cuti_bersama:
            lists = _cuti_bersama_lists()
            if year in lists:
                days |= lists[year]
            else:
                _warn_not_covered(year)
        days |= {day for day in self._extra if day.year == year}
        result = frozenset(days)
        self._by_year[year] = result
        return result

    def holidays(self, year: int) -> set[dt.date]:
        """Days off in ``year`` other than weekends.

        The national holidays, the shipped cuti bersama (if they count) and the configured extra
        dates. A year without a cuti bersama list logs a warning once; never raises.
        """
        # A copy, so a caller cannot change the cached set.
        return set(self._holidays(year))

    def years_without_cuti_bersama(self, years: Iterable[int]) -> list[int]:
        """Those of YEARS whose cuti bersama are unknown: no shipped list, and no date of theirs in
        ``ckanext.satudata.holidays`` (where an administrator puts a new year's list). Empty when
        cuti bersama do not count here."""
        if not self._cuti_bersama:
            return []
        known = cuti_bersama_years() | {day.year for day in self._extra}
        return sorted({int(y) for y in years} - known)

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

    def _office_window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """Opening and closing of the local date DAY, in UTC."""
        return (dt.datetime.combine(day, self._opening_time, tzinfo=self._tz).astimezone(_UTC),
                self._close_of(day))

    def add_office_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The moment when AMOUNT of office time has passed since START (aware UTC).

        Only office hours on working days count: time from a start outside them counts from the
        next opening, and a deadline never falls outside them (exactly at closing time is
        inside). A zero AMOUNT gives START itself.
        """
        start = _as_utc(start, "start")
        if amount < dt.timedelta(0):
            raise ValueError(f"amount must not be negative: {amount}")
        if not amount:
            return start
        day, left = self.to_office_time(start).date(), amount
        while True:
            if self.is_working_day(day):
                opening, closing = self._office_window(day)
                begin = max(start, opening)
                if begin < closing:
                    if left <= closing - begin:
                        return begin + left
                    left -= closing - begin
            day += dt.timedelta(days=1)

    def office_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time from START to END (zero when END is not after START).

        The inverse of :meth:`add_office_time`: what a step had left of its time when it was
        handed on (``office_time_between(handed_on, due)``) is what a resumed step gets back.
        """
        start, end = _as_utc(start, "start"), _as_utc(end, "end")
        total = dt.timedelta(0)
        day, last = self.to_office_time(start).date(), self.to_office_time(end).date()
        while day <= last and start < end:
            if self.is_working_day(day):
                opening, closing = self._office_window(day)
                begin, finish = max(start, opening), min(end, closing)
                if begin < finish:
                    total += finish - begin
            day += dt.timedelta(days=1)
        return total

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
        * ``hours`` / ``minutes``: that much office time (:meth:`add_office_time`): Friday
          15:50 + 30 minutes is Monday 07:50.
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
            return self.add_office_time(start, dt.timedelta(hours=amount))
        if unit == "minutes":
            return self.add_office_time(start, dt.timedelta(minutes=amount))
        raise ValueError(f"unknown SLA unit {unit!r}; expected one of {', '.join(UNITS)}")

    def is_overdue(self, due: dt.datetime, now: Optional[dt.datetime] = None) -> bool:
        """Whether ``now`` (default: the current time) is past ``due``; exactly at ``due`` is in time."""
        current = _now() if now is None else _as_utc(now, "now")
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
