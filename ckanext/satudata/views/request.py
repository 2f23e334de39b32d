"""Data request pages: the list (Walidata: all; OPD: its own), the Walidata's
form, and one page per request with its steps: "Serahkan" for the OPD (link a
dataset or start one from the request), edit and cancel for the Walidata.
What each user may do comes from the auth functions (logic/auth.py)."""
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


def _can(name: str, data_dict: dict) -> bool:
    try:
        return tk.check_access(name, _context(), data_dict)
    except tk.NotAuthorized:
        return False


def _show(id: str) -> dict:
    try:
        return tk.get_action("satudata_request_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Data request not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not a data request of your organization"))


def _read_page(id: str, errors: dict | None = None, typed: dict | None = None,
               status: int = 200):
    found = _show(id)
    is_open = found["status"] == "open"
    may = {"deliver": is_open and _can("satudata_request_fulfil", {"id": id}),
           "start": is_open and _can("satudata_request_start", {"id": id}),
           "edit": is_open and _can("satudata_request_update", {"id": id}),
           "cancel": is_open and _can("satudata_request_cancel", {"id": id})}
    choices = (tk.get_action("satudata_request_datasets")(_context(), {"id": id})
               if may["deliver"] else [])
    return tk.render("satudata/request/read.html", {
        "req": found, "may": may, "choices": choices, "errors": errors or {},
        "typed": typed or {}, "dataset_types": _types()}), status


@data_requests.route("/<id>")
def read(id: str):
    _login_first()
    return _read_page(id)


def _step(id: str, action: str, data: dict, done: str):
    """Run ACTION for request ID; back to its page with DONE, or the page with the errors."""
    _login_first()
    try:
        result = tk.get_action(action)(_context(), dict(data, id=id))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Data request not found"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or tk._("Not a data request of your organization"))
    except tk.ValidationError as e:
        return _read_page(id, e.error_dict, data, 400)
    tk.h.flash_success(done)
    return result


@data_requests.route("/<id>/serahkan", methods=["POST"])
def deliver(id: str):
    """Link the chosen dataset (delivered once it is submitted)."""
    result = _step(id, "satudata_request_fulfil",
                   {"dataset_id": request.form.get("dataset_id", "")},
                   tk._("Dataset linked to the request."))
    if isinstance(result, dict):
        return tk.redirect_to("satudata_request.read", id=id)
    return result


@data_requests.route("/<id>/dataset-baru", methods=["POST"])
def start(id: str):
    """Start a draft from the request and open its form."""
    result = _step(id, "satudata_request_start", {},
                   tk._("A draft was started from the request: complete it and submit it."))
    if not isinstance(result, dict):
        return result
    dataset = result["dataset"]
    pages = tk.h.scheming_get_dataset_form_pages(dataset["type"])
    if pages:
        return tk.redirect_to(f"{dataset['type']}.scheming_new_page", id=dataset["name"], page=1)
    return tk.redirect_to(f"{dataset['type']}.edit", id=dataset["name"])


@data_requests.route("/<id>/ubah", methods=["POST"])
def edit(id: str):
    data = {k: request.form.get(k, "") for k in ("title", "description", "due_date",
                                                  "dataset_type")}
    payload = {k: v for k, v in data.items() if v != "" or k in ("title", "description")}
    result = _step(id, "satudata_request_update", payload, tk._("Request updated."))
    if isinstance(result, dict):
        return tk.redirect_to("satudata_request.read", id=id)
    return result


@data_requests.route("/<id>/batal", methods=["POST"])
def cancel(id: str):
    result = _step(id, "satudata_request_cancel", {"reason": request.form.get("reason", "")},
                   tk._("Request cancelled."))
    if isinstance(result, dict):
        return tk.redirect_to("satudata_request.read", id=id)
    return result
