"""Records as an XLSX workbook in the templates' layout (layout.py).

Every cell goes through spreadsheet.safe_cell: a producer's text that starts
with ``=`` is shown as text, never run as a formula on the reader's machine.
"""
from __future__ import annotations

import io
from typing import Iterable

from ckanext.satudata import msvar
from ckanext.satudata.excel import cells, layout
from ckanext.satudata.spreadsheet import safe_cell


def _record_row(template: layout.Template, record: dict) -> list:
    row = []
    for column in template.columns:
        if column.key == "owner_org":
            value = (record.get("organization") or {}).get("name") or record.get("owner_org")
        elif column.key == "tag_string":
            value = ", ".join(t["name"] for t in record.get("tags") or []) or None
        else:
            value = cells.to_cell(column.field, record.get(column.key))
        row.append(value)
    return row


def _variable_rows(template: layout.Template, dataset: dict) -> Iterable[list]:
    for resource in dataset.get("resources") or []:
        # MS-Var lives in the resource's Table Schema (msvar.py), the one source.
        for variable in msvar.variables(resource.get("schema") or {}):
            place = {"dataset": dataset["name"], "resource_id": resource["id"],
                     "resource_name": resource.get("name") or resource["id"]}
            yield [place[c.key] if c.key in place else cells.to_cell(c.field, variable.get(c.key))
                   for c in template.columns]


def _header(sheet, template: layout.Template) -> None:
    rows = layout.rows()
    width = len(template.columns)
    header = {r: [None] * width for r in ("title", "block", "label", "key")}
    header["title"][0] = layout.in_language(template.title, "id")
    if width > 1:
        header["title"][1] = layout.source("id")
    previous = None
    for index, column in enumerate(template.columns):
        if column.block != previous:
            header["block"][index] = column.block
            previous = column.block
        mark = " *" if layout.is_required(column.field) else ""
        header["label"][index] = f"{column.number}. {column.label('id')}{mark}"
        header["key"][index] = column.key
    for name in sorted(header, key=lambda n: rows[n]):
        sheet.append([safe_cell(v) for v in header[name]])


def workbook(records: dict[str, list[dict]]) -> bytes:
    """An XLSX of RECORDS: ``{template name: [package_show dicts]}``, one sheet per
    template given (for ``ms_var``, the datasets whose variables are listed)."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for template in layout.templates():
        if template.name not in records:
            continue
        sheet = book.create_sheet(template.sheet)
        _header(sheet, template)
        if template.resource_field:
            rows = [row for dataset in records[template.name] for row in _variable_rows(template, dataset)]
        else:
            rows = [_record_row(template, record) for record in records[template.name]]
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        for cell in sheet[layout.rows()["label"]]:
            cell.font = Font(bold=True)
        for cell in sheet[layout.rows()["key"]]:
            cell.font = Font(color="808080", italic=True)
        sheet.freeze_panes = sheet.cell(row=layout.rows()["first_record"], column=1)
        for column in template.columns:
            sheet.column_dimensions[column.letter].width = 24
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
