"""Actions on the Daftar Data Sektoral (SOP Tanjab step 1). Re-exported by logic/action.py."""
from __future__ import annotations

import base64
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate

from ckanext.satudata import lang

from ckanext.satudata.documents import surat_permintaan, walidata
from ckanext.satudata.logic import schema
from ckanext.satudata.model import DaftarDataSektoral, DaftarEntry
from ckanext.satudata.workflow import daftar, data_request

_ = tk._

__all__ = [
    "satudata_daftar_create",
    "satudata_daftar_show",
    "satudata_daftar_list",
    "satudata_daftar_update",
    "satudata_daftar_entry_add",
    "satudata_daftar_entry_update",
    "satudata_daftar_entry_delete",
    "satudata_daftar_send",
    "satudata_daftar_letter",
]

#: Rows one call may add (a regency has some 40 OPDs, a few titles each).
MAX_ROWS = 500


def _daftar(id_: str) -> DaftarDataSektoral:
    found = model.Session.get(DaftarDataSektoral, id_ or "")
    if found is None:
        raise tk.ObjectNotFound(_("Daftar Data Sektoral not found"))
    return found


def _entry(id_: str) -> DaftarEntry:
    found = model.Session.get(DaftarEntry, id_ or "")
    if found is None:
        raise tk.ObjectNotFound(_("Entry not found"))
    return found


def _types() -> set[str]:
    return set(tk.h.scheming_dataset_schemas() or {"dataset": {}})


def _user(context) -> model.User | None:
    return model.User.get(context.get("user") or "")


@validate(schema.daftar_create)
def satudata_daftar_create(context, data_dict) -> dict[str, Any]:
    """Start a Daftar Data Sektoral, the list of the data to collect for a period
    (the Walidata only). Its own due date is the workflow's ``daftar_sla`` from now
    (5 working days in the Tanjab SOP's step 1).

    :param period: the period it is for, e.g. ``2027`` or ``2027 Semester I``
    :type period: string
    :param notes: for the Walidata and the OPDs (optional)
    :type notes: string
    :param entry_due_date: YYYY-MM-DD, the default due date of its entries'
        requests (optional; default: the request SLA from the day it is sent)
    :type entry_due_date: string
    :returns: the daftar, as satudata_daftar_show returns it
    :rtype: dict
    """
    tk.check_access("satudata_daftar_create", context, data_dict)
    made = daftar.create(_user(context), data_dict["period"], data_dict.get("notes", ""),
                         data_dict.get("entry_due_date"))
    return daftar.as_dict(made)


def _visible_organizations(context, found: DaftarDataSektoral) -> list[str] | None:
    """None (every entry) for the Walidata; else the caller's OPDs (the auth function
    let an OPD member in on a sent daftar only)."""
    user = _user(context)
    if user is not None and (user.sysadmin or data_request.is_walidata(user)):
        return None
    return data_request.member_organizations(user) if user is not None else []


@tk.side_effect_free
@validate(schema.daftar_show)
def satudata_daftar_show(context, data_dict) -> dict[str, Any]:
    """One Daftar Data Sektoral: the Walidata sees it whole; a member of an OPD sees
    a sent one with its own OPD's entries only.

    :param id: the daftar's id
    :type id: string
    :returns: ``{id, period, notes, state (draft|sent), created, created_by,
        created_by_display, modified, due, entry_due, sent, sent_by_display, late
        (sent after its due date), overdue (a draft past its due date), entries:
        [{id, title, standar_data, satuan, frekuensi, notes, dataset_type, due,
        organization: {id, name, title}, request: {id, status, due, timeliness} |
        null}], by_organization: [{organization, entries}], progress:
        [{organization, total, delivered, on_time, late, open, overdue,
        cancelled}]}``; times ISO 8601 UTC
    :rtype: dict
    """
    tk.check_access("satudata_daftar_show", context, data_dict)
    found = _daftar(data_dict["id"])
    return daftar.as_dict(found, _visible_organizations(context, found))


