"""The "Jabatan" page of the Walidata's and the Pembina's organizations: members and
their named positions; the admin gives or takes them. Who may do what is the actions'."""
from __future__ import annotations

from flask import Blueprint, request

import ckan.model as model
import ckan.plugins.toolkit as tk

jabatan = Blueprint("satudata_jabatan", __name__)


def _context() -> dict:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else "",
            "model": model}


@jabatan.route("/organization/<id>/jabatan", methods=["GET", "POST"])
def positions(id: str):
    if request.method == "POST":
        try:
            tk.get_action("satudata_jabatan_set")(_context(), {
                "organization": id, "user": request.form.get("user", ""),
                "jabatan": request.form.get("jabatan", "")})
            tk.h.flash_success(tk._("Position saved"))
        except tk.NotAuthorized as e:
            return tk.abort(403, str(e) or tk._("Not authorized"))
        except tk.ObjectNotFound as e:
            return tk.abort(404, str(e))
        except tk.ValidationError as e:
            tk.h.flash_error(" ".join(m for ms in e.error_dict.values() for m in ms))
        return tk.redirect_to("satudata_jabatan.positions", id=id)
    try:
        listed = tk.get_action("satudata_jabatan_list")(_context(), {"organization": id})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or tk._("Not authorized"))
    except tk.ObjectNotFound as e:
        return tk.abort(404, str(e))
    try:
        tk.check_access("satudata_jabatan_set", _context(), {"organization": id})
        can_set = True
    except tk.NotAuthorized:
        can_set = False
    group = model.Group.get(id)
    return tk.render("satudata/jabatan.html", {
        "listed": listed, "can_set": can_set,
        "organization": {"name": group.name, "title": group.title or group.name}})
