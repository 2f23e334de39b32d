"""Data requests (SOP 000 step 1): the Walidata asks an OPD for a dataset by a date.

The due date, when not given, is the request SLA of the workflow the dataset
type follows (``request_sla``, else its first state's SLA), counted with the
working-day calendar. The OPD delivers by linking a dataset of its own; a
delivery after the due date is flagged late, and the report counts on-time
and late deliveries per OPD (the SOP: late data delays publication).
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.model import DataRequest, utcnow
from ckanext.satudata.public import formatting
from ckanext.satudata.workflow import calendar, notify, roles, service

_ = tk._

#: Used when the workflow names no SLA at all.
FALLBACK_SLA = (20, "working_days")


def _workflow(dataset_type: str):
    name = service.workflow_name(dataset_type)
    return service.load(name) if name else None


def _capacities(workflow, organization: str) -> set[str]:
    """Capacities of the roles of WORKFLOW whose organization is ORGANIZATION."""
    if workflow is None:
        return set()
    return {c for r in workflow.roles.values() if r.organization == organization
            for c in r.capacities}


def is_walidata(user: model.User | None, dataset_type: str = "dataset") -> bool:
    if user is None:
        return False
    org = tk.config.get("ckanext.satudata.walidata_organization")
    return roles.capacity(user, org) in _capacities(_workflow(dataset_type), "walidata")


def is_producer(user: model.User | None, request: DataRequest) -> bool:
    """A producer of the requested OPD (who may deliver)."""
    if user is None:
        return False
    workflow = _workflow(request.dataset_type)
    capacities = _capacities(workflow, "owner") or {"editor", "admin"}
    return roles.capacity(user, request.organization_id) in capacities


def is_member(user: model.User | None, organization_id: str) -> bool:
    return user is not None and roles.capacity(user, organization_id) is not None


def default_due(dataset_type: str, start: datetime.datetime) -> datetime.datetime:
    workflow = _workflow(dataset_type)
    sla = workflow and (workflow.request_sla or workflow.initial_state.sla)
    amount, unit = (sla.amount, sla.unit) if sla else FALLBACK_SLA
    return calendar.WorkCalendar.from_config(tk.config).due(start, amount, unit)


def due_on(day: datetime.date) -> datetime.datetime:
    """The closing time of DAY in the office (of the next working day if DAY is off)."""
    cal = calendar.WorkCalendar.from_config(tk.config)
    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=cal.timezone)
    return cal.due(start, 0, "working_days")


def is_overdue(request: DataRequest, now: datetime.datetime | None = None) -> bool:
    return request.status == "open" and (now or utcnow()) > request.due


# ------------------------------------------------------------------ changes


def create(user: model.User, title: str, description: str, organization: model.Group,
           dataset_type: str, due_date: datetime.date | None) -> DataRequest:
    now = utcnow()
    request = DataRequest(
        title=title, description=description or "", organization_id=organization.id,
        dataset_type=dataset_type, created=now, modified=now, created_by=user.id, status="open",
        due=due_on(due_date) if due_date else default_due(dataset_type, now))
    model.Session.add(request)
    model.Session.flush()
    notices = notify.tell(
        notify.members(organization.id, _capacities(_workflow(dataset_type), "owner")
                       or {"editor", "admin"}),
        _("[Satu Data] Data request: {title}").format(title=title),
        _("The Walidata requests \"{title}\" from {organization}, due {due}.").format(
            title=title, organization=organization.title or organization.name,
            due=formatting.datetime(request.due))
        + ("\n\n" + description if description else ""))
    model.repo.commit()
    notify.send_later(notices)
    return request


def update(request: DataRequest, changes: dict[str, Any]) -> DataRequest:
    _must_be_open(request)
    for key in ("title", "description", "dataset_type"):
        if key in changes:
            setattr(request, key, changes[key])
    if changes.get("due_date"):
        request.due = due_on(changes["due_date"])
    request.modified = utcnow()
    model.repo.commit()
    return request


def cancel(request: DataRequest, reason: str) -> DataRequest:
    _must_be_open(request)
    request.status, request.cancelled, request.cancel_reason = "cancelled", utcnow(), reason
    request.modified = request.cancelled
    model.repo.commit()
    return request


def fulfil(request: DataRequest, pkg: model.Package, user: model.User) -> DataRequest:
    _must_be_open(request)
    if pkg.owner_org != request.organization_id:
        raise tk.ValidationError({"dataset_id": [
            _("The dataset must belong to the requested organization")]})
    if pkg.type != request.dataset_type:
        raise tk.ValidationError({"dataset_id": [
            _("The request is for a dataset of type {type}").format(type=request.dataset_type)]})
    now = utcnow()
    request.status, request.package_id, request.fulfilled = "fulfilled", pkg.id, now
    request.fulfilled_by, request.late, request.modified = user.id, now > request.due, now
    model.repo.commit()
    return request


def _must_be_open(request: DataRequest) -> None:
    if request.status != "open":
        raise tk.ValidationError({"status": [_("The request is {status} already").format(
            status=request.status)]})


# ------------------------------------------------------------------ reading


def query(organization_ids: list[str] | None = None, status: str | None = None,
          overdue: bool | None = None):
    q = model.Session.query(DataRequest)
    if organization_ids is not None:
        q = q.filter(DataRequest.organization_id.in_(organization_ids))
    if status:
        q = q.filter(DataRequest.status == status)
    if overdue is True:
        q = q.filter(DataRequest.status == "open", DataRequest.due < utcnow())
    elif overdue is False:
        q = q.filter(sa.or_(DataRequest.status != "open", DataRequest.due >= utcnow()))
    return q.order_by(DataRequest.due, DataRequest.id)


def member_organizations(user: model.User) -> list[str]:
    return [m.group_id for m in model.Session.query(model.Member).filter_by(
        table_name="user", table_id=user.id, state="active")]


def as_dict(request: DataRequest, now: datetime.datetime | None = None) -> dict[str, Any]:
    org = model.Session.get(model.Group, request.organization_id)
    pkg = model.Package.get(request.package_id) if request.package_id else None
    creator = model.User.get(request.created_by)
    iso = lambda moment: moment.isoformat() if moment else None  # noqa: E731
    return {
        "id": request.id,
        "title": request.title,
        "description": request.description,
        "organization": {"id": org.id, "name": org.name, "title": org.title} if org else None,
        "dataset_type": request.dataset_type,
        "status": request.status,
        "due": iso(request.due),
        "overdue": is_overdue(request, now),
        "created": iso(request.created),
        "created_by": creator.name if creator else request.created_by,
        "dataset": {"id": pkg.id, "name": pkg.name, "title": pkg.title} if pkg else None,
        "fulfilled": iso(request.fulfilled),
        "late": request.late,
        "cancelled": iso(request.cancelled),
        "cancel_reason": request.cancel_reason,
    }


def report(since: datetime.datetime | None = None,
           until: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """Per OPD: requests made in [SINCE, UNTIL), delivered on time, late, still open."""
    q = model.Session.query(DataRequest)
    if since:
        q = q.filter(DataRequest.created >= since)
    if until:
        q = q.filter(DataRequest.created < until)
    now = utcnow()
    rows: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(
        ("total", "fulfilled", "on_time", "late", "open", "overdue", "cancelled"), 0))
    for request in q:
        counts = rows[request.organization_id]
        counts["total"] += 1
        if request.status == "fulfilled":
            counts["fulfilled"] += 1
            counts["late" if request.late else "on_time"] += 1
        elif request.status == "cancelled":
            counts["cancelled"] += 1
        else:
            counts["open"] += 1
            counts["overdue"] += int(is_overdue(request, now))
    result = []
    for org_id, counts in rows.items():
        org = model.Session.get(model.Group, org_id)
        # Overdue open requests are late deliveries in the making: they count against.
        judged = counts["fulfilled"] + counts["overdue"]
        result.append({
            "organization": {"id": org_id, "name": org.name, "title": org.title},
            **counts,
            "on_time_rate": round(100 * counts["on_time"] / judged, 1) if judged else None,
        })
    return sorted(result, key=lambda r: r["organization"]["name"])
