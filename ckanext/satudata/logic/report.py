"""Per-OPD timeliness of the review lifecycle, from the audit trail.

Every audit-trail row says whether the step it closes was late (``late``)
and when the state it opens is due (``due``); the due date of the step a
row closes is therefore the ``due`` of the row before it (or, for a
dataset's first step, its first state's SLA counted from its creation).
The Walidata reads this for the EPSS evaluation: how many steps each OPD's
datasets went through on time, how late the late ones were in working
days, and where the OPD's datasets stand now.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate

from ckanext.satudata import lang, rounding
from ckanext.satudata.logic import schema
from ckanext.satudata.model import WorkflowEvent, WorkflowState, utcnow
from ckanext.satudata.workflow import calendar, data_request, service

_ = tk._


def _period(data_dict: dict, cal) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) in UTC for whole office-local days date_from … date_to."""
    today = cal.to_office_time(utcnow()).date()
    date_to = _day(data_dict.get("date_to")) or today
    date_from = _day(data_dict.get("date_from")) or _default_start(date_to)
    if date_from > date_to:
        raise tk.ValidationError({"date_from": [tk._("The start date is after the end date")]})
    zone = cal.timezone

    def start_of(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.timezone.utc)
    return start_of(date_from), start_of(date_to + dt.timedelta(days=1))


def _default_start(date_to: dt.date) -> dt.date:
    """The first day of the month two months before DATE_TO's: at least two whole
    months (this month alone is one day long on its first)."""
    month = date_to.month - 2
    year = date_to.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def _day(value) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _first_due(created: dt.datetime | None, workflow, cal) -> dt.datetime | None:
    if created is None:
        return None
    return service.sla_due(workflow, workflow.initial_state,
                           created.replace(tzinfo=dt.timezone.utc), cal)


_REQUEST_COUNTS = ("total", "fulfilled", "on_time", "late", "open", "overdue", "cancelled")


def _requests() -> dict[str, Any]:
    return dict.fromkeys(_REQUEST_COUNTS, 0) | {"on_time_rate": None}


def _tally() -> dict[str, Any]:
    return {"steps": 0, "on_time": 0, "late": 0, "_delays": []}


def _count(tally: dict, late: bool, delay: int | None) -> None:
    tally["steps"] += 1
    tally["late" if late else "on_time"] += 1
    if late and delay is not None:
        tally["_delays"].append(delay)


def _finish(tally: dict) -> dict[str, Any]:
    delays = tally.pop("_delays")
    steps = tally["steps"]
    tally["on_time_percent"] = rounding.ratio(100 * tally["on_time"], steps, 1)
    tally["mean_delay_working_days"] = rounding.ratio(sum(delays), len(delays), 2) or 0.0
    tally["max_delay_working_days"] = max(delays) if delays else 0
    return tally


