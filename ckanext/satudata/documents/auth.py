"""Who may download the documents (registered through logic/auth.py)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

__all__ = ["satudata_lembar_pengesahan"]


def satudata_lembar_pengesahan(context, data_dict):
    """The approval sheet prints the trail: for those who read the dataset and its trail
    (package_show and satudata_workflow_history: the OPD's members, the Walidata's and
    the Pembina's reviewers who take part in its workflow)."""
    reference = (data_dict or {}).get("id") or ""
    pkg = model.Package.get(reference)
    if pkg is None or pkg.state == "deleted":
        return {"success": False, "msg": tk._("Dataset not found")}
    try:
        # Asked with what the caller sent: a refusal never names a hidden dataset's id.
        tk.check_access("package_show", dict(context), {"id": reference})
        tk.check_access("satudata_workflow_history", dict(context), {"id": pkg.id})
    except tk.NotAuthorized as refused:
        return {"success": False, "msg": str(refused) or tk._("Not authorized")}
    return {"success": True}
