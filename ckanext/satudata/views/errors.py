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

from flask import Blueprint

import ckan.plugins.toolkit as tk

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
