"""The fast path of validation: a typed columnar check of a CSV with pyarrow.

Frictionless reads a file cell by cell in Python (~25k rows/s). Most files
OPDs upload are valid, and for those the only thing the report says is
"valid, N rows, these hashes". This module streams the CSV through
pyarrow's reader in blocks (memory stays flat), applies the Table Schema's
types and constraints to whole columns at once, and returns a report in
Frictionless's shape when every cell passes.

It is a filter, never a judge of failures: the moment it meets anything it
cannot decide exactly as Frictionless would (a bad cell, a blank row, a
ragged row, a type, format or constraint it does not implement, an option
or dialect it does not follow), it returns None and the caller runs
Frictionless, so a file with a problem gets Frictionless's report. Each
check here is therefore *at least as strict* as Frictionless's: accepting
less than Frictionless accepts costs time, never a wrong outcome.
"""
from __future__ import annotations

import csv
import hashlib
import os
import time
from decimal import Decimal
from typing import Any

from frictionless import Schema, helpers, settings as fl_settings

from ckanext.satudata.validation import reading

BLOCK_BYTES = 1 << 20
SNIFF_LINES = 100  # what Frictionless's CSV parser sniffs before reading (formats/csv/parser.py)
ENCODINGS = {"utf-8": "utf8", "utf-8-sig": "utf8"}  # pyarrow skips a UTF-8 BOM itself
TYPES = {"string", "integer", "number", "year", "date", "boolean", "any"}
CONSTRAINTS = {
    "string": {"required", "enum", "minLength", "maxLength"},
    "integer": {"required", "enum", "minimum", "maximum"},
    "year": {"required", "enum", "minimum", "maximum"},
    "number": {"required", "minimum", "maximum"},
    "date": {"required"},
    "boolean": {"required"},
    "any": {"required"},
}
INTEGER = r"^-?[0-9]+$"
DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"
YEAR = r"^[0-9]{4}$"
# Days each month has; 29 February is checked apart (leap years).
DATE = (r"^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))$")


class CannotJudge(Exception):
    """The file (or a block of it) needs Frictionless: a problem, or something not followed here."""


def validate(path: str, layout: reading.Layout, schema: dict | None, whole: list[str],
             options: dict[str, Any]) -> dict | None:
    """Frictionless's report of a valid CSV, or None when Frictionless must decide."""
    started = time.monotonic()
    try:
        checks = _plan(path, layout, schema, whole, options)
        rows, digests = _scan(path, layout, checks)
    except CannotJudge:
        return None
    seconds = round(time.monotonic() - started, 3)
    names = [c.name for c in checks]
    task = {"name": _name(path), "type": "table", "valid": True, "place": path,
            "labels": names,
            "stats": {"errors": 0, "warnings": 0, "seconds": seconds, **digests,
                      "fields": len(names), "rows": rows},
            "warnings": [], "errors": []}
    return {"valid": True, "stats": {"tasks": 1, "errors": 0, "warnings": 0, "seconds": seconds},
            "warnings": [], "errors": [], "tasks": [task]}


# ------------------------------------------------------------------ what is checked

