"""Data requests (SOP 000 step 1): the Walidata asks an OPD for a dataset by a date.

The due date, when not given, is the request SLA of the workflow the dataset
type follows (``request_sla``, else its first state's SLA), counted with the
working-day calendar. The OPD links a dataset of its own (an existing one or a
draft started from the request); the request counts as delivered when that
dataset is submitted (its first ``submit`` step, or at linking when it was
submitted before), not when a draft is linked. A delivery after the due date
is flagged late, and the report counts on-time and late deliveries per OPD
(the SOP: late data delays publication). Every change is kept in the
request's ``history``.
"""
from __future__ import annotations

import datetime
import re
import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata import lang, rounding
from ckanext.satudata.model import (DaftarDataSektoral, DaftarEntry, DataRequest, WorkflowEvent,
                                    utcnow)
from ckanext.satudata.public import formatting
from ckanext.satudata.workflow import calendar, notify, roles, service

_ = tk._

#: Used when the workflow names no SLA at all.
FALLBACK_SLA = (20, "working_days")


def workflow_for(dataset_type: str):
    """The workflow DATASET_TYPE follows (None when it follows none)."""
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
    return roles.capacity(user, org) in _capacities(workflow_for(dataset_type), "walidata")


def is_producer(user: model.User | None, request: DataRequest) -> bool:
    """A producer of the requested OPD (who may deliver)."""
    if user is None:
        return False
    workflow = workflow_for(request.dataset_type)
    capacities = _capacities(workflow, "owner") or {"editor", "admin"}
    return roles.capacity(user, request.organization_id) in capacities


def is_member(user: model.User | None, organization_id: str) -> bool:
    return user is not None and roles.capacity(user, organization_id) is not None


def default_due(dataset_type: str, start: datetime.datetime) -> datetime.datetime:
    workflow = workflow_for(dataset_type)
    sla = workflow and (workflow.request_sla or workflow.initial_state.sla)
    amount, unit = (sla.amount, workflow.clock_unit(sla)) if sla else FALLBACK_SLA
    return calendar.WorkCalendar.from_config(tk.config).due(start, amount, unit)


def due_on(day: datetime.date) -> datetime.datetime:
    """The closing time of DAY in the office (of the next working day if DAY is off)."""
    cal = calendar.WorkCalendar.from_config(tk.config)
    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=cal.timezone)
    return cal.due(start, 0, "working_days")


def is_overdue(request: DataRequest, now: datetime.datetime | None = None) -> bool:
    return request.status == "open" and (now or utcnow()) > request.due


# ------------------------------------------------------------------ changes


def build(user: model.User, title: str, description: str, organization: model.Group,
          dataset_type: str, due: datetime.datetime, now: datetime.datetime) -> DataRequest:
    """A new open request, added to the session (flushed, not committed, nobody told):
    the caller commits it with the rest of its transaction (a daftar's sending)."""
    request = DataRequest(
        title=title, description=description or "", organization_id=organization.id,
        dataset_type=dataset_type, created=now, modified=now, created_by=user.id, status="open",
        due=due, history=[])
    _record(request, "create", user.id, now)
    model.Session.add(request)
    model.Session.flush()
    return request


def producers(organization_id: str, dataset_type: str) -> list[model.User]:
    """Who is told of a request to ORGANIZATION_ID: its producers for DATASET_TYPE."""
    return notify.members(organization_id, _capacities(workflow_for(dataset_type), "owner")
                          or {"editor", "admin"})


def create(user: model.User, title: str, description: str, organization: model.Group,
           dataset_type: str, due_date: datetime.date | None) -> DataRequest:
    now = utcnow()
    request = build(user, title, description, organization, dataset_type,
                    due_on(due_date) if due_date else default_due(dataset_type, now), now)
    with lang.portal_language():  # stored and mailed: not in the language of this request
        subject = _("[Satu Data] Data request: {title}").format(title=title)
        body = _("The Walidata requests \"{title}\" from {organization}, due {due}.").format(
            title=title, organization=organization.title or organization.name,
            due=formatting.datetime(request.due))
    notices = notify.tell(producers(organization.id, dataset_type),
                          subject, body + ("\n\n" + description if description else ""))
    model.repo.commit()
    notify.send_later(notices)
    return request


def _record(request: DataRequest, action: str, user_id: str | None,
            moment: datetime.datetime | None = None, **detail: Any) -> None:
    """Append one step to the request's history (a new list: JSONB sees the change)."""
    entry = {"action": action, "user_id": user_id,
             "timestamp": (moment or utcnow()).isoformat(), **detail}
    request.history = list(request.history or []) + [entry]


def update(request: DataRequest, changes: dict[str, Any], user: model.User) -> DataRequest:
    must_be_open(request)
    changed = {}
    for key in ("title", "description", "dataset_type"):
        if key in changes and changes[key] != getattr(request, key):
            changed[key] = [getattr(request, key), changes[key]]
            setattr(request, key, changes[key])
    if changes.get("due_date"):
        due = due_on(changes["due_date"])
        if due != request.due:
            changed["due"] = [request.due.isoformat(), due.isoformat()]
            request.due = due
    request.modified = utcnow()
    if changed:
        _record(request, "update", user.id, request.modified, changes=changed)
    model.repo.commit()
    return request


def cancel(request: DataRequest, reason: str, user: model.User) -> DataRequest:
    must_be_open(request)
    request.status, request.cancelled, request.cancel_reason = "cancelled", utcnow(), reason
    request.modified = request.cancelled
    _record(request, "cancel", user.id, request.cancelled, reason=reason)
    model.repo.commit()
    return request