@tk.side_effect_free
@validate(schema.daftar_list)
def satudata_daftar_list(context, data_dict) -> dict[str, Any]:
    """The Daftar Data Sektoral, newest first: all for the Walidata; for an OPD's
    member, the sent ones with an entry for their OPD.

    :param state: ``draft`` or ``sent`` (optional)
    :type state: string
    :param limit: page size (default 100, at most 1000)
    :type limit: int
    :param offset: how many to skip
    :type offset: int
    :returns: ``{"count": n, "results": [daftar without entries, with counts:
        {entries, organizations, delivered}]}``
    :rtype: dict
    """
    tk.check_access("satudata_daftar_list", context, data_dict)
    found = _daftar_query(context, data_dict.get("state"))
    page = found.offset(data_dict["offset"]).limit(data_dict["limit"]).all()
    return {"count": found.count(), "results": [daftar.summary(d) for d in page]}


def _daftar_query(context, state):
    user = _user(context)
    if user is not None and (user.sysadmin or data_request.is_walidata(user)):
        return daftar.query(state)
    if state == "draft":
        return daftar.query("draft").filter(sa.false())
    return daftar.sent_to(data_request.member_organizations(user) if user else [])


@validate(schema.daftar_update)
def satudata_daftar_update(context, data_dict) -> dict[str, Any]:
    """Change a draft daftar's period, notes or default due date (the Walidata).
    A sent daftar is not changed.

    :param id: the daftar's id
    :param period: optional
    :param notes: optional
    :param entry_due_date: optional, YYYY-MM-DD; empty: the request SLA again
    :returns: the daftar
    :rtype: dict
    """
    tk.check_access("satudata_daftar_update", context, data_dict)
    return daftar.as_dict(daftar.update(_daftar(data_dict["id"]), data_dict))


def satudata_daftar_entry_add(context, data_dict) -> dict[str, Any]:
    """Add entries to a draft daftar, several at once: all are added, or none and
    the problems of each row (``{"entries": [{}, {"title": [...]}]}``, one dict per
    row given, empty for a good row).

    :param id: the daftar's id
    :type id: string
    :param entries: ``[{organization (id or name of the OPD), title, standar_data,
        satuan, frekuensi, notes, dataset_type (default dataset), due_date
        (YYYY-MM-DD, optional: the daftar's default)}]``; the standar data fields
        are free hints for the OPD (e.g. the SDI standar data it follows)
    :type entries: list of dicts
    :returns: the daftar
    :rtype: dict
    """
    tk.check_access("satudata_daftar_entry_add", context, data_dict)
    # Validated here, not by @validate: the schema's problems of each row and the
    # engine's (unknown OPD, a passed date) go back together, one answer for the form.
    data_dict, errors = tk.navl_validate(data_dict, schema.daftar_entry_add(), context)
    if errors.get("id"):
        raise tk.ValidationError(errors)
    found = _daftar(data_dict["id"])
    rows = data_dict.get("entries") or []
    if not isinstance(rows, list) or not rows:
        raise tk.ValidationError({"entries": [_("Give at least one entry")]})
    if len(rows) > MAX_ROWS:
        raise tk.ValidationError({"entries": [_("At most {n} entries at once").format(
            n=MAX_ROWS)]})
    row_errors = errors.get("entries")
    daftar.add_entries(found, rows, _types(),
                       row_errors if isinstance(row_errors, list) else None)
    return daftar.as_dict(found)


def _entry_daftar(data_dict) -> DaftarDataSektoral:
    return model.Session.get(DaftarDataSektoral, _entry(data_dict["id"]).daftar_id)


