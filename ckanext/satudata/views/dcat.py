"""Withdrawn datasets in RDF: 410 Gone for `/dataset/<id>.<format>`, and the
tombstone catalog `/catalog/withdrawn.<format>`.

ckanext-dcat answers 200 with whatever dcat_dataset_show returns; for a
withdrawn dataset that is the tombstone graph (logic/dcat.py). Crawlers and
harvesters that look at the status code should learn it is gone, as from the
HTML page, so the same body is sent with 410.

The default catalog has no tombstone (ckanext-dcat's harvester deletes what left
it); a harvester that wants the withdrawals themselves (date, reason) pages
through `/catalog/withdrawn.<format>` (`?page=N`, `?modified_since=ISO-8601`).
"""
from __future__ import annotations

from flask import Blueprint, make_response, request

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.dcat import logic as dcat_logic
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import CONTENT_TYPES, url_to_rdflib_format

from ckanext.satudata.dcat import tombstone as tombstone_rdf
from ckanext.satudata.workflow import tombstone as tombstones

dcat_gone = Blueprint("satudata_dcat_gone", __name__)


@dcat_gone.before_app_request
def gone():
    if request.endpoint != "dcat.read_dataset" or request.method != "GET":
        return None
    args = request.view_args or {}
    pkg = model.Package.get(args.get("_id") or "")
    if args.get("_format") not in CONTENT_TYPES or not tombstones.is_tombstone(pkg):
        return None
    profiles = request.args.get("profiles")
    body = tk.get_action("dcat_dataset_show")({}, {
        "id": pkg.id, "format": args["_format"], "profiles": profiles.split(",") if profiles else None})
    response = make_response(body, 410)
    response.headers["Content-Type"] = CONTENT_TYPES[args["_format"]]
    return response


@dcat_gone.route("/catalog/withdrawn.<_format>")
def withdrawn(_format: str):
    """The tombstones, oldest withdrawal first, one catalog page of them."""
    if _format not in CONTENT_TYPES:
        return tk.abort(404)
    try:
        page = int(request.args.get("page") or 1)
    except ValueError:
        page = 0
    if page < 1:
        return tk.abort(400, tk._("Page must be a positive integer"))
    per_page = int(tk.config.get("ckanext.dcat.datasets_per_page") or dcat_logic.DATASETS_PER_PAGE)
    try:
        found = tk.get_action("satudata_tombstone_list")({}, {
            "since": request.args.get("modified_since"), "limit": per_page,
            "offset": (page - 1) * per_page})
    except tk.ValidationError as error:
        return tk.abort(400, str(error.error_summary))
    serializer = RDFSerializer()
    tombstone_rdf.catalog(serializer.g, found["results"], found["count"], page, per_page, _format)
    response = make_response(serializer.g.serialize(format=url_to_rdflib_format(_format)))
    response.headers["Content-Type"] = CONTENT_TYPES[_format]
    return response
