"""A filled template read into rows of field values, every unreadable cell a Problem.

The upload is checked before openpyxl opens it (validation/archive.py: the
zip bombs and shared-strings bombs that already guard the data uploads), read
in openpyxl's streaming mode, and only as many rows and columns as the
template can have are looked at.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

from ckanext.satudata.excel import cells, layout
from ckanext.satudata.validation import archive, reading as data_reading, report
from ckanext.satudata.validation.problems import Unreadable

EXTRA_COLUMNS = 20  # read past the template's columns only this far (to name an unknown key)


@dataclasses.dataclass
class Problem:
    sheet: str
    row: int | None
    column: str          # letter, "" for the whole row or file
    column_label: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Entry:
    """One record row of a sheet: the values of the columns the sheet has."""
    template: layout.Template
    row: int
    values: dict[str, Any]
    letters: dict[str, str]  # key → the column letter it has in this file

    def problem(self, key: str | None, message: str) -> Problem:
        column = self.template.column(key) if key else None
        return Problem(self.template.sheet, self.row, self.letters.get(key or "", ""),
                       column.label() if column else "", message)


class TooMany(Exception):
    pass


def unreadable_message(error: Unreadable) -> str:
    first, fix = report.fix_messages()[error.code] if error.code in report.fix_messages() \
        else report.fix_messages()["broken-archive"]
    details = dict(error.details)
    if "reason" in details:
        details["reason"] = report._archive_reasons().get(details["reason"], details["reason"])
    try:
        return f"{first.format(**details)} {fix.format(**details)}"
    except (KeyError, IndexError):
        return f"{first} {fix}"


def read(path: str, max_rows: int, _: Callable[[str], str]) -> tuple[list[Entry], list[Problem]]:
    """The record rows of the workbook at PATH and the problems of reading it."""
    import openpyxl

    whole = lambda message: ([], [Problem("", None, "", "", message)])  # noqa: E731
    with open(path, "rb") as raw:
        if data_reading.kind_of(raw.read(8)) != "zip":
            return whole(_("The file is not an Excel workbook (.xlsx). Download the template, fill "
                           "it in Excel or LibreOffice and save it as .xlsx."))
    try:
        archive.check(path)
    except Unreadable as error:
        return whole(unreadable_message(error))
    entries: list[Entry] = []
    problems: list[Problem] = []
    with open(path, "rb") as raw:
        try:
            book = openpyxl.load_workbook(raw, read_only=True, data_only=True)
        except data_reading.BROKEN_XLSX:
            return whole(unreadable_message(Unreadable("broken-archive")))
        try:
            known = [name for name in book.sheetnames if layout.by_sheet(name)]
            if not known:
                return whole(_("The workbook has none of the template's sheets ({sheets}). "
                               "Download the template and keep its sheet names.").format(
                    sheets=", ".join(t.sheet for t in layout.templates())))
            total = 0
            for name in known:
                found, trouble = _sheet(book[name], layout.by_sheet(name), max_rows - total, _)
                entries += found
                problems += trouble
                total += len(found)
        except TooMany:
            problems.append(Problem("", None, "", "", _(
                "The file has more than {limit} records; import it in several files.").format(
                limit=max_rows)))
        except data_reading.BROKEN_XLSX:
            return whole(unreadable_message(Unreadable("broken-archive")))
        finally:
            book.close()
    return entries, problems


def _sheet(sheet, template: layout.Template, room: int, _) -> tuple[list[Entry], list[Problem]]:
    rows = layout.rows()
    width = len(template.columns) + EXTRA_COLUMNS
    keys_row = next(sheet.iter_rows(min_row=rows["key"], max_row=rows["key"], max_col=width,
                                    values_only=True), ())
    problems: list[Problem] = []
    columns: dict[int, layout.Column] = {}
    for index, key in enumerate(keys_row):
        if key in (None, ""):
            continue
        column = template.column(str(key).strip())
        if column is None:
            problems.append(Problem(template.sheet, rows["key"], layout.letter(index + 1), str(key),
                                    _("Unknown column key “{key}”: keep the template's key row as "
                                      "it is").format(key=key)))
        elif column.key in {c.key for c in columns.values()}:
            problems.append(Problem(template.sheet, rows["key"], layout.letter(index + 1),
                                    column.label(), _("This column appears twice")))
        else:
            columns[index] = column
    if not columns:
        problems.append(Problem(template.sheet, rows["key"], "", "", _(
            "Row {row} must hold the template's column keys; download the template again").format(
            row=rows["key"])))
        return [], problems
    entries = []
    for number, values in enumerate(sheet.iter_rows(min_row=rows["first_record"], max_col=width,
                                                    values_only=True), start=rows["first_record"]):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(entries) >= room:
            raise TooMany()
        record: dict[str, Any] = {}
        for index, column in columns.items():
            cell = values[index] if index < len(values) else None
            try:
                record[column.key] = cells.from_cell(column.field, cell, _)
            except cells.CellError as error:
                problems.append(Problem(template.sheet, number, layout.letter(index + 1),
                                        column.label(), str(error)))
        entries.append(Entry(template, number, record,
                             {c.key: layout.letter(i + 1) for i, c in columns.items()}))
    return entries, problems
