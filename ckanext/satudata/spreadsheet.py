"""Cells of every CSV/XLSX file the portal generates, safe to open in a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is run as a formula by Excel and LibreOffice (``=HYPERLINK(...)``,
``=cmd|...``): a producer's cell becomes code on the reader's machine. Such
text is written with a leading apostrophe, which spreadsheets show as text.
Numbers stay numbers: an int/float cell untouched, and in CSV a text that
reads as a number (``-5``, ``+62``, ``-1,5``) too. The stored upload is never
changed; only the files the portal writes go through ``safe_cell``.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """VALUE, or (text that a spreadsheet would run as a formula) the text quoted."""
    if not isinstance(value, str) or not value.startswith(TRIGGERS):
        return value
    if _NUMBER.match(value):
        return value
    return "'" + value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]
