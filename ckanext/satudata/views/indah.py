"""A kegiatan's INDAH payload as a JSON download (what the Walidata would otherwise type), and
its BPS recommendation letter uploaded from the kegiatan page (Romantik)."""
from __future__ import annotations

import json

from flask import Blueprint, Response, request

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.indah import romantik

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


@indah.route("/kegiatan/<id>/rekomendasi/surat", methods=["POST"])
def letter(id: str):
    """Store the uploaded PDF as the kegiatan's recommendation letter (replacing the one it
    has): CKAN's resource_create / resource_patch decide who may (the state's editors) and
    romantik.check_letter what is a letter. Refusals come back to the page as a message."""
    pkg = model.Package.get(id)
    if pkg is None or pkg.type != "kegiatan" or pkg.state not in ("active", "draft"):
        return tk.abort(404, tk._("Dataset not found"))
    back = tk.redirect_to("kegiatan.read", id=pkg.name)
    upload = request.files.get("upload")
    if upload is None or not upload.filename:
        tk.h.flash_error(tk._("Choose the PDF file of the recommendation letter"))
        return back
    context = {"user": tk.current_user.name if tk.current_user else ""}
    data = {"upload": upload, "url": upload.filename, "resource_type": romantik.LETTER}
    try:
        existing = romantik.letter(tk.get_action("package_show")(dict(context), {"id": pkg.id}))
        if existing:
            tk.get_action("resource_patch")(context, dict(data, id=existing["id"]))
        else:
            tk.get_action("resource_create")(context, dict(
                data, package_id=pkg.id, name=tk._("BPS recommendation letter")))
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return tk.abort(403, tk._("Not authorized"))
    except tk.ValidationError as e:
        tk.h.flash_error(" ".join(m for ms in e.error_dict.values() for m in
                                  (ms if isinstance(ms, list) else [str(ms)])))
        return back
    tk.h.flash_success(tk._("The recommendation letter is saved."))
    return back
