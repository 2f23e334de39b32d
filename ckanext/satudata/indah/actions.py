"""Actions of the INDAH interop (registered through logic/action.py)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate

from ckanext.satudata import lang
from ckanext.satudata.indah import client, mapping, payload, sync
from ckanext.satudata.logic import schema

__all__ = ["satudata_indah_payload", "satudata_indah_status"]


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
    import ckan.model as model

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
