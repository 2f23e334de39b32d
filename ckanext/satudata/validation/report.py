"""A validation report a producer understands: grouped by problem, in plain words, with the fix.

Turns the stored report (Frictionless's shape plus our ``satudata`` part)
into groups of errors, one per kind of problem: how many, what it means,
how to fix it, and the first few cases with their row and the column's
MS-Var title and name. The same rows feed the CSV download.
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.satudata.net import fetch
from ckanext.satudata.spreadsheet import safe_row

EXAMPLES_PER_TYPE = 20
_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)
_TYPE = re.compile(r'type is "(\w+)/')


def _(text: str) -> str:
    return tk._(text)


def linked(resource: dict | None) -> bool:
    """A file the resource links to (not one uploaded to the portal): the fix is
    then in the file at its link, or a new link, never "upload again"."""
    return bool(resource) and resource.get("url_type") != "upload" and bool(resource.get("url"))


def _linked_fixes() -> dict[str, str]:
    fix_at_link = _("Fix the file at its link, or update the link to a CSV or Excel (.xlsx) file "
                    "with the table in it.")
    return {"source-error": fix_at_link, "format-error": fix_at_link, "not-tabular": fix_at_link,
            "empty-file": _("The link gives an empty file: update the link to the data file."),
            "encoding-error": _("Save the file at its link again as CSV UTF-8, or update the link.")}


# What each kind of problem means and how to fix it. English msgids; the
# Indonesian text is in the catalog (block "validation reports").
def fix_messages(resource: dict | None = None) -> dict[str, tuple[str, str]]:
    found = _upload_messages()
    if linked(resource):
        found.update({k: (found[k][0], fix) for k, fix in _linked_fixes().items()})
    return found


def _upload_messages() -> dict[str, tuple[str, str]]:
    return {
        "type-error": (_("The value is not of the column's data type ({expected})."),
                       _("Write the value as {expected}, or correct the column's data type in the "
                         "variables (MS-Var) if the column really holds another kind of value.")),
        "constraint-error": (_("The value breaks a rule of the column: {rule}."),
                             _("Correct the value, or the rule in the variables (MS-Var) if the rule "
                               "is wrong.")),
        "missing-cell": (_("The row has fewer cells than the table has columns."),
                         _("Fill in the missing cells (leave them empty, but keep the delimiters).")),
        "extra-cell": (_("The row has more cells than the table has columns."),
                       _("Remove the extra value, or add the column to the header and the variables. "
                         "A comma or semicolon inside a value must be quoted.")),
        "blank-row": (_("The row is completely empty."),
                      _("Delete the empty row.")),
        "blank-label": (_("A column has no name in the header row."),
                        _("Give every column a name in the header row.")),
        "duplicate-label": (_("Two columns have the same name."),
                            _("Give every column a different name.")),
        "incorrect-label": (_("The column's name in the file differs from the variables (MS-Var)."),
                            _("Rename the column in the file, or correct the column name in the "
                              "variables, so that both say the same in the same order.")),
        "missing-label": (_("A column of the variables (MS-Var) is missing from the file."),
                          _("Add the column to the file, or remove it from the variables.")),
        "extra-label": (_("The file has a column that the variables (MS-Var) do not describe."),
                        _("Describe the column in the variables, or remove it from the file.")),
        "primary-key": (_("The row repeats the key of another row."),
                        _("Make every key value unique.")),
        "unique-error": (_("The value must be unique in its column but occurs more than once."),
                         _("Remove or correct the duplicate.")),
        "encoding-error": (_("The file contains characters that cannot be read."),
                           _("Save the file again as CSV UTF-8.")),
        "source-error": (_("The file cannot be read as a table."),
                         _("Upload a CSV or Excel file with the table in it.")),
        "format-error": (_("The file is not in the format its name or format field says."),
                         _("Upload a real CSV or Excel (.xlsx) file, or correct the format.")),
        "scheme-error": (_("The file could not be fetched."),
                         _("Check the link of the resource, or upload the file instead.")),
        "schema-error": (_("The variables (MS-Var) cannot be used as a Table Schema."),
                         _("Correct the variables: column names, data types and rules.")),
        "empty-file": (_("The file is empty (0 bytes or no text)."),
                       _("Upload the file again; the upload may have failed.")),
        "not-tabular": (_("The file is not a table but a {kind} file."),
                        _("Upload the data as CSV or Excel (.xlsx); put documents and images in a "
                          "resource of their own format.")),
        "sheet-not-found": (_("The workbook has no sheet named {sheet}."),
                            _("Choose one of the sheets: {sheets}.")),
        "no-table": (_("No table was found in the workbook."),
                     _("Put the table on a sheet with its column names in one row.")),
        "file-missing": (_("The uploaded file is missing from the portal's storage."),
                         _("Upload the file again.")),
        "interrupted": (_("The check was interrupted several times."),
                        _("Start the check again; if it stops again, tell the portal's "
                          "administrator (the file may be too large).")),
        "no-data-rows": (_("The file has no data rows: only a header, or text that is no table."),
                         _("Upload the file with its data; if it is a table with a title above it, "
                           "set the header row in the validation options.")),
        "broken-archive": (_("The Excel file is damaged or incomplete (its zip archive cannot be "
                             "read)."),
                           _("Open the file in Excel or LibreOffice, save it again as .xlsx and "
                             "upload it again.")),
        "archive-too-large": (_("The Excel file unpacks to far more data than it should "
                                "({reason}); the portal does not open it."),
                              _("Save the table again as a plain .xlsx or CSV file, without "
                                "repeated or hidden content, and upload it again.")),
        "line-too-long": (_("A line of the file is longer than {limit} characters: it is no "
                            "table row."),
                          _("Upload a CSV file with one row of the table per line.")),
        "too-many-rows": (_("The data has more rows than a {format} file can hold ({limit})."),
                          _("Download the data as CSV or JSON instead.")),
        "too-large": (_("The file needs more memory to read than the portal allows ({limit} MB)."),
                      _("Split the data into smaller files, or ask the portal's administrator.")),
        "internal-error": (_("The portal could not check the file."),
                           _("Start the check again later, or tell the portal's administrator.")),
    }


def _archive_reasons() -> dict[str, str]:
    return {"size": _("unpacked size"), "ratio": _("compression ratio"),
            "strings": _("number of text cells"), "cells": _("number of cells"),
            "parts": _("number of parts")}


def _type_words() -> dict[str, str]:
    return {"integer": _("a whole number, e.g. 1234"),
            "number": _("a number, e.g. 1234.5"),
            "year": _("a year of four digits, e.g. 2024"),
            "date": _("a date as YYYY-MM-DD, e.g. 2024-12-31"),
            "datetime": _("a date and time as YYYY-MM-DDThh:mm:ss"),
            "boolean": _("true or false"),
            "string": _("text")}


def _rule_words(name: str, value: str) -> str:
    words = {"required": _("it may not be empty"),
             "minimum": _("the smallest value allowed is {value}"),
             "maximum": _("the largest value allowed is {value}"),
             "enum": _("it must be one of the codes {value}"),
             "pattern": _("it must match the pattern {value}"),
             "unique": _("it must be unique"),
             "minLength": _("it must have at least {value} characters"),
             "maxLength": _("it may have at most {value} characters")}
    return words.get(name, _("{name} is {value}")).format(name=name, value=value)


def columns(schema: Any) -> dict[str, dict[str, str]]:
    """{column name: {name, title}} from the resource's Table Schema (MS-Var)."""
    if isinstance(schema, str):
        schema = json.loads(schema) if schema.strip().startswith("{") else {}
    return {f["name"]: {"name": f["name"], "title": f.get("title") or ""}
            for f in (schema or {}).get("fields", [])}


