"""The "Buat revisi" button: starts a staged revision and opens it."""
from __future__ import annotations

from flask import Blueprint
from markupsafe import Markup

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


@revision.before_app_request
def _edit_form_of_a_published_dataset():
    """The edit form of a dataset the caller may not edit in place (published) sends
    them to the dataset page, where the refusal's advice and the "Buat revisi" button
    are, instead of CKAN's bare 403. Who may edit is editing.py's, not this view's."""
    from flask import request
    from ckanext.satudata.workflow import editing, service
    from ckanext.satudata.workflow.revision import direct_edit_refusal

    args = request.view_args or {}
    # CKAN's `<type>.edit`, the multi-page form's `<type>.scheming_edit(_page)`, the
    # list of files to edit (`<type>.resources`) and a file's forms
    # (`<type>_resource.satudata_edit` / `.satudata_new`); the view is checked before
    # the dataset is read (every page with an id ran here).
    blueprint = request.blueprint or ""
    words = set((request.endpoint or "").rpartition(".")[2].split("_"))
    form = "edit" in words or ("new" in words if blueprint.endswith("_resource") else "resources" in words)
    if "id" not in args or not form:
        return None
    # Any dataset type's address serves any dataset's form: CKAN reads the type from the dataset.
    if blueprint.removesuffix("_resource") not in tk.h.scheming_dataset_schemas():
        return None
    pkg = model.Package.get(args.get("id") or "")
    if pkg is None or not service.is_public(pkg):
        return None
    user = model.User.get(tk.current_user.name) if tk.current_user.is_authenticated else None
    if user is None or user.sysadmin:
        return None
    decision = editing.decide(pkg, user, "edit")
    if decision is None or decision.allowed:
        return None
    # A published dataset's refusal is the revision's (see editing.decide), said here
    # with a link to the open revision, for whoever may read it.
    tk.h.flash_notice(direct_edit_refusal(pkg, user, link=_link))
    return tk.redirect_to(f"{pkg.type}.read", id=pkg.name)


def _link(pkg: model.Package) -> Markup:
    return Markup('<a href="{}">{}</a>').format(
        tk.h.url_for(f"{pkg.type}.read", id=pkg.name), pkg.title or pkg.name)
