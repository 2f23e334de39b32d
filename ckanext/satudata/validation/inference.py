"""A Table Schema guessed from the data, for the producer to confirm as MS-Var.

Reads a bounded sample (``sample_rows``) with the same layout detection as
validation, asks Frictionless for types, and adds what a producer would
otherwise type by hand: a readable title from the column name, "required"
when no sampled cell is empty, a value domain for short code lists, and the
number format when the sample writes numbers the Indonesian way.
"""
from __future__ import annotations

import re
from typing import Any

from frictionless import Detector, FrictionlessException, Resource

from ckanext.satudata.validation import reading, run

ENUM_MAX_VALUES = 10
# A column named so, holding four-digit years only, is a year, not a count.
_YEAR_NAME = re.compile(r"(^|[_\-. ])(tahun|thn|year|yr)($|[_\-. ])", re.IGNORECASE)
_YEAR = re.compile(r"^(1[89]|2[01])\d\d$")
_ID_INT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_ID_NUM = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$")


def title_of(name: str) -> str:
    words = re.sub(r"[_\-.]+", " ", str(name)).strip()
    return words[:1].upper() + words[1:] if words else ""


def infer(path: str, format_: str, options: dict[str, Any] | None = None,
          sample_rows: int = 1000) -> dict[str, Any]:
    """{"schema": Table Schema, "layout": {...}, "rows_sampled": n} of a local file.

    Raises reading.Unreadable for files that are no table.
    """
    layout = reading.detect(path, format_, options or {})
    if layout.format == "csv":
        reading.csv_sample(path, layout, sample_rows)  # every sampled line within its bound
    try:
        with run.offline():
            resource = Resource(path, format=layout.format,
                                detector=Detector(sample_size=sample_rows, field_confidence=1.0),
                                **run._frictionless_options(layout))
            with resource:
                schema = resource.schema.to_descriptor()
                cells = [row.cells for _, row in zip(range(sample_rows), resource.row_stream)]
    except (FrictionlessException, *reading.BROKEN_XLSX):
        raise reading.Unreadable("broken-archive" if layout.format == "xlsx"
                                 else "source-error") from None
    cells = [c for c in cells if any(v not in (None, "") for v in c)]
    fields = schema.get("fields", [])
    columns = [[("" if v is None else str(v)).strip() for v in
                (c[index] if index < len(c) else None for c in cells)] for index in range(len(fields))]
    indonesian = any(_indonesian(column) for column in columns)
    for field, column in zip(fields, columns):
        _refine(field, column, indonesian)
    result = {"schema": {"fields": fields}, "layout": layout.as_dict(), "rows_sampled": len(cells)}
    if indonesian:
        result["number_format"] = {"decimal_char": ",", "group_char": "."}
    return result


def _indonesian(values: list[str]) -> bool:
    """Numbers written 1.234,5: some with a decimal comma, all of them numbers."""
    filled = [v for v in values if v]
    return bool(filled) and any("," in v for v in filled) and \
        all(_ID_INT.match(v) or _ID_NUM.match(v) or v.lstrip("-").isdigit() for v in filled)


def _refine(field: dict[str, Any], values: list[str], indonesian: bool) -> None:
    field["title"] = title_of(field["name"])
    filled = [v for v in values if v]
    if field.get("type") in ("any", None):
        field["type"] = "string"
    if filled and _YEAR_NAME.search(field["name"]) and all(_YEAR.match(v) for v in filled):
        field["type"] = "year"
    elif filled and indonesian and field["type"] in ("string", "number"):
        # Frictionless read "14.716" as 14.716; in an Indonesian file it is 14716.
        if all(_ID_INT.match(v) or v.lstrip("-").isdigit() for v in filled):
            field["type"] = "integer"
        elif _indonesian(filled):
            field["type"] = "number"
    constraints: dict[str, Any] = {}
    if values and len(filled) == len(values):
        constraints["required"] = True
    distinct = sorted(set(filled))
    if field["type"] == "string" and 0 < len(distinct) <= ENUM_MAX_VALUES and \
            len(filled) >= 3 * len(distinct):
        constraints["enum"] = distinct
    if constraints:
        field["constraints"] = constraints
    field.pop("format", None) if field.get("format") == "default" else None
