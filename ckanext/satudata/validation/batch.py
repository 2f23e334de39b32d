"""What `ckan satudata validate` does, resource by resource."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.validation import settings as validation_settings

from ckanext.satudata.validation import jobs, state


def recover() -> dict[str, int]:
    return jobs.recover_stale()


def resources(dataset: str | None) -> list[dict[str, Any]]:
    """The CSV/XLSX resources of one dataset, or of every active dataset."""
    context = {"ignore_auth": True}
    if dataset:
        ids = [tk.get_action("package_show")(context, {"id": dataset})["id"]]
    else:
        ids = [id_ for (id_,) in model.Session.query(model.Package.id)
               .filter(model.Package.state == "active").order_by(model.Package.name)]
    formats = validation_settings.get_supported_formats()
    found = []
    for id_ in ids:
        pkg = tk.get_action("package_show")(context, {"id": id_})
        found += [dict(r, name=f"{pkg['name']}/{r.get('name') or r['id']}") for r in pkg["resources"]
                  if (r.get("format") or "").lower() in formats]
    return found


def validate(resource: dict[str, Any], sync: bool) -> str:
    """The status after queueing (``pending``) or after the check itself (with ``sync``)."""
    try:
        tk.get_action("resource_validation_run")(
            {"ignore_auth": True}, {"resource_id": resource["id"], "async": not sync})
    except tk.ValidationError:
        return state.ERROR
    row = state.row(resource["id"])
    return state.status_name(row.status) if row else state.ERROR
