"""A kegiatan's INDAH payload as a JSON download (what the Walidata would otherwise type)."""
from __future__ import annotations

import json

from flask import Blueprint, Response

import ckan.model as model
import ckan.plugins.toolkit as tk

indah = Blueprint("satudata_indah", __name__)


@indah.route("/kegiatan/<id>/indah.json")
def payload(id: str):
    pkg = model.Package.get(id)
    if pkg is None or pkg.type != "kegiatan" or pkg.state not in ("active", "draft"):
        return tk.abort(404, tk._("Dataset not found"))
    try:
        bundle = tk.get_action("satudata_indah_payload")(
            {"user": tk.current_user.name if tk.current_user else ""}, {"id": pkg.id})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or tk._("Not authorized"))
    return Response(json.dumps(bundle, ensure_ascii=False, indent=2),
                    mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="indah-{pkg.name}.json"'})
