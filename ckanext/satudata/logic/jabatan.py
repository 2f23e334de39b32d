"""Actions on the named positions (jabatan) of the Walidata's and the Pembina's members.
Re-exported by logic/action.py, where tk.blanket.actions finds them."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate

from ckanext.satudata.logic import schema
from ckanext.satudata.workflow import jabatan

__all__ = ["satudata_jabatan_list", "satudata_jabatan_set"]


def _organization(reference: str) -> model.Group:
    group = jabatan.steward_organization(reference)
    if group is None:
        raise tk.ObjectNotFound(tk._("Positions are kept for the Walidata's and the "
                                     "Pembina's organizations only"))
    return group


@tk.side_effect_free
@validate(schema.jabatan_list)
def satudata_jabatan_list(context, data_dict) -> dict[str, Any]:
    """The members of the Walidata's (or the Pembina's) organization and their positions.

    :param organization: id or name of that organization
    :returns: ``{organization, choices: {jabatan: label}, members: [{user, display_name,
        capacity, jabatan}]}`` (``jabatan`` empty when none is given)
    :rtype: dict
    """
    tk.check_access("satudata_jabatan_list", context, data_dict)
    group = _organization(data_dict["organization"])
    return {"organization": group.name, "choices": jabatan.known(group),
            "members": jabatan.members(group)}


@validate(schema.jabatan_set)
def satudata_jabatan_set(context, data_dict) -> dict[str, Any]:
    """Give a member a position (jabatan), or take it away.

    :param organization: id or name of the Walidata's or the Pembina's organization
    :param user: the member's name or id
    :param jabatan: one of satudata_jabatan_list's ``choices``; empty to take it away
    :returns: the list, as satudata_jabatan_list returns it
    :rtype: dict
    """
    tk.check_access("satudata_jabatan_set", context, data_dict)
    group = _organization(data_dict["organization"])
    user = model.User.get(data_dict["user"])
    if user is None:
        raise tk.ValidationError({"user": [tk._("User not found")]})
    jabatan.assign(group, user, data_dict.get("jabatan") or "",
                   model.User.get(context["user"]))
    model.repo.commit()
    return satudata_jabatan_list(dict(context), {"organization": group.id})
