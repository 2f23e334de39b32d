"""The resource form's next step: a tabular file saved without variables leads
to the page that reads them from the file (validation.schema), where the
operator completes them in one compact table; that page then goes on where
the form would have gone (``next``).

CKAN's resource CreateView/EditView are wrapped, not copied: only their
redirect after a successful save is replaced.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
from ckan.views.resource import CreateView, EditView

from ckanext.satudata import msvar

TABULAR = ("csv", "xlsx", "xls")


def needs_variables(resource: dict[str, Any]) -> bool:
    """A table file (uploaded or linked) whose Table Schema describes no column."""
    if str(resource.get("format") or "").lower() not in TABULAR or not resource.get("url"):
        return False
    try:
        return not msvar.variables(resource.get("schema"))
    except ValueError:
        return False


def _resources(id: str) -> dict[str, dict]:
    try:
        dataset = tk.get_action("package_show")({"user": tk.current_user.name}, {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return {}
    return {r["id"]: dict(r, package_name=dataset["name"]) for r in dataset["resources"]}


def _to_variables(response, resource: dict | None):
    if resource is None or getattr(response, "status_code", None) != 302 or \
            not needs_variables(resource):
        return response
    location = urlparse(response.location)
    after = location.path + (f"?{location.query}" if location.query else "")
    return tk.redirect_to("validation.schema", id=resource["package_name"],
                          resource_id=resource["id"], next=after)


def _require_save_button() -> None:
    # CKAN's views answer a form posted without its "save" field with a KeyError (500).
    if "save" not in tk.request.form:
        tk.abort(400, tk._("The form was sent incomplete. Open it again and save with its button."))


class VariablesAfterCreate(CreateView):
    def post(self, package_type: str, id: str):
        _require_save_button()
        before = set(_resources(id))
        response = super().post(package_type, id)
        added = [r for rid, r in _resources(id).items() if rid not in before]
        return _to_variables(response, added[-1] if added else None)


class VariablesAfterEdit(EditView):
    def post(self, package_type: str, id: str, resource_id: str):
        _require_save_button()
        response = super().post(package_type, id, resource_id)
        return _to_variables(response, _resources(id).get(resource_id))


def add_rules(bp):
    """Before CKAN's own rules of the same paths, so these win."""
    bp.add_url_rule("/new", "satudata_new", VariablesAfterCreate.as_view("satudata_new"))
    bp.add_url_rule("/<resource_id>/edit", "satudata_edit",
                    VariablesAfterEdit.as_view("satudata_edit"))
    return bp