class Column:
    """One field's checks, applied to a block's column of raw strings."""

    def __init__(self, field, whole: bool):
        self.field = field
        self.name = field.name
        self.type = field.type
        self.whole = whole
        missing = field.missing_values if field.has_defined("missing_values") else \
            field.schema.missing_values
        self.missing = list(missing)
        self.constraints = dict(field.constraints or {})
        self.required = bool(self.constraints.get("required"))
        read = field.create_value_reader()
        self.cell_reader = field.create_cell_reader()
        self.minimum = self._bound(read, "minimum")
        self.maximum = self._bound(read, "maximum")
        self.enum = None
        if "enum" in self.constraints:
            values = [read(v) for v in self.constraints["enum"]]
            kind = str if self.type == "string" else int
            if any(type(v) is not kind for v in values):
                raise CannotJudge("enum")
            self.enum = values
        self.processor = None
        if self.type == "number":
            if not field.bare_number:
                raise CannotJudge("bareNumber")
            if set(field.list_defined()) & {"group_char", "decimal_char", "bare_number"}:
                if field.decimal_char == field.group_char or not field.decimal_char:
                    raise CannotJudge("number format")
                self.processor = (field.group_char, field.decimal_char)
        if self.type == "integer" and not field.bare_number:
            raise CannotJudge("bareNumber")
        if self.type == "boolean":
            self.booleans = list(field.true_values) + list(field.false_values)

    def _bound(self, read, name):
        if name not in self.constraints:
            return None
        value = read(self.constraints[name])
        if self.type in ("integer", "year") and type(value) is not int:
            raise CannotJudge(name)
        if self.type == "number" and not isinstance(value, (int, Decimal)):
            raise CannotJudge(name)
        return value

    def check(self, column) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        missing = pc.equal(column, "") if self.missing == [""] else \
            pc.is_in(column, value_set=pa.array(self.missing, pa.string()))
        self.last_missing = missing
        if self.required and pc.any(missing).as_py():
            raise CannotJudge("required")
        present = pc.invert(missing)
        if self.type == "any":
            return
        if self.type == "string":
            self._string(column, present)
            return
        if self.type == "boolean":
            self._fail_if(present, pc.is_in(column, value_set=pa.array(self.booleans)))
            return
        if self.type == "date":
            self._date(column, present)
            return
        text = column
        if self.type == "number" and self.processor:
            group, decimal = self.processor
            if group:
                text = pc.replace_substring(text, group, "")
            if decimal != ".":
                if pc.any(pc.match_substring(text, ".")).as_py():
                    raise CannotJudge("number")  # Frictionless: not a number
                text = pc.replace_substring(text, decimal, ".")
        pattern = {"integer": INTEGER, "year": YEAR}.get(self.type) or \
            (INTEGER if self.whole else DECIMAL)
        self._fail_if(present, pc.match_substring_regex(text, pattern))
        if self.minimum is None and self.maximum is None and self.enum is None:
            return
        filled = pc.if_else(present, text, "0")
        if self.type == "number":
            self._number_bounds(column, filled, present)
            return
        try:
            values = pc.cast(filled, pa.int64())
        except pa.ArrowInvalid:
            raise CannotJudge("int64") from None
        if self.minimum is not None:
            self._fail_if(present, pc.greater_equal(values, self.minimum))
        if self.maximum is not None:
            self._fail_if(present, pc.less_equal(values, self.maximum))
        if self.enum is not None:
            self._fail_if(present, pc.is_in(values, value_set=pa.array(self.enum, pa.int64())))

    def _string(self, column, present) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.enum is not None:
            self._fail_if(present, pc.is_in(column, value_set=pa.array(self.enum, pa.string())))
        if "minLength" in self.constraints or "maxLength" in self.constraints:
            length = pc.utf8_length(column)
            if "minLength" in self.constraints:
                self._fail_if(present, pc.greater_equal(length, int(self.constraints["minLength"])))
            if "maxLength" in self.constraints:
                self._fail_if(present, pc.less_equal(length, int(self.constraints["maxLength"])))

    def _date(self, column, present) -> None:
        import pyarrow.compute as pc

        self._fail_if(present, pc.match_substring_regex(column, DATE))
        self._fail_if(present, pc.invert(pc.starts_with(column, "0000")))
        leap = pc.and_(present, pc.ends_with(column, "-02-29"))
        if pc.any(leap).as_py():  # the few 29 Februaries: Frictionless's own reader decides
            for cell in pc.filter(column, leap).to_pylist():
                if self.cell_reader(cell)[1]:
                    raise CannotJudge("date")

    def _number_bounds(self, column, filled, present) -> None:
        """Bounds in float64 with a margin; the cells within it go to Frictionless's own reader."""
        import pyarrow as pa
        import pyarrow.compute as pc

        values = pc.cast(filled, pa.float64())
        near = None
        for bound, inside in ((self.minimum, pc.greater), (self.maximum, pc.less)):
            if bound is None:
                continue
            b = float(bound)
            margin = 1e-9 * max(1.0, abs(b))
            clear = inside(values, b + margin if inside is pc.greater else b - margin)
            close = pc.less_equal(pc.abs(pc.subtract(values, b)), margin)
            self._fail_if(present, pc.or_(clear, close))
            near = close if near is None else pc.or_(near, close)
        if near is not None and pc.any(pc.and_(present, near)).as_py():
            for cell in pc.filter(column, pc.and_(present, near)).to_pylist():
                if self.cell_reader(cell)[1]:
                    raise CannotJudge("bound")

    @staticmethod
    def _fail_if(present, ok) -> None:
        import pyarrow.compute as pc

        if pc.any(pc.and_(present, pc.invert(ok))).as_py():
            raise CannotJudge("cell")