def submitted(pkg: model.Package) -> bool:
    """Whether PKG was ever submitted (a dataset without a workflow: always)."""
    if service.workflow_of(pkg) is None:
        return True
    return model.Session.query(WorkflowEvent.id).filter_by(
        package_id=pkg.id, action="submit").first() is not None


def check_answers(pkg: model.Package, request: DataRequest) -> None:
    """Raise unless PKG may answer REQUEST (its OPD, its type)."""
    if pkg.owner_org != request.organization_id:
        raise tk.ValidationError({"dataset_id": [
            _("The dataset must belong to the requested organization")]})
    if pkg.type != request.dataset_type:
        raise tk.ValidationError({"dataset_id": [
            _("The request is for a dataset of type {type}").format(type=request.dataset_type)]})


def refuses_late() -> bool:
    """The portal refuses deliveries after the due date (the Tanjab SOP's warning:
    late data does not enter the system); else they are accepted and flagged late."""
    return tk.asbool(tk.config.get("ckanext.satudata.requests.refuse_late"))


def refuse_if_late(request: DataRequest, moment: datetime.datetime) -> None:
    """Raise when the portal refuses late data and MOMENT is after REQUEST's due date
    (the due moment itself is still on time)."""
    if refuses_late() and moment > request.due:
        raise tk.ValidationError({"due": [_(
            "The request \"{title}\" was due {due}: this portal does not accept data "
            "delivered after the due date. Ask the Walidata to extend the due date.").format(
                title=request.title, due=formatting.datetime(request.due))]})


def link(request: DataRequest, pkg: model.Package, user: model.User) -> DataRequest:
    """Link PKG to the open REQUEST: delivered now if PKG was submitted already,
    else when it is (on_step). Linking another dataset replaces the earlier link.
    Where the portal refuses late data, nothing is linked after the due date."""
    must_be_open(request)
    check_answers(pkg, request)
    now = utcnow()
    refuse_if_late(request, now)
    request.package_id, request.linked, request.fulfilled_by = pkg.id, now, user.id
    request.modified = now
    _record(request, "link", user.id, now, dataset_id=pkg.id)
    if submitted(pkg):
        _deliver(request, now, user.id)
    model.repo.commit()
    return request


def _deliver(request: DataRequest, moment: datetime.datetime, user_id: str) -> None:
    request.status, request.fulfilled, request.late = "fulfilled", moment, moment > request.due
    request.modified = moment
    _record(request, "deliver", user_id, moment, dataset_id=request.package_id,
            late=request.late)


def on_step(pkg: model.Package, event: WorkflowEvent) -> None:
    """A workflow step of PKG, in its transaction: a submission delivers the
    open requests PKG is linked to. Where the portal refuses late data, a
    submission after a linked request's due date is refused (the step with it)."""
    if event.action != "submit":
        return
    for request in model.Session.query(DataRequest).filter_by(package_id=pkg.id,
                                                              status="open"):
        refuse_if_late(request, event.timestamp)
        _deliver(request, event.timestamp, event.user_id)


def draft_name(title: str) -> str:
    """A free dataset name (URL) made from TITLE, for a draft started from a request."""
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80] or "dataset"
    name = base
    while model.Package.get(name) is not None:
        name = f"{base}-{uuid.uuid4().hex[:6]}"
    return name


def must_be_open(request: DataRequest) -> None:
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


def timeliness(request: DataRequest, now: datetime.datetime | None = None) -> str | None:
    """on_time / late (delivered), overdue / pending (open), None (cancelled)."""
    if request.status == "fulfilled":
        return "late" if request.late else "on_time"
    if request.status == "open":
        return "overdue" if is_overdue(request, now) else "pending"
    return None


def as_dict(request: DataRequest, now: datetime.datetime | None = None) -> dict[str, Any]:
    org = model.Session.get(model.Group, request.organization_id)
    pkg = model.Package.get(request.package_id) if request.package_id else None
    creator = model.User.get(request.created_by)
    daftar = (model.Session.query(DaftarDataSektoral).join(
        DaftarEntry, DaftarEntry.daftar_id == DaftarDataSektoral.id)
        .filter(DaftarEntry.request_id == request.id).first())
    iso = lambda moment: moment.isoformat() if moment else None  # noqa: E731
    return {
        "id": request.id,
        "title": request.title,
        "description": request.description,
        "organization": {"id": org.id, "name": org.name, "title": org.title} if org else None,
        "dataset_type": request.dataset_type,
        "status": request.status,
        "timeliness": timeliness(request, now),
        "due": iso(request.due),
        "overdue": is_overdue(request, now),
        "created": iso(request.created),
        "created_by": creator.name if creator else request.created_by,
        "created_by_display": roles.display_name(request.created_by),
        "dataset": {"id": pkg.id, "name": pkg.name, "title": pkg.title, "type": pkg.type}
        if pkg else None,
        "linked": iso(request.linked),
        "fulfilled": iso(request.fulfilled),
        "late": request.late,
        "cancelled": iso(request.cancelled),
        "cancel_reason": request.cancel_reason,
        # The Daftar Data Sektoral whose sending made the request, if one did.
        "daftar": {"id": daftar.id, "period": daftar.period} if daftar else None,
        "history": [dict(entry, user=roles.display_name(entry.get("user_id")))
                    for entry in request.history or []],
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
            "on_time_rate": rounding.ratio(100 * counts["on_time"], judged, 1),
        })
    return sorted(result, key=lambda r: r["organization"]["name"])
