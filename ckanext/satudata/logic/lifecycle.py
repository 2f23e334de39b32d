"""Actions on the lifecycle beyond single transitions: tombstones of withdrawn
datasets, staged revisions. Re-exported by logic/action.py, where
tk.blanket.actions finds them."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate

import ckan.model as model

from ckanext.satudata.logic import schema
from ckanext.satudata.workflow import revision, tombstone


@tk.side_effect_free
@validate(schema.tombstone_show)
def satudata_tombstone_show(context, data_dict) -> dict[str, Any]:
    """The tombstone of a withdrawn dataset: what the public may know of it.

    Open to everyone, anonymous users and harvesters included; nothing else of
    the dataset (data, resources, other metadata) is in it.

    :param id: dataset id or name
    :type id: string
    :returns: ``{id, name, title, type, organization: {name, title}, state,
        state_label, withdrawn_at (ISO 8601, UTC), reason}``
    :rtype: dict
    :raises ObjectNotFound: unless the dataset is in a tombstone state
    """
    tk.check_access("satudata_tombstone_show", context, data_dict)
    found = tombstone.show(model.Package.get(data_dict["id"]))
    if found is None:
        raise tk.ObjectNotFound(tk._("No withdrawn dataset with this id or name"))
    return found


@tk.side_effect_free
@validate(schema.tombstone_list)
def satudata_tombstone_list(context, data_dict) -> dict[str, Any]:
    """Withdrawn datasets, oldest withdrawal first: for harvesters to remove their copies.

    :param since: only withdrawals at or after this ISO 8601 date-time
        (UTC when it has no zone), e.g. the time of the last harvest
    :type since: string
    :param limit: page size, default 100, at most 1000
    :type limit: int
    :param offset: how many to skip
    :type offset: int
    :returns: ``{"count": n, "results": [tombstone, …]}``, each result as
        satudata_tombstone_show returns it, ordered by ``withdrawn_at`` then ``id``
    :rtype: dict
    """
    tk.check_access("satudata_tombstone_list", context, data_dict)
    count, results = tombstone.listing(data_dict.get("since"), data_dict["limit"],
                                       data_dict["offset"])
    return {"count": count, "results": results}


def _package(id_: str) -> model.Package:
    pkg = model.Package.get(id_)
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return pkg


@validate(schema.revision_create)
def satudata_revision_create(context, data_dict) -> dict[str, Any]:
    """Start a staged revision of a published dataset.

    The revision is a private copy (same type and organization, resources and
    uploaded files included) in the first state of the dataset's workflow. It
    is edited and reviewed like any dataset; when it reaches publication its
    metadata and resources replace the original's and the copy disappears.
    Until then the public sees the original unchanged.

    :param id: id or name of the published dataset
    :type id: string
    :returns: the revision (package_show)
    :rtype: dict
    :raises ValidationError: the dataset is not published, is a revision itself,
        or already has an open revision (the message names it)
    """
    tk.check_access("satudata_revision_create", context, data_dict)
    pkg = _package(data_dict["id"])
    return revision.create(pkg, model.User.get(context["user"]))


@validate(schema.revision_discard)
def satudata_revision_discard(context, data_dict) -> dict[str, Any]:
    """Discard the open revision of a dataset; the published dataset stays as it is.

    :param id: id or name of the revision, or of the dataset it revises
    :type id: string
    :param reason: optional note for the audit trail
    :type reason: string
    :returns: ``{"id": original id, "revision_id": …, "status": "discarded"}``
    :rtype: dict
    """
    tk.check_access("satudata_revision_discard", context, data_dict)
    record = _open_record(data_dict["id"])
    revision.discard(record, model.User.get(context["user"]), data_dict.get("reason", ""))
    return {"id": record.package_id, "revision_id": record.revision_id, "status": record.status}


def _open_record(id_: str):
    pkg = _package(id_)
    record = revision.record_of(pkg) or revision.open_revision(pkg)
    if record is None or record.status != "open":
        raise tk.ObjectNotFound(tk._("No open revision for this dataset"))
    return record
