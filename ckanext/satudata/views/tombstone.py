"""410 Gone with a tombstone page for withdrawn datasets.

CKAN's dataset and resource pages answer 404 for a dataset the user cannot
read. For a withdrawn one, people following an old link (and crawlers) should
learn that it existed and why it is gone, so those pages answer 410 with the
tombstone fields only. Who can still read the dataset (its OPD, sysadmins)
gets the normal page.
"""
from __future__ import annotations

from flask import Blueprint, request

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.workflow import display, tombstone as tombstones

tombstone = Blueprint("satudata_tombstone", __name__)

# Views of a dataset type's blueprints (`<type>.read`, `<type>_resource.read`, …)
# that show its content.
_DATASET_VIEWS = {"read"}
_RESOURCE_VIEWS = {"read", "download"}


def _dataset_of_request() -> model.Package | None:
    if not request.endpoint or "." not in request.endpoint or request.method != "GET":
        return None
    blueprint, view = request.endpoint.rsplit(".", 1)
    pkg_id = (request.view_args or {}).get("id")
    if not pkg_id:
        return None
    if blueprint.endswith("_resource"):
        views, dataset_type = _RESOURCE_VIEWS, blueprint[:-len("_resource")]
    else:
        views, dataset_type = _DATASET_VIEWS, blueprint
    if view not in views:
        return None
    pkg = model.Package.get(pkg_id)
    return pkg if pkg is not None and pkg.type == dataset_type else None


def _can_read(pkg: model.Package) -> bool:
    try:
        tk.check_access("package_show", {"user": tk.current_user.name, "model": model},
                        {"id": pkg.id})
        return True
    except tk.NotAuthorized:
        return False


@tombstone.before_app_request
def gone():
    pkg = _dataset_of_request()
    if pkg is None or not tombstones.is_tombstone(pkg) or _can_read(pkg):
        return None
    found = tombstones.show(pkg)
    withdrawn = display.parse(found["withdrawn_at"])
    return tk.render("satudata/tombstone.html",
                     {"tombstone": found, "withdrawn": withdrawn}), 410
