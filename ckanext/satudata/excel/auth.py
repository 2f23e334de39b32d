"""Who may export and import the Excel templates (registered through logic/auth.py).

Export: whoever may read the record (package_show). Import: a signed-in user who
may create datasets in some organization (an OPD's producer, the Walidata); each
row is then checked by package_create / package_update, the workflow's editors.
"""
from __future__ import annotations

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk

__all__ = ["satudata_template_export", "satudata_template_import"]


@tk.auth_allow_anonymous_access
def satudata_template_export(context, data_dict):
    """A record's file: whoever reads the record; an OPD's or the empty template: anyone
    (the OPD's sheet lists only what the caller reads)."""
    if (data_dict or {}).get("id"):
        pkg = model.Package.get(data_dict["id"])
        if pkg is None or pkg.state == "deleted":
            return {"success": False, "msg": tk._("Dataset not found")}
        # Asked with what the caller sent: the refusal then names that, never the id of a
        # dataset they may not read.
        return {"success": tk.check_access("package_show", dict(context), {"id": data_dict["id"]})}
    return {"success": True}


def satudata_template_import(context, data_dict):
    """Signed-in users who create records in some OPD (producers, the Walidata)."""
    user = context.get("user") or ""
    if not user or model.User.get(user) is None:
        return {"success": False, "msg": tk._("Sign in to import metadata")}
    if authz.is_sysadmin(user) or authz.has_user_permission_for_some_org(user, "create_dataset"):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the producers of an OPD and the Walidata import "
                                          "metadata")}
