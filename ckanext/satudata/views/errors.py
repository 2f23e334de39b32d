"""A view that lets CKAN's NotFound or NotAuthorized escape answers 404 or 403.

Several of CKAN's own views (resource view editing, `changes_multiple`, the
organization member and delete pages, a user's API tokens) call actions
without catching these; Flask then answers 500 with an error logged. They
are turned into the HTTP error CKAN renders for an abort(404/403). The
action's message is not shown: it can name an id the caller did not send.
"""
from __future__ import annotations

from flask import Blueprint, current_app
from werkzeug.exceptions import Forbidden, NotFound

import ckan.plugins.toolkit as tk

errors = Blueprint("satudata_errors", __name__)


@errors.app_errorhandler(tk.ObjectNotFound)
def not_found(_error):
    return current_app.handle_http_exception(NotFound())


@errors.app_errorhandler(tk.NotAuthorized)
def not_authorized(_error):
    return current_app.handle_http_exception(Forbidden())
