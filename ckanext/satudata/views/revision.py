"""The "Buat revisi" button: starts a staged revision and opens it."""
from __future__ import annotations

from flask import Blueprint

import ckan.model as model
import ckan.plugins.toolkit as tk

revision = Blueprint("satudata_revision", __name__)


@revision.route("/<package_type>/<id>/revisi", methods=["POST"])
def create(package_type: str, id: str):
    pkg = model.Package.get(id)
    if pkg is None or pkg.type != package_type or pkg.state != "active":
        return tk.abort(404, tk._("Dataset not found"))
    context = {"user": tk.current_user.name, "model": model}
    try:
        copy = tk.get_action("satudata_revision_create")(context, {"id": pkg.id})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or tk._("Not authorized"))
    except tk.ValidationError as e:
        tk.h.flash_error(" ".join(m for ms in e.error_dict.values() for m in ms))
        return tk.redirect_to(f"{pkg.type}.read", id=pkg.name)
    tk.h.flash_success(tk._("Revision created. The published dataset stays unchanged until "
                            "this revision is approved and published."))
    return tk.redirect_to(f"{copy['type']}.read", id=copy["name"])
