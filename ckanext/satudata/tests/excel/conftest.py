"""A portal with one user per role (a second producer of the same OPD too), and
helpers to read, change and upload template workbooks."""
from __future__ import annotations

import base64
import io

import openpyxl
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.satudata.excel import layout
from ckanext.satudata.tests.workflow.conftest import Portal


class ExcelPortal(Portal):
    def __init__(self):
        super().__init__()
        self.produsen_kedua = factories.User(name="produsen-dinkes-2")
        helpers.call_action("organization_member_create", {"ignore_auth": True},
                            id=self.opd["id"], username="produsen-dinkes-2", role="editor")


@pytest.fixture
def portal(clean_db, clean_index, clean_queues):
    return ExcelPortal()


def export(user: str, **wanted) -> openpyxl.Workbook:
    found = tk.get_action("satudata_template_export")({"user": user, "ignore_auth": False}, wanted)
    return openpyxl.load_workbook(io.BytesIO(base64.b64decode(found["xlsx"])))


def saved(book: openpyxl.Workbook) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def import_file(user: str, content: bytes) -> dict:
    return tk.get_action("satudata_template_import")({"user": user, "ignore_auth": False},
                                                    {"upload": content})


def refused(user: str, content: bytes) -> list[dict]:
    """The problems of a refused import."""
    with pytest.raises(tk.ValidationError) as caught:
        import_file(user, content)
    return caught.value.error_dict["rows"]


def column_of(book: openpyxl.Workbook, sheet: str, key: str) -> int:
    """The 1-based column of KEY on SHEET (read from the template's key row)."""
    row = layout.rows()["key"]
    for cell in book[sheet][row]:
        if cell.value == key:
            return cell.column
    raise KeyError(key)


def records(book: openpyxl.Workbook, sheet: str) -> list[int]:
    """The row numbers of SHEET's records."""
    first = layout.rows()["first_record"]
    return [r for r in range(first, book[sheet].max_row + 1)
            if any(c.value not in (None, "") for c in book[sheet][r])]


def set_cell(book, sheet: str, row: int, key: str, value) -> None:
    book[sheet].cell(row=row, column=column_of(book, sheet, key), value=value)


def template_values(record: dict, template_name: str) -> dict:
    """What the template says of RECORD (package_show), for comparing records."""
    from ckanext.satudata.excel import writing

    template = layout.template(template_name)
    return dict(zip([c.key for c in template.columns], writing._record_row(template, record)))


def variables_of(dataset: dict) -> list[list[dict]]:
    """The MS-Var of each resource (from its Table Schema), empty values left out."""
    from ckanext.satudata import msvar

    keys = [c.key for c in layout.template("ms_var").columns][3:]
    return [[{k: v.get(k) for k in keys if v.get(k) not in (None, "", [])}
             for v in msvar.variables(r.get("schema") or {})] for r in dataset["resources"]]


def show(name: str) -> dict:
    return helpers.call_action("package_show", {"ignore_auth": True}, id=name)


def indexed(name: str) -> int:
    return helpers.call_action("package_search", {"ignore_auth": True}, q=f'name:"{name}"',
                               include_private=True, include_drafts=True)["count"]
