"""Pages of resource validation: the report (and its downloads), a new check, the schema from the data.

The blueprint keeps ckanext-validation's name (``validation``) and its
``read`` endpoint, so upstream's templates and helpers link here.
"""
from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, request

import ckan.plugins.toolkit as tk

from ckanext.satudata import msvar
from ckanext.satudata.validation import report

blueprint = Blueprint("validation", __name__)
_ROW_KEY = re.compile(r"^variabel-(\d+)-(\w+)$")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _load(id: str, resource_id: str) -> tuple[dict, dict]:
    """(dataset, resource), or the 403/404 the reader may get."""
    try:
        dataset = tk.get_action("package_show")(_context(), {"id": id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Unauthorized to read this validation report"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    resource = next((r for r in dataset["resources"] if r["id"] == resource_id), None)
    if resource is None:
        return tk.abort(404, tk._("Resource not found"))
    return dataset, resource


def _validation(resource_id: str) -> dict | None:
    try:
        return tk.get_action("resource_validation_show")(_context(), {"resource_id": resource_id})
    except tk.ObjectNotFound:
        return None


def _can_edit(resource_id: str) -> bool:
    try:
        return tk.check_access("resource_update", _context(), {"id": resource_id})
    except tk.NotAuthorized:
        return False


def read(id: str, resource_id: str):
    dataset, resource = _load(id, resource_id)
    return tk.render("satudata/validation/report.html", extra_vars={
        "pkg_dict": dataset, "dataset": dataset, "pkg": dataset, "resource": resource, "res": resource,
        "validation": _validation(resource_id), "can_edit": _can_edit(resource_id)})


def download(id: str, resource_id: str, fmt: str):
    dataset, resource = _load(id, resource_id)
    validation = _validation(resource_id)
    if validation is None:
        return tk.abort(404, tk._("No validation report exists for this resource"))
    name = f"validasi-{dataset['name']}-{resource_id[:8]}"
    if fmt == "json":
        body, mimetype = json.dumps(validation, indent=2, ensure_ascii=False), "application/json"
    else:
        body = "\ufeff" + report.csv_text(validation.get("report"), resource.get("schema"))
        mimetype = "text/csv; charset=utf-8"  # BOM: Excel then reads the UTF-8 right
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def run(id: str, resource_id: str):
    dataset, resource = _load(id, resource_id)
    try:
        tk.get_action("resource_validation_run")(_context(), {"resource_id": resource_id})
        tk.h.flash_success(tk._("The file is queued for validation."))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Unauthorized to validate this resource"))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(str(m) for m in error.error_dict.values()))
    return tk.redirect_to("validation.read", id=dataset["name"], resource_id=resource_id)


def schema(id: str, resource_id: str):
    """GET: the columns found in the file, as MS-Var rows to confirm; POST: save them."""
    dataset, resource = _load(id, resource_id)
    if not _can_edit(resource_id):
        return tk.abort(403, tk._("Unauthorized to edit this resource"))
    if request.method == "POST":
        return _save_schema(dataset, resource)
    errors: list[str] = []
    inferred: dict[str, Any] = {}
    try:
        inferred = tk.get_action("satudata_schema_infer")(_context(), {"resource_id": resource_id})
    except tk.ValidationError as error:
        errors = [m for messages in error.error_dict.values() for m in messages]
    rows = msvar.with_inferred(tk.h.satudata_variables(resource), inferred.get("variabel", []))
    return tk.render("satudata/validation/schema_form.html", extra_vars={
        "pkg_dict": dataset, "pkg": dataset, "resource": resource, "res": resource,
        "inferred": inferred, "rows": rows, "errors": errors, "next": _next()})


def _next() -> str:
    """Where the form step that led here goes on to: a path on this portal only."""
    target = request.values.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else ""


def _save_schema(dataset: dict, resource: dict):
    rows: dict[int, dict[str, Any]] = {}
    for key, value in request.form.items():
        found = _ROW_KEY.match(key)
        if found:
            rows.setdefault(int(found.group(1)), {})[found.group(2)] = value
    posted = [dict(rows[i], wajib_diisi=rows[i].get("wajib_diisi") == "true")
              for i in sorted(rows) if rows[i].get("keep") == "true"]
    for row in posted:
        row.pop("keep", None)
    variables = msvar.updated_rows(tk.h.satudata_variables(resource), posted)
    patch: dict[str, Any] = {"id": resource["id"], "variabel": variables}
    if request.form.get("decimal_char"):
        options = resource.get("validation_options") or {}
        if isinstance(options, str):
            options = json.loads(options) if options.strip() else {}
        patch["validation_options"] = json.dumps(dict(
            options, decimal_char=request.form["decimal_char"],
            group_char=request.form.get("group_char", "")))
    try:
        tk.get_action("resource_patch")(_context(), patch)
    except tk.ValidationError as error:
        tk.h.flash_error("; ".join(str(m) for m in error.error_dict.get("variabel", []))
                         or str(error.error_dict))
        return tk.redirect_to("validation.schema", id=dataset["name"], resource_id=resource["id"],
                              next=_next() or None)
    tk.h.flash_success(tk._("The variables were saved; the file is being validated against them."))
    return tk.redirect_to(_next() or tk.url_for("resource.read", id=dataset["name"],
                                                 resource_id=resource["id"]))


_BASE = "/dataset/<id>/resource/<resource_id>"
blueprint.add_url_rule(f"{_BASE}/validation", "read", view_func=read)
blueprint.add_url_rule(f"{_BASE}/validation/report.<any(json, csv):fmt>", "download",
                       view_func=download)
blueprint.add_url_rule(f"{_BASE}/validation/run", "run", view_func=run, methods=["POST"])
blueprint.add_url_rule(f"{_BASE}/schema", "schema", view_func=schema, methods=["GET", "POST"])