def errors_of(report: dict | None) -> list[dict[str, Any]]:
    if not report:
        return []
    return [e for task in report.get("tasks", []) for e in task.get("errors", [])] + \
        list(report.get("errors") or [])


def explain(error: dict[str, Any], messages: dict | None = None) -> tuple[str, str]:
    """(what is wrong, how to fix it) for one error, in the user's language."""
    if str(error.get("type", "")).startswith("fetch-"):
        return fetch.explain(error)
    messages = messages or fix_messages()
    what, fix = messages.get(error.get("type"), (error.get("message") or error.get("type", ""), ""))
    details = {"expected": "", "rule": "", "kind": error.get("kind", ""),
               "limit": error.get("limit", ""), "format": error.get("format", ""),
               "reason": _archive_reasons().get(error.get("reason"), error.get("reason", "")),
               "sheet": error.get("sheet", ""), "sheets": ", ".join(error.get("sheets") or [])}
    note = error.get("note") or ""
    found = _TYPE.search(note)
    if found:
        details["expected"] = _type_words().get(found.group(1), found.group(1))
    found = _CONSTRAINT.search(note)
    if found:
        details["rule"] = _rule_words(*found.groups())
    return what.format(**details), fix.format(**details)


def grouped(report: dict | None, schema: Any, limit: int = EXAMPLES_PER_TYPE,
            resource: dict | None = None) -> list[dict]:
    """One group per kind of problem: count, explanation, fix (for a linked
    RESOURCE, one that fits a link), the first ``limit`` cases."""
    messages = fix_messages(resource)
    cols = columns(schema)
    groups: dict[str, dict[str, Any]] = {}
    for error in errors_of(report):
        group = groups.get(error["type"])
        if group is None:
            what, fix = explain(error, messages)
            group = groups[error["type"]] = {"type": error["type"], "count": 0, "what": what,
                                             "fix": fix, "examples": []}
        group["count"] += 1
        if len(group["examples"]) < limit:
            group["examples"].append(case(error, cols, messages))
    return sorted(groups.values(), key=lambda g: -g["count"])


