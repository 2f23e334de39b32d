"""One field's value as a template cell, and back.

Choices are written as their Indonesian label (what BPS's forms show) and read
as label or stored value, case-insensitively; yes/no as ``Ya``/``Tidak``; lists
joined by ``; ``; the rows of a repeating field one per line, subfields joined by
`` | ``. Reading never guesses: a cell it cannot read is a ``CellError`` whose
message names what would be accepted; everything else is left to the schema's
validators, which check the record like the form does.
"""
from __future__ import annotations

import datetime
from typing import Any, Callable

from ckanext.satudata import codelists
from ckanext.satudata.spreadsheet import TRIGGERS

LIST_SEPARATOR = ";"
SUBFIELD_SEPARATOR = "|"
YES, NO = "Ya", "Tidak"
_YES = {"ya", "y", "yes", "true", "1", "benar"}
_NO = {"tidak", "t", "no", "false", "0", "salah", "bukan"}
LIST_PRESETS = ("satudata_multiple", "satudata_date_list", "satudata_text_list", "satudata_years",
                "satudata_kode_wilayah", "satudata_dataset_links")


class CellError(ValueError):
    """A cell that does not read as its field's kind of value (a translated message)."""


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _as_list(value: Any) -> list:
    if _empty(value):
        return []
    if isinstance(value, str) and value.strip().startswith("["):
        import json
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(TRIGGERS):
        return text[1:]  # written quoted by spreadsheet.safe_cell: the producer's own text
    return text


# ---------------------------------------------------------------- writing


def to_cell(field: dict, value: Any) -> Any:
    """VALUE (as package_show returns it) as the cell of FIELD."""
    subfields = field.get("repeating_subfields")
    if subfields:
        lines = []
        for row in _as_list(value):
            if isinstance(row, dict):
                lines.append(f" {SUBFIELD_SEPARATOR} ".join(
                    str(to_cell(sub, row.get(sub["field_name"])) or "") for sub in subfields))
        return "\n".join(lines) or None
    if _empty(value):
        return None
    preset = field.get("preset", "")
    if field.get("codelist"):
        chosen = _as_list(value) if preset == "satudata_multiple" else [value]
        return f"{LIST_SEPARATOR} ".join(codelists.label(field["codelist"], str(v), "id") for v in chosen)
    if preset == "satudata_yes_no" or isinstance(value, bool):
        truth = _truth(value)
        return None if truth is None else (YES if truth else NO)
    if preset in LIST_PRESETS:
        return f"{LIST_SEPARATOR} ".join(_text(v) for v in _as_list(value))
    if isinstance(value, (int, float)):
        return value
    return str(value)


def _truth(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    return True if text in _YES else False if text in _NO else None


# ---------------------------------------------------------------- reading


def from_cell(field: dict, cell: Any, _: Callable[[str], str]) -> Any:
    """The value of FIELD that CELL holds, as a form would post it; CellError if it
    cannot be read."""
    if _empty(cell):
        return [] if field.get("preset") in LIST_PRESETS or field.get("repeating_subfields") else ""
    if field.get("repeating_subfields"):
        return _rows(field, cell, _)
    preset = field.get("preset", "")
    if field.get("codelist"):
        if preset == "satudata_multiple":
            return [_choice(field, part, _) for part in _parts(cell)]
        return _choice(field, _text(cell), _)
    if preset == "satudata_yes_no":
        truth = _truth(cell)
        if truth is None:
            raise CellError(_("Write {yes} or {no}, not “{value}”").format(
                yes=YES, no=NO, value=_text(cell)))
        return truth
    if preset in LIST_PRESETS:
        return _parts(cell)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and not preset:
        return int(cell) if float(cell).is_integer() else cell  # a bound of MS-Var stays a number
    return _text(cell)


def _parts(cell: Any) -> list[str]:
    return [p.strip() for p in _text(cell).replace("\n", LIST_SEPARATOR).split(LIST_SEPARATOR)
            if p.strip()]


def _choice(field: dict, text: str, _: Callable[[str], str]) -> str:
    wanted = text.strip().casefold()
    for entry in codelists.values(field["codelist"]):
        names = [str(entry["value"])] + [str(v) for v in (entry.get("label") or {}).values()]
        if wanted in (n.casefold() for n in names):
            return str(entry["value"])
    choices = ", ".join(codelists.label(field["codelist"], str(e["value"]), "id")
                        for e in codelists.values(field["codelist"]))
    raise CellError(_("“{value}” is not one of the choices: {choices}").format(
        value=text, choices=choices))


def _rows(field: dict, cell: Any, _: Callable[[str], str]) -> list[dict]:
    subfields = field["repeating_subfields"]
    found = []
    for number, line in enumerate(l for l in _text(cell).splitlines() if l.strip()):
        parts = [p.strip() for p in line.split(SUBFIELD_SEPARATOR)]
        if len(parts) > len(subfields):
            raise CellError(_("Line {n} has {got} parts separated by “|”; this column takes at "
                              "most {most}: {names}").format(
                n=number + 1, got=len(parts), most=len(subfields),
                names=" | ".join(str((s.get("label") or {}).get("id") or s["field_name"])
                                 for s in subfields)))
        row = {}
        for sub, part in zip(subfields, parts + [""] * (len(subfields) - len(parts))):
            row[sub["field_name"]] = from_cell(sub, part, _)
        found.append(row)
    return found