def _plan(path: str, layout: reading.Layout, schema: dict | None, whole: list[str],
          options: dict[str, Any]) -> list[Column]:
    if layout.format != "csv" or not schema or options:
        raise CannotJudge("not a plain CSV with a schema")
    if layout.encoding not in ENCODINGS or layout.delimiter is None:
        raise CannotJudge("encoding")
    if helpers.parse_scheme_and_format(path)[1] in fl_settings.COMPRESSION_FORMATS:
        raise CannotJudge("compressed")  # Frictionless would unpack it
    for key in schema:
        if key not in ("fields", "missingValues"):
            raise CannotJudge(key)  # primaryKey, foreignKeys, ...
    fields = schema.get("fields") or []
    names = [f.get("name") for f in fields]
    if not fields or len(set(names)) != len(names):
        raise CannotJudge("fields")
    for field in fields:
        kind = field.get("type", "any")
        if kind not in TYPES or field.get("format", "default") != "default":
            raise CannotJudge(kind)
        if set(field.get("constraints") or {}) - CONSTRAINTS[kind]:
            raise CannotJudge("constraints")
    try:
        parsed = Schema.from_descriptor(schema)
    except Exception:
        raise CannotJudge("schema") from None
    _same_dialect(path, layout)
    return [Column(field, field.name in whole) for field in parsed.fields]


def _same_dialect(path: str, layout: reading.Layout) -> None:
    """Frictionless sniffs quoting and spaces from the first lines even with a delimiter given;
    only the plain dialect (double quotes, no escape character, spaces kept) is followed here."""
    sample = []
    try:
        for line in reading.lines(path, layout.encoding):
            sample.append(line)
            if len(sample) >= SNIFF_LINES:
                break
    except reading.Unreadable:
        raise CannotJudge("line") from None
    try:
        sniffed = csv.Sniffer().sniff("".join(sample), layout.delimiter)
    except csv.Error:
        return
    if sniffed.skipinitialspace or sniffed.escapechar or sniffed.quotechar not in ('"', "'"):
        raise CannotJudge("dialect")


def _name(path: str) -> str:
    """The task name Frictionless gives a file (detector.detect_resource)."""
    name = helpers.slugify(os.path.splitext(os.path.basename(path))[0],
                           regex_pattern=r"[^-a-z0-9._/]")
    return name or "name"


# ------------------------------------------------------------------ reading

def _digest(path: str) -> dict:
    """bytes, md5 and sha256 of the file as Frictionless reports them, through one reused buffer."""
    md5, sha256, size = hashlib.md5(), hashlib.sha256(), 0
    buffer = bytearray(BLOCK_BYTES)
    view = memoryview(buffer)
    with open(path, "rb") as stream:
        while count := stream.readinto(buffer):
            # NUL bytes: Python's csv module and pyarrow disagree on them.
            if buffer.find(b"\x00", 0, count) >= 0:
                raise CannotJudge("nul")
            md5.update(view[:count])
            sha256.update(view[:count])
            size += count
    return {"md5": md5.hexdigest(), "sha256": sha256.hexdigest(), "bytes": size}


def _scan(path: str, layout: reading.Layout, checks: list[Column]) -> tuple[int, dict]:
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.compute as pc

    names = [c.name for c in checks]
    digests = _digest(path)
    try:
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=BLOCK_BYTES, use_threads=True,
                                          skip_rows=layout.header_row - 1, encoding="utf8"),
            parse_options=pcsv.ParseOptions(delimiter=layout.delimiter, quote_char='"',
                                            double_quote=True, escape_char=False,
                                            newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False, check_utf8=True),
            )
        if reader.schema.names != names:
            raise CannotJudge("labels")
        rows = 0
        for batch in reader:
            blank = None
            for index, check in enumerate(checks):
                check.check(batch.column(index))
                blank = check.last_missing if blank is None else pc.and_(blank, check.last_missing)
            if blank is not None and pc.any(blank).as_py():
                raise CannotJudge("blank row")
            rows += batch.num_rows
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        raise CannotJudge("read") from None  # ragged rows, bad UTF-8, an unclosed quote
    if not rows:
        raise CannotJudge("no rows")
    return rows, digests
