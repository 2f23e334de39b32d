"""Load demo.yaml into the portal through CKAN's actions.

Idempotent: organizations, users and datasets that exist are kept as they
are; what is missing (including resources of a half-loaded dataset) is
created. Demo users get a random password and an API token, written to a
credentials file that only the owner can read.
"""
from __future__ import annotations

import datetime
import json
import mimetypes
import os
import secrets
from pathlib import Path
from typing import Any

import yaml
from werkzeug.datastructures import FileStorage

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.validation import settings as validation_settings

from ckanext.satudata.model import DataRequest, utcnow
from ckanext.satudata.workflow import data_request, revision, roles, service

DEMO_DIR = Path(__file__).parent
DEFAULT_SPEC = DEMO_DIR / "demo.yaml"


def load_demo(credentials_path: str, spec_path: Path = DEFAULT_SPEC) -> dict[str, int]:
    """Create what is missing of the demo; return how many of each were created."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"],
            "ignore_auth": True}
    credentials = _read_credentials(credentials_path)
    created = {
        "organizations": sum(_ensure_organization(site, o) for o in spec["organizations"]),
        "users": sum(_ensure_user(site, u, credentials) for u in spec["users"]),
    }
    new_datasets = [d for d in spec["datasets"] if _ensure_dataset(d)]
    created["datasets"] = len(new_datasets)
    # Only datasets made now: a later run keeps the states people moved them to.
    for dataset in new_datasets:
        if dataset.get("state"):
            _bring_to_state(dataset, spec["users"])
        if dataset.get("revision"):
            _open_revision(dataset, spec["users"])
    for request in spec.get("requests", []):
        _ensure_request(request, spec["users"])
    _write_credentials(credentials_path, credentials)
    return created


def _ensure_organization(site: dict, org: dict) -> bool:
    try:
        tk.get_action("organization_show")(dict(site), {"id": org["name"]})
        return False
    except tk.ObjectNotFound:
        tk.get_action("organization_create")(dict(site), org)
        return True


def _ensure_user(site: dict, spec: dict, credentials: dict[str, dict]) -> bool:
    name = spec["name"]
    entry = credentials.get(name)
    created = False
    try:
        tk.get_action("user_show")(dict(site), {"id": name})
    except tk.ObjectNotFound:
        entry = {"password": secrets.token_urlsafe(12)}
        tk.get_action("user_create")(dict(site), {
            "name": name,
            "fullname": spec["fullname"],
            "email": f"{name}@satudata.invalid",
            "password": entry["password"],
        })
        created = True
    if entry is None:
        # The user exists but its credentials were lost: issue new ones.
        entry = {"password": secrets.token_urlsafe(12)}
        tk.get_action("user_patch")(dict(site), {"id": name, "password": entry["password"]})
    if "api_token" not in entry:
        entry["api_token"] = tk.get_action("api_token_create")(
            dict(site), {"user": name, "name": "demo"})["token"]
    if spec.get("sysadmin"):
        user = model.User.get(name)
        if not user.sysadmin:
            user.sysadmin = True
            model.repo.commit()
    for org, capacity in spec.get("memberships", {}).items():
        tk.get_action("organization_member_create")(
            dict(site), {"id": org, "username": name, "role": capacity})
    credentials[name] = {
        "name": name,
        "fullname": spec["fullname"],
        "role": spec["role"],
        "organizations": spec.get("memberships", {}),
        "password": entry["password"],
        "api_token": entry["api_token"],
    }
    return created


def _ensure_dataset(spec: dict) -> bool:
    resources = spec.get("resources", [])
    # None cancels a key inherited through a YAML merge (<<: *sektoral).
    fields = {k: v for k, v in spec.items()
              if k not in ("resources", "creator", "tags", "state", "reason", "revision")
              and v is not None}
    fields["tags"] = [{"name": t} for t in spec.get("tags", [])]
    # Act as the OPD's own producer, as a real upload would; ignore_auth lets a
    # half-loaded published dataset get its missing file (people would use a revision).
    context = {"user": spec["creator"], "ignore_auth": True}
    try:
        dataset = tk.get_action("package_show")({"ignore_auth": True}, {"id": spec["name"]})
        created = False
    except tk.ObjectNotFound:
        dataset = tk.get_action("package_create")(dict(context), fields)
        created = True
    present = {r["name"] for r in dataset.get("resources", [])}
    for resource in resources:
        if resource["name"] not in present:
            _upload_resource(context, dataset["id"], resource)
    return created


def _bring_to_state(spec: dict, users: list[dict], pkg: model.Package | None = None,
                    goal: str | None = None) -> None:
    """Walk the dataset to its demo state the way people would: each step by a
    demo user who plays the step's role, validation run first like the worker would."""
    pkg = pkg or model.Package.get(spec["name"])
    goal = goal or spec["state"]
    workflow = service.workflow_of(pkg)
    path = service.path(workflow, service.state_id(pkg), goal)
    if path is None:
        raise ValueError(f"{pkg.name}: state {goal} cannot be reached from "
                         f"{service.state_id(pkg)}")
    if path:
        tabular = validation_settings.get_supported_formats()
        for resource in pkg.resources:
            if (resource.format or "").lower() not in tabular:
                continue  # a PDF (a kegiatan's recommendation letter) is not validated
            tk.get_action("resource_validation_run")(
                {"ignore_auth": True}, {"resource_id": resource.id, "async": False})
    for step in path:
        actor = _actor(users, workflow, pkg, step.by)
        service.transition(pkg, step.action, actor, spec.get("reason", "") if
                           step.reason_required else "", to=step.to)


