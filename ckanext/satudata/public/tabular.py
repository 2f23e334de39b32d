"""Rows of an uploaded tabular resource (CSV or XLSX), read lazily.

Everything here streams: a preview stops after N rows, a conversion never
holds the whole file in memory (XLSX output is spooled to a temporary file,
because a zip cannot be written front to back).
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from typing import Any, Iterator

import ckan.plugins.toolkit as tk
from ckan.lib import uploader

from ckanext.satudata.spreadsheet import safe_cell, safe_row
from ckanext.satudata.validation import archive, reading, report
from ckanext.satudata.validation.problems import Unreadable

CSV_FORMATS = {"csv", "text/csv"}
XLSX_FORMATS = {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
CONVERSIONS = ("csv", "xlsx", "json")
_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+\.\d+$")
CHUNK = 64 * 1024
XLSX_MAX_ROWS = 1_048_576  # a worksheet's rows in Excel and LibreOffice, header included


class NotTabular(Exception):
    """The resource is no uploaded CSV/XLSX file this portal can read."""


def kind(resource: dict) -> str | None:
    """'csv' or 'xlsx' for an uploaded tabular file, or a linked one the
    validation job has fetched (see keep_snapshot), else None."""
    if resource.get("url_type") != "upload" and not os.path.isfile(snapshot_path(resource)):
        return None
    fmt = (resource.get("format") or "").strip().lower()
    name = (resource.get("url") or "").lower()
    if fmt in CSV_FORMATS or (not fmt and name.endswith(".csv")):
        return "csv"
    if fmt in XLSX_FORMATS or (not fmt and name.endswith(".xlsx")):
        return "xlsx"
    return None


def path_of(resource: dict) -> str:
    if not kind(resource):
        raise NotTabular(resource.get("id"))
    if resource.get("url_type") != "upload":
        return snapshot_path(resource)
    return uploader.get_resource_uploader(resource).get_path(resource["id"])


# A linked file is never fetched while a page renders: the validation job,
# which fetches it anyway (net.fetch: no internal addresses, size and time
# capped), keeps what it read. Named by the link, so a changed link shows
# nothing until its own check has fetched it.

def snapshot_path(resource: dict) -> str:
    storage = tk.config.get("ckan.storage_path") or ""
    url = str(resource.get("url") or "")
    if not storage or not resource.get("id") or not url:
        return ""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return os.path.join(storage, "satudata", "linked", resource["id"][:3], f"{resource['id']}-{digest}")


def keep_snapshot(resource: dict, path: str) -> None:
    """Keep the fetched copy at PATH of a linked CSV/XLSX resource, replacing older ones."""
    fmt = (resource.get("format") or "").strip().lower()
    target = snapshot_path(resource)
    if not target or resource.get("url_type") == "upload" or \
            fmt not in CSV_FORMATS | XLSX_FORMATS:
        return
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        if old.startswith(resource["id"]):
            os.unlink(os.path.join(folder, old))
    shutil.copyfile(path, target + ".part")
    os.replace(target + ".part", target)


def _csv_rows(path: str) -> Iterator[list[str]]:
    layout = reading.detect(path, "csv")
    if layout.format != "csv":  # a workbook uploaded under the CSV format
        yield from _xlsx_rows(path)
        return
    for row in reading.csv_rows(path, dataclasses.replace(layout, header_row=1)):
        if any(cell.strip() for cell in row):
            yield row


def _xlsx_rows(path: str) -> Iterator[list[Any]]:
    import openpyxl

    with open(path, "rb") as raw:
        found = reading.kind_of(raw.read(8))
    if found != "zip":
        raise Unreadable("not-tabular", kind=found or "text")
    archive.check(path)  # before openpyxl holds its shared strings in memory
    # A file object, not the path: uploads are stored without their extension,
    # which openpyxl would refuse.
    with open(path, "rb") as raw:
        try:
            book = openpyxl.load_workbook(raw, read_only=True, data_only=True)
        except reading.BROKEN_XLSX:
            raise Unreadable("broken-archive") from None
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                if any(v not in (None, "") for v in row):
                    yield ["" if v is None else v for v in row]
        except reading.BROKEN_XLSX:
            raise Unreadable("broken-archive") from None
        finally:
            book.close()


def rows(resource: dict) -> Iterator[list[Any]]:
    """Header first, then the data rows, as read from the file.

    A file no reader should open (a broken or oversized archive, a line
    without end) raises ``Unreadable`` before or while it is read.
    """
    path = path_of(resource)
    if not os.path.isfile(path):
        raise Unreadable("file-missing")
    return _csv_rows(path) if kind(resource) == "csv" else _xlsx_rows(path)


def _typed(value: Any, field_type: str | None) -> Any:
    if not isinstance(value, str):
        if isinstance(value, float) and value.is_integer() and field_type in ("integer", "year"):
            return int(value)
        return value
    text = value.strip()
    if text == "":
        return None
    if field_type in (None, "integer", "year", "number", "any") and _INT.match(text):
        return int(text)
    if field_type in (None, "number", "any") and _FLOAT.match(text):
        return float(text)
    return text


def field_types(resource: dict) -> dict[str, str]:
    """Column name → Table Schema type, from the resource's MS-Var schema."""
    schema = resource.get("schema")
    if isinstance(schema, str):
        try:
            schema = json.loads(schema)
        except ValueError:
            schema = None
    fields = schema.get("fields", []) if isinstance(schema, dict) else []
    return {f["name"]: f.get("type") for f in fields if isinstance(f, dict) and f.get("name")}


