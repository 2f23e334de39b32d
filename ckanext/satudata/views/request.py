"""Data request pages: the list (Walidata: all; OPD: its own) and the Walidata's form."""
from __future__ import annotations

from flask import Blueprint, request

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.workflow import data_request as requests

data_requests = Blueprint("satudata_request", __name__, url_prefix="/permintaan-data")


def _context() -> dict:
    return {"user": tk.current_user.name, "model": model}


def _login_first():
    if not tk.current_user.is_authenticated:
        return tk.abort(403, tk._("Log in to see data requests"))
    return None


@data_requests.route("/")
def index():
    _login_first()
    filters = {k: request.args[k] for k in ("status", "organization", "overdue")
               if request.args.get(k)}
    try:
        found = tk.get_action("satudata_request_list")(_context(), dict(filters, limit=1000))
    except tk.ValidationError as e:
        found, filters = {"count": 0, "results": []}, dict(filters, errors=e.error_dict)
    user = model.User.get(tk.current_user.name)
    return tk.render("satudata/request/list.html", {
        "requests": found["results"], "count": found["count"], "filters": filters,
        "is_walidata": requests.is_walidata(user)})


def _opds() -> list[dict]:
    """Organizations a request can go to: every one but the Walidata and the Pembina."""
    skip = {tk.config.get("ckanext.satudata.walidata_organization"),
            tk.config.get("ckanext.satudata.pembina_organization")}
    orgs = (model.Session.query(model.Group)
            .filter_by(is_organization=True, state="active").order_by(model.Group.title))
    return [{"value": o.name, "text": o.title or o.name} for o in orgs if o.name not in skip]


def _types() -> list[dict]:
    schemas = tk.h.scheming_dataset_schemas() or {"dataset": {}}
    return [{"value": name, "text": tk.h.scheming_language_text(s.get("about") or name)
             if s.get("about") else name} for name, s in sorted(schemas.items())]


@data_requests.route("/baru", methods=["GET", "POST"])
def new():
    _login_first()
    try:
        tk.check_access("satudata_request_create", _context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the Walidata manages data requests"))
    data, errors = {}, {}
    if request.method == "POST":
        data = {k: request.form.get(k, "") for k in
                ("title", "description", "organization", "due_date", "dataset_type")}
        payload = {k: v for k, v in data.items() if v != "" or k == "title"}
        try:
            made = tk.get_action("satudata_request_create")(_context(), payload)
        except tk.ValidationError as e:
            errors = e.error_dict
        else:
            tk.h.flash_success(tk._("Request sent to {organization}").format(
                organization=made["organization"]["title"] or made["organization"]["name"]))
            return tk.redirect_to("satudata_request.index")
    return tk.render("satudata/request/new.html", {
        "data": data, "errors": errors, "organizations": _opds(), "dataset_types": _types()})
