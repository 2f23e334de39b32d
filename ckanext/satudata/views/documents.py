"""Documents as PDF downloads: the Lembar Pengesahan of a dataset.

Who may download is the action's auth function's (satudata_lembar_pengesahan).
"""
from __future__ import annotations

import base64

from flask import Blueprint, Response

import ckan.model as model
import ckan.plugins.toolkit as tk

documents = Blueprint("satudata_documents", __name__)


@documents.route("/dataset/<id>/lembar-pengesahan.pdf")
def lembar_pengesahan(id: str):
    pkg = model.Package.get(id)
    if pkg is None or pkg.state == "deleted":
        return tk.abort(404, tk._("Dataset not found"))
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else "",
               "model": model}
    try:
        made = tk.get_action("satudata_lembar_pengesahan")(context, {"id": pkg.id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or tk._("Not authorized"))
    return Response(base64.b64decode(made["content"]), mimetype=made["mimetype"], headers={
        "Content-Disposition": f'attachment; filename="{made["filename"]}"',
        # the sheet shows the trail: not for shared caches
        "Cache-Control": "private, no-store"})
