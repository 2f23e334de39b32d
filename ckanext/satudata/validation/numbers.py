"""Indonesian number formats ("1.234,5") in the Table Schema Frictionless checks.

The portal's convention (``ckanext.satudata.validation.decimal_char`` /
``group_char``) or a resource's ``validation_options`` apply to every
numeric field that does not set its own ``decimalChar``/``groupChar``.
Frictionless integers know no group character, so with one configured an
integer field is checked as a number and a separate check keeps it whole.
"""
from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import attrs
from frictionless import Check, errors


def number_format(options: dict[str, Any], config: dict[str, Any]) -> tuple[str, str]:
    decimal = options.get("decimal_char") or config.get("decimal_char") or "."
    group = options.get("group_char", config.get("group_char")) or ""
    return decimal, group


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
