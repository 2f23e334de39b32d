"""Tombstones: what the public and harvesters may know of a withdrawn dataset.

A dataset in a state marked ``tombstone: true`` stays hidden by the permission
labels like any unpublished one; only the fields of :func:`as_dict` (title,
organization, state, reason, date) are published, so that downstream copies
can be removed. Which states are tombstones is read from the workflow files.
"""
from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa

import ckan.model as model

from ckanext.satudata import lang
from ckanext.satudata.model import WorkflowEvent, WorkflowState
from ckanext.satudata.workflow import service

#: Dataset types with a workflow option of their own (config_declaration.yaml).
DATASET_TYPES = ("dataset", "kegiatan", "indikator")


def _tombstone_states(workflow_name: str | None) -> list[str]:
    if not workflow_name:
        return []
    return [s.id for s in service.load(workflow_name).states.values() if s.tombstone]


def _condition():
    """SQL: the dataset's current state is a tombstone of the workflow its type follows."""
    per_type = []
    for dataset_type in DATASET_TYPES:
        states = _tombstone_states(service.workflow_name(dataset_type))
        if states:
            per_type.append(sa.and_(model.Package.type == dataset_type,
                                    WorkflowState.state.in_(states)))
    # Other types follow the portal's default workflow (no option of their own).
    default = _tombstone_states(service.workflow_name("__default__"))
    if default:
        per_type.append(sa.and_(model.Package.type.notin_(DATASET_TYPES),
                                WorkflowState.state.in_(default)))
    return sa.or_(*per_type) if per_type else sa.false()


def _query():
    return (model.Session.query(model.Package, WorkflowState)
            .join(WorkflowState, WorkflowState.package_id == model.Package.id)
            .filter(model.Package.state == "active", _condition()))


def is_tombstone(pkg: model.Package | None) -> bool:
    if pkg is None or pkg.state != "active":
        return False
    workflow = service.workflow_of(pkg)
    return bool(workflow and workflow.state(service.state_id(pkg)).tombstone)


def _reasons(rows: list[tuple[model.Package, WorkflowState]]) -> dict[str, WorkflowEvent]:
    """The event that put each dataset in its tombstone state (one query)."""
    if not rows:
        return {}
    wanted = sa.tuple_(WorkflowEvent.package_id, WorkflowEvent.to_state).in_(
        [(pkg.id, row.state) for pkg, row in rows])
    events = (model.Session.query(WorkflowEvent).filter(wanted)
              .order_by(WorkflowEvent.package_id, WorkflowEvent.timestamp.desc())
              .distinct(WorkflowEvent.package_id))
    return {e.package_id: e for e in events}


def on_recording(pkg: model.Package, event, target, **_) -> None:
    """A step into a tombstone state keeps the tombstone on its event (signals.recording)."""
    if target.tombstone:
        event.snapshot = snapshot(pkg)


def snapshot(pkg: model.Package) -> dict[str, Any]:
    """What a tombstone shows of PKG itself, taken at withdrawal and kept on the event:
    the tombstone is frozen then, whatever happens to the dataset afterwards."""
    org = model.Group.get(pkg.owner_org) if pkg.owner_org else None
    return {
        "name": pkg.name,
        "title": pkg.title or pkg.name,
        "type": pkg.type,
        "organization": {"name": org.name, "title": org.title} if org else None,
    }


def as_dict(pkg: model.Package, row: WorkflowState, event: WorkflowEvent | None) -> dict[str, Any]:
    """The tombstone fields, and nothing else of the dataset."""
    workflow = service.workflow_of(pkg)
    withdrawn = event.timestamp if event else row.entered
    # Withdrawals recorded before snapshots existed read the dataset as it is now.
    frozen = (event.snapshot if event is not None and event.snapshot else None) or snapshot(pkg)
    return {
        "id": pkg.id,
        **frozen,
        "state": row.state,
        "state_label": lang.text(workflow.state(row.state).label),
        "withdrawn_at": _iso(withdrawn),
        "reason": event.comment if event else None,
    }


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def show(pkg: model.Package) -> dict[str, Any] | None:
    """The tombstone of PKG, or None if PKG is not withdrawn."""
    if not is_tombstone(pkg):
        return None
    row = service.current(pkg)
    return as_dict(pkg, row, _reasons([(pkg, row)]).get(pkg.id))


def listing(since: datetime.datetime | None = None, limit: int = 100,
            offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """(count, page) of tombstones withdrawn at or after SINCE, oldest first."""
    query = _query()
    if since is not None:
        query = query.filter(WorkflowState.entered >= since)
    count = query.count()
    rows = (query.order_by(WorkflowState.entered, model.Package.id)
            .offset(offset).limit(limit).all())
    events = _reasons(rows)
    return count, [as_dict(pkg, row, events.get(pkg.id)) for pkg, row in rows]

