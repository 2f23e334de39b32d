"""Values as a person reads them, in the user's language and the portal's time zone.

Numbers with the locale's grouping (id ``1.657.030``, en ``1,657,030``), moments
in ``ckan.display_timezone`` (id ``1 Desember 2026 16.00 WIB``, en ``1 December
2026 16:00 WIB``), lists as text, {id, en} labels in the user's language.
Every template and message that shows such a value goes through here (the
template helpers in helpers.py are thin wrappers), so a page never shows an ISO
timestamp, a UTC time or a Python list.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import pytz
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.units import format_unit

import ckan.plugins.toolkit as tk

from ckanext.satudata import lang

_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _locale() -> str:
    return lang.current()


def timezone() -> dt.tzinfo:
    """The portal's display time zone (``ckan.display_timezone``; UTC if unset)."""
    name = tk.config.get("ckan.display_timezone") or "UTC"
    if name == "server":
        return tk.h.get_display_timezone()
    return pytz.timezone(name)


def parse(value: Any) -> dt.datetime | dt.date | None:
    """A datetime (aware; naive is UTC, as CKAN stores it) or a date; None if VALUE is neither."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=pytz.utc)
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if _ISO_DATE.match(text):
            return dt.date.fromisoformat(text)
        if _ISO_MOMENT.match(text):
            return parse(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None
    return None


def _time_pattern(locale: str) -> str:
    # CLDR's 24-hour short time (id: HH.mm); a 12-hour locale (en: h:mm a) reads HH:mm.
    pattern = Locale.parse(locale).time_formats["short"].pattern
    return "HH:mm" if "h" in pattern or "a" in pattern else pattern


def date(value: Any) -> str:
    """``1 Desember 2026`` / ``1 December 2026`` (in the portal's time zone); '' if unreadable."""
    moment = parse(value)
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(timezone()).date()
    return format_date(moment, "d MMMM y", locale=_locale())


def datetime(value: Any) -> str:
    """``1 Desember 2026 16.00 WIB`` / ``1 December 2026 16:00 WIB``; a bare date as date()."""
    moment = parse(value)
    if moment is None:
        return ""
    if not isinstance(moment, dt.datetime):
        return date(moment)
    local = moment.astimezone(timezone())
    locale = _locale()
    clock = format_date(local, "d MMMM y", locale=locale) + " " + local.strftime(
        _time_pattern(locale).replace("HH", "%H").replace("mm", "%M"))
    return f"{clock} {local.tzname()}"


def number(value: Any, decimals: int | None = None) -> str:
    """VALUE with the locale's grouping and decimal sign; text that is no number as it is."""
    if isinstance(value, bool) or value is None or value == "":
        return "" if value in (None, "") else str(value)
    if isinstance(value, str):
        if not _NUMBER.match(value.strip()):
            return value
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            return value
    if decimals is not None:
        value = round(value, decimals)
    return format_decimal(value, locale=_locale(), decimal_quantization=False)


def filesize(size: Any) -> str:
    """``781 byte`` / ``12,5 kB`` / ``3,2 MB`` in the reader's language ('' if unknown)."""
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    for unit, scale in (("digital-megabyte", 1024 ** 2), ("digital-kilobyte", 1024)):
        if size >= scale:
            return format_unit(round(size / scale, 1), unit, length="short", locale=_locale())
    return format_unit(size, "digital-byte", length="short", locale=_locale())


def text(value: Any) -> str:
    """Any stored value as words: lists joined, {id, en} in the user's language,
    ISO moments as dates. Numbers stay as they are (a year is no count); counts
    and measures go through number()."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return lang.text(value) if value else ""
    if isinstance(value, (list, tuple)):
        return "; ".join(t for t in (text(v) for v in value) if t)
    if isinstance(value, (dt.date, dt.datetime)):
        return datetime(value)
    if isinstance(value, str) and (_ISO_MOMENT.match(value.strip()) or _ISO_DATE.match(value.strip())):
        return datetime(value) or value
    return str(value)


def truncate_words(value: str | None, length: int = 140) -> str:
    """VALUE cut to at most LENGTH characters at a word boundary, with an ellipsis."""
    value = " ".join(str(value or "").split())
    if len(value) <= length:
        return value
    cut = value[:length + 1].rsplit(" ", 1)[0] if " " in value[:length + 1] else value[:length]
    return cut.rstrip(" ,.;:-") + "…"
