"""Actions of the INDAH interop (registered through logic/action.py)."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate

from ckanext.satudata import lang
from ckanext.satudata.indah import client, mapping, payload, sync
from ckanext.satudata.logic import schema
from ckanext.satudata.model import IndahSync
from ckanext.satudata.workflow import visibility

__all__ = ["satudata_indah_overview", "satudata_indah_payload", "satudata_indah_status"]


@tk.side_effect_free
@validate(schema.workflow_show)
def satudata_indah_payload(context, data_dict) -> dict[str, Any]:
    """A kegiatan's submission to BPS's INDAH (v2), checked against INDAH's
    required-for-submit rules (ckanext/satudata/indah/indah-v2.schema.json).

    :param id: the kegiatan's id or name
    :returns: ``{kegiatan: MS-Keg body, variabel: [MS-Var bodies], indikator: [MS-Ind
        bodies], sources: {variabel: [{dataset, resource, column}], indikator: [names]},
        problems: [{record, index, source, field, label, row, indah_key, message}],
        valid: bool}``; MS-Var from the Table Schemas of the linked datasets'
        resources and MS-Ind from the linked indicators, as far as the caller may
        read them; ``problems`` name the portal field to fix
    :rtype: dict
    """
    tk.check_access("satudata_indah_payload", context, data_dict)
    row = sync.row_of(_id(data_dict["id"]))
    bundle = payload.collect({"user": context.get("user"), "ignore_auth": False},
                             data_dict["id"], row.indah_id if row else None)
    bundle["valid"] = not bundle["problems"]
    return bundle


def _id(id_or_name: str) -> str:
    pkg = model.Package.get(id_or_name)
    return pkg.id if pkg else id_or_name


@tk.side_effect_free
@validate(schema.workflow_show)
def satudata_indah_status(context, data_dict) -> dict[str, Any]:
    """Where a kegiatan stands at INDAH.

    :param id: the kegiatan's id or name
    :returns: ``{configured, indah_id, status, error, attempts, queued, synced, notes:
        [{field, note}]}``; ``status`` null before the first report, else INDAH's
        (SUBMITTED … APPROVED) or the portal's QUEUED, SENDING, ERROR
    :rtype: dict
    """
    tk.check_access("satudata_indah_status", context, data_dict)
    row = sync.row_of(_id(data_dict["id"]))
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "configured": client.configured(),
        "indah_id": row.indah_id if row else None,
        "status": row.status if row else None,
        "error": row.error if row else None,
        "attempts": row.attempts if row else 0,
        "queued": iso(row.queued) if row else None,
        "synced": iso(row.synced) if row else None,
        "notes": [_labelled(n) for n in (row.notes or [])] if row else [],
    }


def _labelled(note: dict) -> dict:
    """BPS's note with ``label``: the portal field its INDAH key names, in the reader's
    language (the key itself when it names none)."""
    field, row = mapping.field_for_path(mapping.kegiatan_fields(), str(note.get("field") or "").split("."))
    label = lang.text(field["label"]) if field and note.get("field") else note.get("field") or ""
    return dict(note, label=label + (f" ({row})" if row else ""))


#: INDAH's statuses and the portal's own (before INDAH answers), as people read them; the
#: order the Dasbor lists them in: what needs the Walidata first.
STATUS_LABELS = {
    "ERROR": "Not sent", "CORRECTION_REQUIRED": "Correction requested by BPS",
    "QUEUED": "Waiting to be sent", "SENDING": "Being sent", "DRAFT": "Draft at INDAH",
    "SUBMITTED": "Submitted to BPS", "UNDER_REVIEW": "Under review by BPS", "REVISED": "Revised",
    "APPROVED": "Approved by BPS", "REJECTED": "Rejected by BPS",
}


def status_label(status: str | None) -> str:
    """An INDAH status in the reader's language (the status itself if unknown)."""
    return tk._(STATUS_LABELS[status]) if status in STATUS_LABELS else (status or "")


@tk.side_effect_free
def satudata_indah_overview(context, data_dict) -> dict[str, Any]:
    """The kegiatan reported to INDAH, by INDAH status (the Walidata's weekly view).

    Only kegiatan the caller may read are listed.

    :returns: ``{count, statuses: [{status, label, count, kegiatan: [{name, title,
        organization, indah_id, synced, error}]}]}``, statuses in STATUS_LABELS' order
        (unknown ones last), kegiatan by title
    :rtype: dict
    """
    tk.check_access("satudata_indah_overview", context, data_dict)
    rows = (model.Session.query(IndahSync, model.Package)
            .join(model.Package, model.Package.id == IndahSync.package_id)
            .filter(model.Package.type == "kegiatan", model.Package.state == "active")
            .order_by(model.Package.title).all())
    readable = visibility.readable_by(context)
    grouped: dict[str, list[dict]] = {}
    for row, pkg in rows:
        if not readable(pkg.id):
            continue
        organization = model.Group.get(pkg.owner_org) if pkg.owner_org else None
        grouped.setdefault(row.status, []).append({
            "name": pkg.name, "title": pkg.title or pkg.name,
            "organization": organization.title if organization else "",
            "indah_id": row.indah_id, "error": row.error,
            "synced": row.synced.isoformat() if row.synced else None})
    order = list(STATUS_LABELS)
    statuses = [{"status": status, "label": status_label(status), "count": len(items),
                 "kegiatan": items}
                for status, items in sorted(grouped.items(), key=lambda kv: (
                    order.index(kv[0]) if kv[0] in order else len(order), kv[0]))]
    return {"count": sum(s["count"] for s in statuses), "statuses": statuses}