def case(error: dict[str, Any], cols: dict, messages: dict | None = None) -> dict[str, Any]:
    name = error.get("fieldName") or ""
    what, fix = explain(error, messages)
    return {"type": error.get("type"), "row": error.get("rowNumber"),
            "column": name, "column_title": cols.get(name, {}).get("title", ""),
            "column_number": error.get("fieldNumber"),
            "value": error.get("cell", ""), "what": what, "fix": fix}


def csv_text(report: dict | None, schema: Any) -> str:
    """Every error of the report, a row each, for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row([_("Row"), _("Column name"), _("Variable name"), _("Value"),
                              _("Problem"), _("What is wrong"), _("How to fix it")]))
    messages = fix_messages()
    cols = columns(schema)
    for error in errors_of(report):
        c = case(error, cols, messages)
        writer.writerow(safe_row([c["row"] or "", c["column"], c["column_title"], c["value"],
                                  c["type"], c["what"], c["fix"]]))
    return out.getvalue()


def summary(report: dict | None) -> dict[str, Any]:
    part = (report or {}).get("satudata", {})
    task = ((report or {}).get("tasks") or [{}])[0]
    return {"rows": task.get("stats", {}).get("rows"),
            "errors": (report or {}).get("stats", {}).get("errors", 0),
            "layout": part.get("layout", {}),
            "trailing_blank_rows": part.get("trailing_blank_rows", 0),
            "limit_reached": part.get("limit_reached", False),
            "limit_errors": part.get("limit_errors"),
            "header_hint": part.get("layout", {}).get("header_hint"),
            "number_format": number_format_label(part.get("number_format")),
            "seconds": (report or {}).get("stats", {}).get("seconds")}


def number_format_label(convention: dict | None) -> str | None:
    """Which way of writing numbers the check applied, and why, in words."""
    if not convention:
        return None
    shape = ("1.234,5" if (convention.get("decimal_char"), convention.get("group_char"))
             == (",", ".") else "1234.5" if not convention.get("group_char")
             else f"1{convention['group_char']}234{convention.get('decimal_char')}5")
    source = {"detected": _("detected from the file"), "resource": _("set for this resource"),
              "portal": _("the portal's setting"),
              "default": _("the default")}.get(convention.get("source"), "")
    return f"{shape} ({source})" if source else shape


_STATUS_LABELS = {"pending": lambda: _("Waiting for validation"),
                  "running": lambda: _("Being validated"), "success": lambda: _("Valid"),
                  "failure": lambda: _("Invalid"), "error": lambda: _("Validation error")}


def status_label(status: str | None) -> str:
    # Only the label shown is translated: listings ask once per dataset.
    return _STATUS_LABELS.get(status or "", lambda: _("Not validated yet"))()


