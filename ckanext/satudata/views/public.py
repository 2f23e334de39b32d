"""Downloads of a tabular resource in CSV, XLSX or JSON, and its chart data.

Access is the auth function satudata_resource_data_read (logic/auth.py):
whoever may read the resource may convert it (so an unpublished dataset stays
hidden from the public), except the data of a dataset whose `akses` is
restricted; CKAN's own download of the file is held to the same function.
"""
from __future__ import annotations

import logging
import os
import re

import redis
from flask import Blueprint, jsonify, request, send_file

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.public import chart, conversions, tabular
from ckanext.satudata.validation import jobs
from ckanext.satudata.workflow import service

public = Blueprint("satudata_public", __name__)
log = logging.getLogger(__name__)

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def withdrawn(id: str) -> bool:
    """The dataset sits in a tombstone state (its record is public, its data gone)."""
    pkg = model.Package.get(id)
    workflow = service.workflow_of(pkg) if pkg else None
    state = service.state_id(pkg) if workflow else None
    return bool(state and workflow.state(state).tombstone)


def readable_resource(id: str, resource_id: str) -> tuple[dict, dict]:
    """(dataset, resource) if the user may read the data, else abort 403/404."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    try:
        dataset = tk.get_action("package_show")(dict(context), {"id": id})
        resource = tk.get_action("resource_show")(dict(context), {"id": resource_id})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Resource not found"))
    except tk.NotAuthorized:
        if withdrawn(id):
            tk.abort(410, tk._("This dataset has been withdrawn from publication; its data is no longer available"))
        tk.abort(403, tk._("Unauthorized to read resource %s") % resource_id)
    if resource["package_id"] != dataset["id"]:
        tk.abort(404, tk._("Resource not found"))
    try:
        tk.check_access("satudata_resource_data_read", dict(context), {"id": resource["id"]})
    except tk.NotAuthorized as e:
        tk.abort(403, str(e))
    if not tabular.kind(resource):
        tk.abort(404, tk._("This resource is not an uploaded CSV or XLSX file"))
    return dataset, resource


@public.before_app_request
def restricted_file():
    """CKAN's own download of the file (resource.download of every dataset type)
    obeys satudata_resource_data_read like the conversions. A resource the user
    may not read at all keeps CKAN's own answer (403, 404 or the tombstone's 410)."""
    if not (request.endpoint or "").endswith("resource.download"):
        return None
    resource_id = (request.view_args or {}).get("resource_id")
    if model.Resource.get(resource_id or "") is None:
        return None
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    try:
        tk.check_access("satudata_resource_data_read", {"user": user}, {"id": resource_id})
    except tk.NotAuthorized as e:
        if tk.h.check_access("resource_show", {"id": resource_id}):
            tk.abort(403, str(e))
    return None


def filename(dataset: dict, resource: dict, fmt: str) -> str:
    stem = re.sub(r"\.(csv|xlsx)$", "", resource.get("name") or resource["id"], flags=re.I)
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or resource["id"]
    return f"{dataset['name']}-{slug}.{fmt}"


@public.route("/dataset/<id>/resource/<resource_id>/convert/<fmt>")
def convert(id: str, resource_id: str, fmt: str):
    """The conversion of this file version, built once (conversions.py); a file too big to
    convert within a request is left to the worker and the reader asked to come back."""
    if fmt not in tabular.CONVERSIONS:
        tk.abort(404, tk._("Unknown format"))
    dataset, resource = readable_resource(id, resource_id)
    if not os.path.isfile(tabular.path_of(resource)):
        tk.abort(404, tk._("The file of this resource is not available"))
    path, refused = conversions.cached(resource, fmt)
    if path is None and refused is None:
        if conversions.size_of(resource) > conversions.inline_max_bytes():
            _queue_conversions(resource["id"])
            tk.abort(503, tk._("The {format} download of this file is being prepared; "
                               "try again in a few minutes.").format(format=fmt.upper()))
        try:
            path, refused = conversions.build_one(resource, fmt)
        except Exception:  # csv, openpyxl and zipfile each raise their own kinds
            log.warning("resource %s cannot be converted", resource["id"], exc_info=True)
            tk.abort(422, tk._("The file of this resource cannot be read as a table"))
    if refused is not None:
        tk.abort(422, conversions.describe(refused))
    response = send_file(path, mimetype=MIMETYPES[fmt])
    response.headers["Content-Type"] = MIMETYPES[fmt]  # send_file would add a second charset
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(dataset, resource, fmt)}"'
    return response


def _queue_conversions(resource_id: str) -> None:
    try:
        if resource_id not in jobs.queued_resource_ids(conversions.JOB_TITLE):
            conversions.enqueue(resource_id)
    except redis.exceptions.RedisError:
        log.warning("Redis unavailable: conversions of %s wait for the next validation",
                    resource_id)


@public.route("/dataset/<id>/resource/<resource_id>/chart.json")
def chart_data(id: str, resource_id: str):
    _, resource = readable_resource(id, resource_id)
    found = chart.data(resource)
    if found is None:
        tk.abort(404, tk._("This data has no chart"))
    return jsonify(found)
