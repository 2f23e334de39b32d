"""What the Lembar Pengesahan prints: a dataset's workflow trail, one level per step.

Each step of the audit trail (WorkflowEvent) becomes a level: who took it (full
name), their position (the jabatan they hold in the organization of the role
they acted as, else their CKAN capacity there, else the role), when (portal
time zone), the decision (the Indonesian label of the workflow's action) and
the notes (the comment and the per-field notes). Call inside
``lang.language("id")`` so labels are Indonesian.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata import lang
from ckanext.satudata.model import Jabatan
from ckanext.satudata.workflow import display, jabatan, roles, service

# CKAN's three capacities as an office names them (the fallback when no jabatan is held).
CAPACITY = {"admin": "Administrator", "editor": "Editor", "member": "Anggota"}


def _step(workflow, event):
    if not event.from_state:
        return None
    try:
        return workflow.transition(event.from_state, event.action, event.to_state)
    except ValueError:
        return None


def _position(workflow, pkg: model.Package, event) -> dict[str, str]:
    """``{position, organization, role}`` of the person who took EVENT."""
    step = _step(workflow, event)
    played = [workflow.roles[r] for r in (step.by if step else ()) if r in workflow.roles]
    for role in played:
        group = model.Group.get(roles.organization_of(role, pkg.owner_org) or "")
        user = model.User.get(event.user_id)
        if group is None or user is None:
            continue
        held = model.Session.get(Jabatan, (group.id, user.id))
        capacity = roles.capacity(user, group.id)
        if held is None and capacity is None:
            continue
        title = jabatan.known(group).get(held.jabatan, held.jabatan) if held else ""
        return {"position": title or CAPACITY.get(capacity or "", capacity or ""),
                "organization": group.title or group.name, "role": lang.text(role.label)}
    # no longer a member (or a step no transition describes): the role it was taken as
    role = lang.text(played[0].label) if played else ""
    return {"position": role, "organization": "", "role": role}


def _decision(workflow, event) -> str:
    step = _step(workflow, event)
    label = step.label if step else workflow.action_label(event.action)
    return lang.text(label) if label else event.action


def _state(workflow, state_id: str | None) -> str:
    try:
        return lang.text(workflow.state(state_id).label) if state_id else ""
    except KeyError:
        return state_id or ""


def _field_notes(pkg_dict: dict, notes: dict | None) -> list[dict[str, str]]:
    if not notes:
        return []
    labels = {t["name"]: t["label"] for t in display.note_targets(pkg_dict)}
    return [{"target": labels.get(key, key), "note": str(note)} for key, note in notes.items()]


def sheet(pkg: model.Package, pkg_dict: dict) -> dict[str, Any]:
    """The Lembar Pengesahan's content for PKG (PKG_DICT: what package_show gave the caller)."""
    workflow = service.workflow_of(pkg)
    if workflow is None:
        raise tk.ObjectNotFound(tk._("This dataset follows no review workflow"))
    org = model.Group.get(pkg.owner_org or "")
    levels = []
    for event in service.history(pkg):
        levels.append({
            "name": roles.display_name(event.user_id),
            **_position(workflow, pkg, event),
            "moment": event.timestamp,
            "decision": _decision(workflow, event),
            "from_state": _state(workflow, event.from_state),
            "to_state": _state(workflow, event.to_state),
            "comment": event.comment or "",
            "field_notes": _field_notes(pkg_dict, event.field_notes),
        })
    return {
        "id": pkg.id,
        "name": pkg.name,
        "title": pkg.title or pkg.name,
        "organization": (org.title or org.name) if org else "",
        "id_sds": pkg_dict.get("id_sds") or "",
        "workflow": lang.text(workflow.title),
        "state": _state(workflow, service.state_id(pkg)),
        "levels": levels,
    }