def _actor(users: list[dict], workflow, pkg: model.Package, wanted) -> model.User:
    return next(model.User.get(u["name"]) for u in users
                if roles.roles_of(model.User.get(u["name"]), workflow, pkg.owner_org)
                & set(wanted))


def _open_revision(spec: dict, users: list[dict]) -> None:
    """A staged revision of the (published) dataset: its fields changed, waiting
    at ``revision.state``; the published dataset stays as it is."""
    wanted = dict(spec["revision"])
    state = wanted.pop("state", None)
    pkg = model.Package.get(spec["name"])
    copy = revision.create(pkg, model.User.get(spec["creator"]))
    if wanted:
        tk.get_action("package_patch")({"ignore_auth": True, "user": spec["creator"]},
                                       dict(wanted, id=copy["id"]))
    if state:
        _bring_to_state({"reason": spec.get("reason", "")}, users,
                        model.Package.get(copy["id"]), state)


def _ensure_request(spec: dict, users: list[dict]) -> None:
    """A data request from the Walidata; ``due_in_days`` counts from today
    (negative: already overdue); ``fulfilled_with`` delivers it with a dataset."""
    org = model.Group.get(spec["organization"])
    if model.Session.query(DataRequest).filter_by(title=spec["title"],
                                                  organization_id=org.id).first():
        return
    walidata = next(model.User.get(u["name"]) for u in users if u["role"] == "walidata")
    due = (utcnow() + datetime.timedelta(days=spec.get("due_in_days", 30))).date()
    request = data_request.create(walidata, spec["title"], spec.get("description", ""), org,
                                  spec.get("dataset_type", "dataset"), due)
    if spec.get("fulfilled_with"):
        pkg = model.Package.get(spec["fulfilled_with"])
        producer = next(model.User.get(u["name"]) for u in users
                        if spec["organization"] in u.get("memberships", {}))
        data_request.link(request, pkg, producer)


def _upload_resource(context: dict, dataset_id: str, spec: dict) -> None:
    path = DEMO_DIR / "files" / spec["file"]
    with path.open("rb") as stream:
        tk.get_action("resource_create")(dict(context), {
            "package_id": dataset_id,
            "name": spec["name"],
            "format": spec["format"],
            "url": spec["file"],
            "upload": FileStorage(stream=stream, filename=spec["file"],
                                  content_type=mimetypes.guess_type(spec["file"])[0]),
            **{k: spec[k] for k in ("variabel", "resource_type") if k in spec},
        })


def _read_credentials(path: str) -> dict[str, dict]:
    try:
        with open(path, encoding="utf-8") as f:
            return {u["name"]: u for u in json.load(f)["users"]}
    except FileNotFoundError:
        return {}


def _write_credentials(path: str, credentials: dict[str, dict]) -> None:
    document: dict[str, Any] = {
        "portal": tk.config.get("ckan.site_url"),
        "note": "Demo accounts of a local portal. Do not reuse these secrets anywhere.",
        "users": list(credentials.values()),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write("\n")
