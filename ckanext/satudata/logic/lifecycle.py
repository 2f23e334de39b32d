"""Actions on the lifecycle beyond single transitions: tombstones of withdrawn
datasets. Re-exported by logic/action.py, where tk.blanket.actions finds them."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate

import ckan.model as model

from ckanext.satudata.logic import schema
from ckanext.satudata.workflow import tombstone


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
