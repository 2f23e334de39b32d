"""Validate one file against its Table Schema: the code path of the RQ job, the CLI and bench/.

Reads the file as ``reading`` detects it, streams it through Frictionless
(rows are never all in memory; errors are capped) and returns the status
and a report in Frictionless's shape with a ``satudata`` part added: the
layout that was used, trailing blank rows that were ignored, and whether
the error limit stopped the check early.
"""
from __future__ import annotations

import contextlib
import dataclasses
import time
from typing import Any, Iterator

from frictionless import Dialect, Schema, formats, system, validate

from ckanext.satudata.net import fetch
from ckanext.satudata.validation import columnar, numbers, reading

# Options Frictionless does not know: ours, read from validation_options.
OWN_OPTIONS = ("encoding", "delimiter", "sheet", "header_row", "decimal_char", "group_char")
# Frictionless options a resource's validation_options may pass on. Others
# (checklist, schema, dialect, basepath, ...) take a path or URL that
# Frictionless would open itself, so they are dropped.
FRICTIONLESS_OPTIONS = ("pick_errors", "skip_errors", "limit_rows")
DEFAULT_LIMIT_ERRORS = 1000
# Errors of a file Frictionless could not read at all (no "no data rows" on top).
UNREAD = ("source-error", "format-error", "encoding-error", "scheme-error", "compression-error")


def validate_file(path: str, format_: str, schema: dict | None = None,
                  options: dict[str, Any] | None = None,
                  config: dict[str, Any] | None = None, fast: bool = True) -> tuple[str, dict]:
    """(status, report) of a local file: ``success``, ``failure`` or ``error``.

    A CSV is first streamed through the columnar check (columnar.py); only
    when that cannot vouch for the file (a problem, or something it does not
    follow) does Frictionless read it, so a failure's report is always
    Frictionless's. ``fast=False`` goes to Frictionless directly.
    """
    options = dict(options or {})
    config = config or {}
    started = time.monotonic()
    try:
        layout = reading.detect(path, format_, options)
        sample = reading.csv_sample(path, dataclasses.replace(
            layout, header_row=layout.header_hint or layout.header_row), numbers.SAMPLE_ROWS) \
            if layout.format == "csv" else None  # also bounds the lines Frictionless will read
    except reading.Unreadable as problem:
        return "failure", unreadable_report(problem, path, time.monotonic() - started)
    convention = numbers.choose(options, config, sample, schema, layout.delimiter == ";")
    schema, whole = numbers.apply(schema, convention["decimal_char"], convention["group_char"])
    limit = int(options.pop("limit_errors", None) or config.get("limit_errors") or DEFAULT_LIMIT_ERRORS)
    extra = {k: v for k, v in options.items() if k in FRICTIONLESS_OPTIONS}
    checks = [numbers.WholeNumbers(fields=whole)] if whole else []
    report = columnar.validate(path, layout, schema, whole, extra) if fast else None
    engine = "columnar" if report else "frictionless"
    if report is None:
        with offline():
            report = validate(path, format=layout.format, schema=Schema.from_descriptor(schema)
                              if schema else None, checks=checks, limit_errors=limit,
                              **_frictionless_options(layout), **extra).to_dict()
    status, report = finish(report, layout, limit)
    report["satudata"]["engine"] = engine
    report["satudata"]["number_format"] = convention
    return status, report


@contextlib.contextmanager
def offline() -> Iterator[None]:
    """Frictionless reading a local file the portal chose, with no network of its own.

    ``trusted``: the path is absolute (an upload or a download's temp file).
    Any URL that still reaches Frictionless fails in ``NoFetchSession``.
    """
    with system.use_context(trusted=True, http_session=fetch.NoFetchSession()):
        yield


def _frictionless_options(layout: reading.Layout) -> dict[str, Any]:
    options: dict[str, Any] = {"dialect": Dialect(header_rows=[layout.header_row])}
    if layout.format == "csv":
        options["encoding"] = layout.encoding
        options["control"] = formats.CsvControl(delimiter=layout.delimiter)
    elif layout.sheet:
        options["control"] = formats.ExcelControl(sheet=layout.sheet)
    return options


def finish(report: dict, layout: reading.Layout, limit: int) -> tuple[str, dict]:
    """Drop the blank rows Excel leaves at the end of a table; decide the status."""
    ignored = 0
    for task in report.get("tasks", []):
        ignored += _drop_trailing_blank_rows(task, layout.header_row)
        task["place"] = ""  # the storage path is none of the reader's business
    if ignored:
        report["stats"]["errors"] = sum(t["stats"]["errors"] for t in report["tasks"])
        report["valid"] = not report["errors"] and all(t["valid"] for t in report["tasks"])
    for task in report.get("tasks", []):
        if not task.get("stats", {}).get("rows") and not any(
                e.get("type") in UNREAD or {"#table", "#file"} & set(e.get("tags", []))
                for e in task.get("errors", [])):
            # A header and nothing under it, an HTML page read as one column: no data.
            task["errors"].append(_file_error("no-data-rows"))
            task["stats"]["errors"] = task["stats"].get("errors", 0) + 1
            task["valid"] = False
            report["valid"] = False
            report["stats"]["errors"] = sum(t["stats"]["errors"] for t in report["tasks"])
    report["satudata"] = {
        "layout": layout.as_dict(),
        "trailing_blank_rows": ignored,
        "limit_errors": limit,
        "limit_reached": any("limit" in str(w) for t in report.get("tasks", [])
                             for w in t.get("warnings", [])),
    }
    # Files Frictionless cannot read at all (broken workbook, bad bytes) fail too:
    # the producer fixes them, the report says how.
    return ("success" if report.get("valid") else "failure"), report


def _drop_trailing_blank_rows(task: dict, header_row: int) -> int:
    errors = task.get("errors", [])
    last_row = header_row + task.get("stats", {}).get("rows", 0)
    dropped = 0
    while errors and errors[-1]["type"] == "blank-row" and errors[-1].get("rowNumber") == last_row:
        errors.pop()
        last_row -= 1
        dropped += 1
    if dropped:
        task["stats"]["errors"] -= dropped
        task["stats"]["rows"] -= dropped
        task["valid"] = not errors
    return dropped


def _file_error(code: str, **details: Any) -> dict:
    return {"type": code, "title": code, "message": code, "description": "", "tags": ["#file"],
            "note": "", **details}


def unreadable_report(problem: reading.Unreadable, path: str, seconds: float) -> dict:
    """A report in Frictionless's shape for a file that is not a table at all."""
    error = _file_error(problem.code, **problem.details)
    task = {"name": "", "type": "table", "valid": False, "place": "", "labels": [],
            "stats": {"errors": 1, "warnings": 0, "seconds": round(seconds, 3)},
            "warnings": [], "errors": [error]}
    return {"valid": False, "stats": {"tasks": 1, "errors": 1, "warnings": 0,
                                      "seconds": round(seconds, 3)},
            "warnings": [], "errors": [], "tasks": [task],
            "satudata": {"layout": {}, "trailing_blank_rows": 0, "limit_reached": False}}