@tk.side_effect_free
@validate(schema.timeliness_report)
def satudata_timeliness_report(context, data_dict) -> dict[str, Any]:
    """Timeliness of each OPD's datasets in the review lifecycle, for a period.

    Counts the workflow steps completed in the period (audit-trail rows dated
    date_from … date_to, whole days in the office's timezone) on the datasets
    of each OPD (organization owning the dataset), split into on time and
    late against the SLA of the stage they closed; the delay of a late step is
    counted in working days (weekends and holidays do not count). Deliveries
    are the producer's submissions. The state counts and ``overdue_now``
    describe the OPD's datasets as they stand now, whatever the period.

    :param organization: only this OPD (id or name); default every OPD
    :type organization: string
    :param date_from: first day (YYYY-MM-DD); default the first of date_to's month
    :type date_from: string
    :param date_to: last day (YYYY-MM-DD); default today
    :type date_to: string
    :returns: ``{date_from, date_to, states: [{id, label, workflow}], roles:
        [{id, label}], organizations: [{id, name, title, steps, on_time, late,
        on_time_percent, mean_delay_working_days (mean over the late steps),
        max_delay_working_days, deliveries: {…same counts}, by_role: {role:
        {…same counts}}, states: {state: n}, overdue_now, requests: {total,
        fulfilled, on_time, late, open, overdue, cancelled, on_time_rate}}]}``,
        OPDs by title; ``requests`` counts the data requests made in the period
        (satudata_request_report)
    :rtype: dict
    """
    tk.check_access("satudata_timeliness_report", context, data_dict)
    cal = calendar.WorkCalendar.from_config(tk.config)
    start, end = _period(data_dict, cal)
    org = None
    if data_dict.get("organization"):
        org = model.Group.get(data_dict["organization"])
        if org is None or not org.is_organization:
            raise tk.ObjectNotFound(tk._("Organization not found"))

    packages = model.Session.query(model.Package).filter(
        model.Package.state == "active", model.Package.owner_org.isnot(None))
    if org is not None:
        packages = packages.filter(model.Package.owner_org == org.id)
    package_ids = packages.with_entities(model.Package.id).subquery()
    events = (model.Session.query(WorkflowEvent)
              .filter(WorkflowEvent.package_id.in_(sa.select(package_ids.c.id)),
                      WorkflowEvent.timestamp < end)
              .order_by(WorkflowEvent.package_id, WorkflowEvent.timestamp).all())

    # One query for what the events need of their datasets (a Package.get per
    # event was one SELECT per dataset: 3.3 s of the Walidata's Dasbor at 2,000).
    owner_and_created = {row.id: (row.owner_org, row.metadata_created) for row in packages.with_entities(
        model.Package.id, model.Package.owner_org, model.Package.metadata_created)}
    report: dict[str, dict] = defaultdict(lambda: dict(
        _tally(), deliveries=_tally(), by_role=defaultdict(_tally), states=defaultdict(int),
        overdue_now=0, requests=_requests()))
    states, roles = {}, {}
    previous_due: dict[str, dt.datetime | None] = {}
    for event in events:
        owner_org, created = owner_and_created[event.package_id]
        workflow = service.load(event.workflow)
        if event.package_id not in previous_due:
            previous_due[event.package_id] = _first_due(created, workflow, cal)
        due, previous_due[event.package_id] = previous_due[event.package_id], event.due
        if event.timestamp < start:
            continue
        delay = None
        if event.late:
            # The row's own flag decides lateness; a late step is at least 1 working
            # day late, also where the due read back from the trail is unknown.
            delay = max(1, cal.working_days_late(due, event.timestamp)) if due else 1
        tally = report[owner_org]
        _count(tally, event.late, delay)
        if event.action == "submit":
            _count(tally["deliveries"], event.late, delay)
        left = workflow.states.get(event.from_state)
        holder = left.holder if left else None
        if holder:
            _count(tally["by_role"][holder], event.late, delay)
            roles.setdefault(holder, lang.text(workflow.roles[holder].label))

    now = utcnow()
    for pkg, row in (packages.join(WorkflowState, WorkflowState.package_id == model.Package.id)
                     .with_entities(model.Package, WorkflowState)):
        tally = report[pkg.owner_org]
        tally["states"][row.state] += 1
        tally["overdue_now"] += bool(row.due and now > row.due)
        workflow = service.load(row.workflow)
        states.setdefault(row.state, {
            "id": row.state, "workflow": row.workflow,
            "label": lang.text(workflow.state(row.state).label),
            "_order": (row.workflow, list(workflow.states).index(row.state))})

    # Data requests (SOP 000 step 1) made in the period: delivered on time, late, open.
    for row in data_request.report(start, end):
        if org is None or row["organization"]["id"] == org.id:
            report[row["organization"]["id"]]["requests"] = {
                k: row[k] for k in _REQUEST_COUNTS + ("on_time_rate",)}

    organizations = []
    for org_id, tally in report.items():
        group = model.Group.get(org_id)
        if group is None:
            continue
        _finish(tally)
        _finish(tally["deliveries"])
        tally["by_role"] = {role: _finish(t) for role, t in tally["by_role"].items()}
        tally["states"] = dict(tally["states"])
        organizations.append(dict(tally, id=group.id, name=group.name,
                                  title=group.title or group.name))
    organizations.sort(key=lambda o: o["title"].lower())
    last_day = (end - dt.timedelta(days=1)).astimezone(cal.timezone).date()
    return {
        "date_from": start.astimezone(cal.timezone).date().isoformat(),
        "date_to": last_day.isoformat(),
        "states": [{k: v for k, v in s.items() if k != "_order"}
                   for s in sorted(states.values(), key=lambda s: s["_order"])],
        "roles": [{"id": r, "label": label} for r, label in sorted(roles.items())],
        "organizations": organizations,
    }


def table_rows(report: dict) -> list[list[Any]]:
    """The report as table rows (header first), as the CSV download gives it."""
    header = [_("OPD"), _("OPD code"), _("Steps"), _("On time"), _("Late"),
              _("On time (%)"),
              _("Mean delay of late steps (working days)"), _("Longest delay (working days)"),
              _("Deliveries"), _("Deliveries on time"), _("Deliveries late"),
              _("Overdue now"), _("Data requests"), _("Requests delivered on time"),
              _("Requests delivered late"), _("Requests open past their due date")]
    for role in report["roles"]:
        header += [_("{role}: on time").format(role=role["label"]),
                   _("{role}: late").format(role=role["label"])]
    header += [_("Now: {state}").format(state=s["label"]) for s in report["states"]]
    rows = [header]
    for org in report["organizations"]:
        row = [org["title"], org["name"], org["steps"], org["on_time"], org["late"],
               "" if org["on_time_percent"] is None else org["on_time_percent"],
               org["mean_delay_working_days"], org["max_delay_working_days"],
               org["deliveries"]["steps"], org["deliveries"]["on_time"],
               org["deliveries"]["late"], org["overdue_now"],
               org["requests"]["total"], org["requests"]["on_time"], org["requests"]["late"],
               org["requests"]["overdue"]]
        for role in report["roles"]:
            tally = org["by_role"].get(role["id"], {})
            row += [tally.get("on_time", 0), tally.get("late", 0)]
        row += [org["states"].get(s["id"], 0) for s in report["states"]]
        rows.append(row)
    return rows


# What the dashboard shows on screen: the OPD's own steps and lateness, and what
# is overdue now; deliveries, per-role and per-state counts stay in the CSV.
SCREEN_COLUMNS = (0, 2, 3, 4, 5, 6, 7, 11, 12)


def screen_rows(report: dict) -> list[list[Any]]:
    """table_rows' header and rows cut to SCREEN_COLUMNS, each row led by the OPD's code."""
    rows = table_rows(report)
    header = [rows[0][i] for i in SCREEN_COLUMNS]
    return [header] + [[row[1]] + [row[i] for i in SCREEN_COLUMNS] for row in rows[1:]]
