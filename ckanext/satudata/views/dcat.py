"""410 Gone for the RDF of a withdrawn dataset (`/dataset/<id>.<format>`).

ckanext-dcat answers 200 with whatever dcat_dataset_show returns; for a
withdrawn dataset that is the tombstone graph (logic/dcat.py). Crawlers and
harvesters that look at the status code should learn it is gone, as from the
HTML page, so the same body is sent with 410.
"""
from __future__ import annotations

from flask import Blueprint, make_response, request

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.dcat.utils import CONTENT_TYPES

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
