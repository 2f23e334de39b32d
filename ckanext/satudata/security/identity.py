"""Refusals that do not confirm a hidden dataset: no ids the caller did not send.

CKAN's package_show refusal names the dataset's UUID, so asking by name
revealed the id of a draft; a refused request is answered with what the
caller sent. Resource ids chosen by the client are refused whether or not
they exist elsewhere ("Resource id already exists" confirmed hidden ones).
"""
from __future__ import annotations

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk

_ = tk._


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_show(up_func, context, data_dict):
    result = up_func(context, data_dict)
    if not result.get("success"):
        return {"success": False, "msg": _("Not authorized to read dataset {id}").format(
            id=(data_dict or {}).get("id") or (data_dict or {}).get("name") or "")}
    return result


def refuse_foreign_resource_ids(context, resources, package_id: str | None) -> None:
    """Resources may carry an id only if it is already one of this dataset's.

    Otherwise CKAN says "Resource id already exists" exactly when another
    dataset, maybe unreadable, has it. Sysadmins (migrations) keep CKAN's rule.
    """
    if context.get("ignore_auth") or authz.is_sysadmin(context.get("user")):
        return
    own = set()
    if package_id:
        pkg = model.Package.get(package_id)
        own = {r.id for r in pkg.resources_all} if pkg is not None else set()
    for resource in resources or []:
        if isinstance(resource, dict) and resource.get("id") and resource["id"] not in own:
            raise tk.ValidationError({"id": [_(
                "A new resource's id is given by the portal; leave id empty")]})