@validate(schema.daftar_entry_update)
def satudata_daftar_entry_update(context, data_dict) -> dict[str, Any]:
    """Change an entry of a draft daftar (the Walidata).

    :param id: the entry's id
    :type id: string
    :param organization, title, standar_data, satuan, frekuensi, notes,
        dataset_type, due_date: as for satudata_daftar_entry_add, each optional
    :returns: the daftar
    :rtype: dict
    """
    tk.check_access("satudata_daftar_entry_update", context, data_dict)
    entry = _entry(data_dict["id"])
    daftar.update_entry(entry, {k: v for k, v in data_dict.items() if k != "id"}, _types())
    return daftar.as_dict(_daftar(entry.daftar_id))


@validate(schema.daftar_entry_delete)
def satudata_daftar_entry_delete(context, data_dict) -> dict[str, Any]:
    """Remove an entry from a draft daftar (the Walidata).

    :param id: the entry's id
    :type id: string
    :returns: the daftar
    :rtype: dict
    """
    tk.check_access("satudata_daftar_entry_delete", context, data_dict)
    entry = _entry(data_dict["id"])
    daftar_id = entry.daftar_id
    daftar.delete_entry(entry)
    return daftar.as_dict(_daftar(daftar_id))


@validate(schema.daftar_show)
def satudata_daftar_send(context, data_dict) -> dict[str, Any]:
    """Send a draft daftar (the Walidata): one data request per entry, made in one
    transaction (all or none), each linked to its entry; the producers of each OPD
    are told once, with the list of what is asked of them. Sent after its own due
    date, the daftar is flagged ``late``. A sent daftar is not changed any more.

    :param id: the daftar's id
    :type id: string
    :returns: the daftar, its entries with their requests
    :rtype: dict
    """
    tk.check_access("satudata_daftar_send", context, data_dict)
    found = _daftar(data_dict["id"])
    daftar.send(found, _user(context), _types())
    return daftar.as_dict(_daftar(data_dict["id"]))


def _letter_entries(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The letter's rows: title, the standar data hints, the due date (its request's
    once sent; else the entry's, else none yet)."""
    rows = []
    for e in entries:
        hints = [e["standar_data"]] if e["standar_data"] else []
        if e["satuan"]:
            hints.append(f"Satuan: {e['satuan']}")
        if e["frekuensi"]:
            hints.append(f"Frekuensi: {e['frekuensi']}")
        due = e["request"]["due"] if e["request"] else e["due"]
        rows.append({"title": e["title"], "hints": hints, "due_date": due})
    return rows


@tk.side_effect_free
@validate(schema.daftar_letter)
def satudata_daftar_letter(context, data_dict) -> dict[str, Any]:
    """The Surat Permintaan Data of a daftar to one OPD, as PDF, in Indonesian: the
    Walidata's letter listing what the OPD is asked for, with the hints and due dates.
    For the Walidata (a draft's too, to check it before sending) and for the members
    of that OPD once the daftar is sent.

    :param id: the daftar's id
    :type id: string
    :param organization: id or name of the OPD
    :type organization: string
    :returns: ``{filename, mimetype, content}``; ``content`` is the PDF, base64-encoded
    :rtype: dict
    """
    tk.check_access("satudata_daftar_letter", context, data_dict)
    found = _daftar(data_dict["id"])
    org = model.Group.get(data_dict["organization"])
    shown = daftar.as_dict(found, [org.id] if org is not None else [])
    if org is None or not shown["entries"]:
        raise tk.ObjectNotFound(_("The daftar asks nothing of this organization"))
    opd = {"name": org.name, "title": org.title}
    with lang.language("id"):
        data = surat_permintaan.render(walidata.profile(), opd, found.period,
                                       _letter_entries(shown["entries"]),
                                       date=found.sent or None)
    slug = "".join(c if c.isalnum() else "-" for c in found.period.lower()).strip("-")
    return {"filename": f"surat-permintaan-data-{slug}-{org.name}.pdf",
            "mimetype": "application/pdf",
            "content": base64.b64encode(data).decode("ascii")}
