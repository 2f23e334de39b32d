"""An action that refuses a page's request answers 4xx, never 500.

CKAN's API turns NotAuthorized, ObjectNotFound and ValidationError into 403, 404
and 409; its pages do so only where each view catches them, and some (the
activity plugin's /dataset/changes_multiple, resource view editing, the
organization member and delete pages) do not, so the refusal became an
"Internal server error". These app-wide handlers answer the status the API
would (400 for invalid input). A refusal's own message is not shown: it can
name an id the caller did not send.
"""
from __future__ import annotations

from flask import Blueprint, request
from jinja2 import TemplateNotFound

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.activity.model import Activity

errors = Blueprint("satudata_errors", __name__)


def _page(code: int, name: str, content: str):
    return tk.render("error_document_template.html",
                     {"code": code, "name": name, "content": content}), code


@errors.app_errorhandler(tk.NotAuthorized)
def _not_authorized(_error):
    return _page(403, tk._("Forbidden"), tk._("Not authorized to see this page"))


@errors.app_errorhandler(tk.ObjectNotFound)
def _not_found(_error):
    return _page(404, tk._("Not Found"), tk._("Not found"))


@errors.app_errorhandler(tk.ValidationError)
def _invalid(error):
    summary = "; ".join(f"{field}: {problem}" for field, problem in error.error_summary.items())
    return _page(400, tk._("Bad Request"), summary or tk._("Invalid request"))


@errors.app_errorhandler(TemplateNotFound)
def _no_such_snippet(_error):
    # /api/util/snippet/<name> renders whatever name it is given.
    return _page(404, tk._("Not Found"), tk._("Not found"))


@errors.before_app_request
def _unknown_activity():
    """The activity plugin's resource history asserts that the activity exists (500)."""
    if request.endpoint != "activity.resource_history":
        return None
    if model.Session.query(Activity).get((request.view_args or {}).get("activity_id")) is None:
        return _page(404, tk._("Not Found"), tk._("Activity not found"))
    return None
