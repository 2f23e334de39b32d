"""Actions of the Excel templates (registered through logic/action.py)."""
from __future__ import annotations

import base64
import os
import shutil
import tempfile
from typing import Any

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate

from ckanext.satudata.excel import importing, layout, reading, writing
from ckanext.satudata.indah import payload
from ckanext.satudata.logic import schema

__all__ = ["satudata_template_export", "satudata_template_import"]

CHUNK = 64 * 1024


def _readable(user: str, ids: list[str], include_private: bool = True) -> list[dict]:
    found = []
    for id_ in ids:
        try:
            record = tk.get_action("package_show")({"user": user, "ignore_auth": False}, {"id": id_})
        except (tk.NotAuthorized, tk.ObjectNotFound):
            continue  # not the caller's to read: not in their file either
        if include_private or not record.get("private"):
            found.append(record)
    return found


def _with_private(user: str, asked: bool | None) -> bool:
    """Whether a file lists unpublished records the caller reads: yes, except for a
    sysadmin (a harvester's token), who asks for them explicitly, as every other listing
    of the portal answers it (README "Security")."""
    return (not authz.is_sysadmin(user)) if asked is None else asked


def _organization_datasets(user: str, organization: str, include_private: bool) -> list[dict]:
    """The OPD's data sektoral the caller reads (unpublished ones when INCLUDE_PRIVATE)."""
    org = model.Group.get(organization)
    if org is None or not org.is_organization:
        raise tk.ObjectNotFound(tk._("Organization not found"))
    found = tk.get_action("package_search")({"user": user, "ignore_auth": False}, {
        "fq": f'+owner_org:"{org.id}" +dataset_type:dataset', "include_private": include_private,
        "rows": int(tk.config.get("ckanext.satudata.excel.max_records")), "fl": "id",
        "sort": "name asc"})
    return _readable(user, [r["id"] for r in found["results"]])


def records_of(user: str, data_dict: dict) -> tuple[dict[str, list[dict]], str]:
    """What the file of DATA_DICT holds, as USER reads it, and its file name."""
    empty: dict[str, list[dict]] = {t.name: [] for t in layout.templates()}
    private = _with_private(user, data_dict.get("include_private"))
    if data_dict.get("id"):
        record = tk.get_action("package_show")({"user": user, "ignore_auth": False},
                                               {"id": data_dict["id"]})
        if record["type"] == "kegiatan":
            datasets = _readable(user, payload.linked(record["id"], "dataset"), private)
            return dict(empty, ms_keg=[record], data_sektoral=datasets, ms_var=datasets,
                        ms_ind=_readable(user, payload.linked(record["id"], "indikator"), private)), \
                record["name"]
        if record["type"] == "indikator":
            return dict(empty, ms_ind=[record]), record["name"]
        return dict(empty, data_sektoral=[record], ms_var=[record]), record["name"]
    if data_dict.get("organization"):
        datasets = _organization_datasets(user, data_dict["organization"], private)
        return dict(empty, data_sektoral=datasets, ms_var=datasets), f"data-sektoral-{data_dict['organization']}"
    return empty, "templat"


def _in_file_order(problems: list[reading.Problem]) -> list[reading.Problem]:
    sheets = {t.sheet: i for i, t in enumerate(layout.templates())}
    return sorted(problems, key=lambda p: (sheets.get(p.sheet, -1), p.row or 0,
                                           len(p.column), p.column))


