"""Reviewers' corrections: what a reviewer changed while holding a dataset.

An SOP's reviewer "checks and corrects" (Tanjab steps 5-6, Pasuruan step 10): the
state's ``editors`` let them edit (editing.py), and every such edit is kept here as
field-level before/after, so the producer sees what was changed in their data and
by whom. Edits by the producer's own OPD are theirs and are not recorded here
(CKAN's activity stream keeps them).
"""
from __future__ import annotations

import json
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.satudata import msvar
from ckanext.satudata.model import WorkflowCorrection, utcnow
from ckanext.satudata.workflow import display, roles, service

# Resource keys a person edits (the rest is CKAN's or the validator's bookkeeping).
_RESOURCE_KEYS = ("name", "description", "format", "url")


def reviewer_editing(pkg: model.Package | None, user: model.User | None):
    """The workflow when USER edits PKG as a reviewer (a role outside the dataset's
    OPD among the state's editors); None otherwise."""
    if pkg is None or user is None:
        return None
    workflow = service.workflow_of(pkg)
    if workflow is None:
        return None
    state = workflow.state(service.state_id(pkg))
    editing_as = roles.roles_of(user, workflow, pkg.owner_org) & set(state.editors)
    if not editing_as or any(workflow.roles[r].organization == "owner" for r in editing_as):
        return None
    return workflow


def _plain(value: Any) -> Any:
    """VALUE comparable and storable: lists of tags as names, empty as None."""
    if isinstance(value, list) and value and isinstance(value[0], dict) and "name" in value[0]:
        return sorted(v["name"] for v in value)
    return None if value in ("", [], {}, None) else value


def _variables(resource: dict) -> dict[str, dict]:
    try:
        return {v["name"]: v for v in msvar.variables(resource.get("schema")) if v.get("name")}
    except (ValueError, json.JSONDecodeError):
        return {}


def _resource_changes(before: dict | None, after: dict | None) -> list[dict]:
    rid = (after or before)["id"]
    target = display.note_key(rid)
    if before is None:
        return [{"target": target, "field": None, "before": None,
                 "after": after.get("name") or after.get("url")}]
    if after is None:
        return [{"target": target, "field": None,
                 "before": before.get("name") or before.get("url"), "after": None}]
    found = [{"target": target, "field": key, "before": _plain(before.get(key)),
              "after": _plain(after.get(key))}
             for key in _RESOURCE_KEYS if _plain(before.get(key)) != _plain(after.get(key))]
    old, new = _variables(before), _variables(after)
    for column in list(old) + [c for c in new if c not in old]:
        was, now = old.get(column, {}), new.get(column, {})
        for key in sorted(set(was) | set(now)):
            if _plain(was.get(key)) != _plain(now.get(key)):
                found.append({"target": display.note_key(rid, column), "field": key,
                              "before": _plain(was.get(key)), "after": _plain(now.get(key))})
    return found


def diff(before: dict, after: dict) -> list[dict]:
    """``[{target, field, before, after}]`` between two package_show dicts."""
    schema = scheming_get_dataset_schema(after.get("type") or "dataset") or {}
    changes = [{"target": f["field_name"], "field": None,
                "before": _plain(before.get(f["field_name"])),
                "after": _plain(after.get(f["field_name"]))}
               for f in schema.get("dataset_fields", [])
               if f["field_name"] not in ("owner_org", "private")
               and _plain(before.get(f["field_name"])) != _plain(after.get(f["field_name"]))]
    old = {r["id"]: r for r in before.get("resources") or []}
    new = {r["id"]: r for r in after.get("resources") or []}
    for rid in list(old) + [r for r in new if r not in old]:
        changes += _resource_changes(old.get(rid), new.get(rid))
    return changes


def snapshot(pkg_id: str) -> dict:
    return tk.get_action("package_show")({"ignore_auth": True, "use_cache": False},
                                         {"id": pkg_id})


def record(pkg: model.Package, user: model.User, workflow, before: dict) -> None:
    """Keep what USER's edit changed of PKG (BEFORE: the dataset as it was)."""
    changes = diff(before, snapshot(pkg.id))
    if changes:
        model.Session.add(WorkflowCorrection(
            package_id=pkg.id, workflow=workflow.name, state=service.state_id(pkg),
            user_id=user.id, timestamp=utcnow(), changes=changes))


def of(pkg: model.Package) -> list[WorkflowCorrection]:
    return (model.Session.query(WorkflowCorrection).filter_by(package_id=pkg.id)
            .order_by(WorkflowCorrection.timestamp).all())
