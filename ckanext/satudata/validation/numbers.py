"""Indonesian number formats ("1.234,5") in the Table Schema Frictionless checks.

The portal's convention (``ckanext.satudata.validation.decimal_char`` /
``group_char``) or a resource's ``validation_options`` apply to every
numeric field that does not set its own ``decimalChar``/``groupChar``.
Frictionless integers know no group character, so with one configured an
integer field is checked as a number and a separate check keeps it whole.
"""
from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any, Iterable

import attrs
from frictionless import Check, errors


def number_format(options: dict[str, Any], config: dict[str, Any]) -> tuple[str, str]:
    decimal = options.get("decimal_char") or config.get("decimal_char") or "."
    group = options.get("group_char", config.get("group_char")) or ""
    return decimal, group


INDONESIAN, ENGLISH = (",", "."), (".", "")
SAMPLE_ROWS = 5000
# Shapes only one convention writes. "1.234.567", "1.234,5", "12,5" are Indonesian;
# "1,234.5", "12.5", "1,234,567" English. "12.000" could be either: in an integer
# column it is Indonesian (12.000 is no English integer); in a number column of a
# ';'-separated file (Excel in the id locale) too; elsewhere it decides nothing.
_ID_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_ID_SURE = re.compile(r"^-?\d{1,3}(\.\d{3}){2,}(,\d+)?$|^-?\d{1,3}(\.\d{3})+,\d+$|^-?\d+,\d+$")
_EN_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_EN_SURE = re.compile(r"^-?\d{1,3}(,\d{3}){2,}(\.\d+)?$|^-?\d{1,3}(,\d{3})+\.\d+$|^-?\d+\.\d+$")


def choose(options: dict[str, Any], config: dict[str, Any],
           sample: Iterable[dict[str, str]] | None = None,
           schema: dict | None = None, semicolons: bool = False) -> dict[str, str]:
    """{decimal_char, group_char, source}: the resource's options, else the portal's, else
    what the file's numeric columns show (``detected``), else the default."""
    if options.get("decimal_char") or options.get("group_char") is not None:
        decimal, group = number_format(options, config)
        return {"decimal_char": decimal, "group_char": group, "source": "resource"}
    decimal, group = number_format({}, config)
    if (decimal, group) != ENGLISH:
        return {"decimal_char": decimal, "group_char": group, "source": "portal"}
    numeric = {f["name"]: f.get("type") for f in (schema or {}).get("fields", [])
               if f.get("type") in ("integer", "number") and "decimalChar" not in f
               and "groupChar" not in f}
    if numeric and sample is not None and _indonesian(sample, numeric, semicolons):
        return {"decimal_char": INDONESIAN[0], "group_char": INDONESIAN[1], "source": "detected"}
    return {"decimal_char": decimal, "group_char": group, "source": "default"}


def _indonesian(sample: Iterable[dict[str, str]], numeric: dict[str, str], semicolons: bool) -> bool:
    indonesian = english = 0
    for row in sample:
        for name, kind in numeric.items():
            value = (row.get(name) or "").strip()
            if not value or value.lstrip("-").isdigit():
                continue
            if _ID_GROUPED.match(value):        # 12.000
                indonesian += kind == "integer" or semicolons
            elif _EN_GROUPED.match(value):      # 12,000
                if kind == "integer":
                    english += 1
                else:
                    indonesian += semicolons
            elif _ID_SURE.match(value):
                indonesian += 1
            elif _EN_SURE.match(value):
                english += 1
    return indonesian > 0 and english == 0


def apply(schema: dict[str, Any] | None, decimal: str, group: str) -> tuple[dict | None, list[str]]:
    """A copy of the schema with the number format set; the integer fields now read as numbers."""
    if not schema or (decimal == "." and not group):
        return schema, []
    schema = copy.deepcopy(schema)
    whole = []
    for field in schema.get("fields", []):
        if field.get("type") == "number":
            field.setdefault("decimalChar", decimal)
            if group:
                field.setdefault("groupChar", group)
        elif field.get("type") == "integer" and group and "groupChar" not in field:
            field.update(type="number", groupChar=group, decimalChar=decimal)
            whole.append(field["name"])
    return schema, whole


@attrs.define(kw_only=True, repr=False)
class WholeNumbers(Check):
    """Integer fields read as numbers (for their group character) must still be whole."""

    type = "satudata-whole-numbers"
    Errors = [errors.TypeError]
    fields: list = attrs.field(factory=list)

    def validate_row(self, row):
        for name in self.fields:
            value = row[name]
            if isinstance(value, (Decimal, float, int)) and value % 1 != 0:
                yield errors.TypeError.from_row(
                    row, note=f'type is "integer/default"', field_name=name)