def records(resource: dict, limit: int | None = None) -> tuple[list[str], Iterator[list[Any]]]:
    """(header, typed data rows); LIMIT bounds how many rows are read."""
    source = rows(resource)
    try:
        header = [str(h).strip() for h in next(source)]
    except StopIteration:
        return [], iter(())
    types = field_types(resource)
    column_types = [types.get(name) for name in header]

    def data() -> Iterator[list[Any]]:
        for n, row in enumerate(source):
            if limit is not None and n >= limit:
                source.close()
                return
            row = list(row) + [""] * (len(header) - len(row))
            yield [_typed(v, t) for v, t in zip(row[:len(header)], column_types)]
    return header, data()


def preview(resource: dict, limit: int = 10) -> dict | None:
    """The first LIMIT rows, and whether the file has more; ``refused``: why it cannot be read."""
    if not kind(resource):
        return None
    try:
        header, data = records(resource, limit + 1)
        body = list(data)
    except Unreadable as problem:
        return {"fields": [], "rows": [], "more": False, "refused": refusal(problem)}
    except (OSError, NotTabular, ValueError, KeyError):
        return None
    return {"fields": header, "rows": body[:limit], "more": len(body) > limit}


def refusal(problem: Unreadable) -> str:
    """What a page says about a file it will not read (the validation report's words)."""
    what, fix = report.explain({"type": problem.code, **problem.details})
    return f"{what} {fix}".strip()


# ------------------------------------------------------------ conversions

def _cell(value: Any) -> str:
    return "" if value is None else safe_cell(str(value))


def as_csv(resource: dict) -> Iterator[str]:
    header, data = records(resource)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(safe_row(header))
    for row in data:
        writer.writerow([_cell(v) for v in row])
        if buffer.tell() > CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def as_json(resource: dict) -> Iterator[str]:
    """A JSON array of objects, one per row, keys = the header."""
    header, data = records(resource)
    yield "["
    for n, row in enumerate(data):
        yield ("," if n else "") + "\n" + json.dumps(dict(zip(header, row)), ensure_ascii=False)
    yield "\n]\n"


def as_xlsx(resource: dict, title: str = "data") -> Iterator[bytes]:
    import openpyxl

    header, data = records(resource)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "data")
    # Text never starts with a formula trigger here, so openpyxl writes no formula.
    sheet.append(safe_row(header))
    for number, row in enumerate(data, 2):
        if number > XLSX_MAX_ROWS:
            # Excel opens no sheet longer than this: the file would be useless.
            raise Unreadable("too-many-rows", limit=XLSX_MAX_ROWS, format="XLSX")
        sheet.append(safe_row(row))
    with tempfile.TemporaryFile() as spool:
        book.save(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