@tk.side_effect_free
@validate(schema.template_export)
def satudata_template_export(context, data_dict) -> dict[str, Any]:
    """Metadata as an XLSX in the layout of BPS's metadata templates
    (schemas/excel_templates.yaml: sheets MS-Keg, MS-Ind, Data Sektoral, MS-Var).

    A kegiatan gives its MS-Keg, the MS-Ind of its indicators and the data
    sektoral and MS-Var of its datasets; a dataset its row and its variables; an
    indicator its MS-Ind; an organization the data sektoral sheet of its datasets;
    nothing, the empty template. Linked records the caller may not read are left
    out. The file imports back with ``satudata_template_import``.

    :param id: a kegiatan, indikator or dataset (id or name)
    :type id: string
    :param organization: instead of ``id``: an OPD (id or name)
    :type organization: string
    :param include_private: the unpublished linked or listed records the caller reads too
        (default: yes, except for sysadmins, who ask for them explicitly)
    :type include_private: bool
    :returns: ``{filename, xlsx}``, ``xlsx`` the workbook in base64
    :rtype: dict
    """
    tk.check_access("satudata_template_export", context, data_dict)
    records, name = records_of(context.get("user") or "", data_dict)
    content = writing.workbook(records)
    return {"filename": f"metadata-{name}.xlsx", "xlsx": base64.b64encode(content).decode("ascii")}


def _stored(upload: Any, limit: int) -> str | None:
    """UPLOAD copied to a temporary file, or None when it is larger than LIMIT bytes."""
    stream = getattr(upload, "stream", None) or upload
    handle, path = tempfile.mkstemp(prefix="satudata-template-", suffix=".xlsx")
    size = 0
    with os.fdopen(handle, "wb") as out:
        if isinstance(upload, (bytes, bytearray)):
            size = len(upload)
            out.write(upload[:limit + 1])
        else:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    break
                out.write(chunk)
    if size > limit:
        os.unlink(path)
        return None
    return path


@validate(schema.template_import)
def satudata_template_import(context, data_dict) -> dict[str, Any]:
    """Create or update kegiatan (MS-Keg), indikator (MS-Ind), data sektoral and
    their variables (MS-Var) from a filled template, all or nothing.

    Each row creates a record (in its workflow's first state, a draft) or updates
    the one of its URL name, as the caller: only where the caller may create or
    edit (the workflow's ``editors``). A file with any problem is refused whole
    and nothing of it is kept (one transaction; the search index is written by
    its commit only).

    :param upload: the .xlsx file (multipart upload)
    :returns: ``{created: [names], updated: [names]}``
    :raises ValidationError: ``{rows: [{sheet, row, column, column_label, message}]}``,
        every problem of the file, in the caller's language
    :rtype: dict
    """
    tk.check_access("satudata_template_import", context, data_dict)
    _ = tk._
    user = context.get("user") or ""
    limit = int(tk.config.get("ckanext.satudata.excel.max_bytes"))
    path = _stored(data_dict["upload"], limit)
    if path is None:
        raise tk.ValidationError({"rows": [reading.Problem("", None, "", "", _(
            "The file is larger than {limit} MB; import it in several files.").format(
            limit=round(limit / 1024 ** 2, 1))).as_dict()]})
    try:
        entries, problems = reading.read(path, int(tk.config.get("ckanext.satudata.excel.max_records")), _)
    finally:
        os.unlink(path)
    if not problems and not entries:
        problems = [reading.Problem("", None, "", "", _("The file has no records below the "
                                                        "template's header rows."))]
    if any(p.row is None for p in problems):  # the file itself: nothing to check row by row
        raise tk.ValidationError({"rows": [p.as_dict() for p in problems]})
    # Every row is checked even when some cells could not be read, so the producer
    # gets every error of the file at once; a cell's own error stands for its column.
    plans, found = importing.plan(entries, user, _)
    unread = {(p.sheet, p.row, p.column) for p in problems}
    problems += [p for p in found if (p.sheet, p.row, p.column) not in unread]
    if problems:
        model.Session.rollback()  # checking loaded objects; nothing was written
        raise tk.ValidationError({"rows": [p.as_dict() for p in _in_file_order(problems)]})
    done, problems = importing.apply(plans, user)
    if problems:
        raise tk.ValidationError({"rows": [p.as_dict() for p in problems]})
    return done
