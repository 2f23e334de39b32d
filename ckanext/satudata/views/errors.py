"""An action that refuses a page's request answers 4xx, never 500.

CKAN's API turns NotAuthorized, ObjectNotFound and ValidationError into 403, 404
and 409; its pages do so only where each view catches them, and some (e.g. the
activity plugin's /dataset/changes_multiple without ids) do not, so the refusal
became an "Internal server error". These app-wide handlers answer the same
status the API would (400 for invalid input) with the action's message.
"""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

action_errors = Blueprint("satudata_action_errors", __name__)


def _page(code: int, name: str, content: str):
    return tk.render("error_document_template.html",
                     {"code": code, "name": name, "content": content}), code


@action_errors.app_errorhandler(tk.NotAuthorized)
def _not_authorized(error):
    return _page(403, tk._("Forbidden"), str(error) or tk._("Not authorized to see this page"))


@action_errors.app_errorhandler(tk.ObjectNotFound)
def _not_found(error):
    return _page(404, tk._("Not Found"), str(error) or tk._("Not found"))


@action_errors.app_errorhandler(tk.ValidationError)
def _invalid(error):
    summary = "; ".join(f"{field}: {problem}" for field, problem in error.error_summary.items())
    return _page(400, tk._("Bad Request"), summary or tk._("Invalid request"))
