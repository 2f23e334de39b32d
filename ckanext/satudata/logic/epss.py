"""EPSS evidence per OPD for a period (Evaluasi Penyelenggaraan Statistik Sektoral).

BPS's yearly evaluation asks the Walidata how each OPD answered the data it
was asked for and how the review went. Two sources, both already kept:

- data requests made in the period (``data_request.report``): delivered on
  time or late (the late flag set at delivery against the request's due date,
  which the working-day calendar computed), not delivered, and of those the
  ones past their due date now;
- the audit trail: rounds of return (``return`` steps in the period, per
  dataset) and how long each review level held a dataset before its step in
  the period. The level is the role that held the state the step left (as
  the timeliness report splits holders); the time is counted from the step
  before (from the dataset's creation for its first), in working days the
  way the calendar counts an SLA (the arrival day never counts: a step taken
  on the day it arrived took 0, by the next working day's close 1) and in
  calendar days.
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
from ckanext.satudata.logic import report as timeliness, schema
from ckanext.satudata.model import WorkflowEvent, utcnow
from ckanext.satudata.workflow import calendar, data_request, service

__all__ = ["satudata_epss_report"]

_ = tk._

REQUEST_COUNTS = ("requested", "on_time", "late", "not_delivered", "overdue_now", "cancelled")
RETURN_COUNTS = ("datasets", "returns", "datasets_returned")
# Trail rows that are no review step (a revision started or dropped beside the published dataset).
BOOKKEEPING = ("revise", "discard_revision")


def period(data_dict: dict, cal: calendar.WorkCalendar
           ) -> tuple[dt.datetime, dt.datetime, int | None, int | None]:
    """[start, end) in UTC, the year and the quarter: whole office-local days of
    date_from … date_to (no year then), or of the year (its quarter); default this year."""
    year, quarter = data_dict.get("year"), data_dict.get("quarter")
    dates = data_dict.get("date_from") or data_dict.get("date_to")
    if (year or quarter) and dates:
        raise tk.ValidationError({"year": [_("Give either a year (and quarter) or dates, not both")]})
    if dates:
        return timeliness._period(data_dict, cal) + (None, None)
    if not year:
        year = cal.to_office_time(utcnow()).year
    first_month, months = ((quarter - 1) * 3 + 1, 3) if quarter else (1, 12)
    first = dt.date(year, first_month, 1)
    after = dt.date(year + (first_month + months - 1) // 12, (first_month + months - 1) % 12 + 1, 1)
    start, end = timeliness._period({"date_from": first, "date_to": after - dt.timedelta(days=1)}, cal)
    return start, end, year, quarter


def _held_working_days(cal, since: dt.datetime, done: dt.datetime) -> int:
    """Working days from SINCE to DONE as an SLA counts them (the calendar's own
    arithmetic: done within due(since, k) for the smallest k)."""
    return cal.working_days_late(cal.due(since, 0, "working_days"), done)


def _mean(values: list[float]) -> float | None:
    return rounding.ratio(sum(values), len(values), 2)


def _level(times: list[tuple[int, float]]) -> dict[str, Any]:
    return {"steps": len(times),
            "mean_working_days": _mean([w for w, _d in times]),
            "mean_days": _mean([d for _w, d in times])}


def _entry() -> dict[str, Any]:
    return dict(dict.fromkeys(REQUEST_COUNTS + RETURN_COUNTS, 0), _levels=defaultdict(list),
                _returned=set(), _datasets=set())


def _finish(entry: dict) -> dict[str, Any]:
    levels = entry.pop("_levels")
    entry["datasets"] = len(entry.pop("_datasets"))
    entry["datasets_returned"] = len(entry.pop("_returned"))
    entry["returns_per_dataset"] = rounding.ratio(entry["returns"], entry["datasets"], 2)
    entry["levels"] = {role: _level(times) for role, times in levels.items()}
    return entry


@tk.side_effect_free
@validate(schema.epss_report)
def satudata_epss_report(context, data_dict) -> dict[str, Any]:
    """EPSS evidence per OPD for a period: data requests answered, rounds of
    return and time per review level (the Walidata and sysadmins).

    Requests count when made in the period (delivered = the linked dataset
    submitted; late = delivered after the due date; ``overdue_now`` = not
    delivered and past the due date now). Returns and review times count the
    workflow steps taken in the period on the OPD's datasets: ``datasets`` had
    a step, ``returns`` is the number of return steps, ``returns_per_dataset``
    their mean over those datasets. Each level (the role holding the state a
    step left) gets the mean time it held a dataset before its step, in
    working days (the arrival day does not count, as in an SLA) and calendar
    days. OPDs with a request or a step in the period are listed.

    :param organization: only this OPD (id or name); default every OPD
    :type organization: string
    :param year: the whole year (e.g. 2026); default this year when no dates are given
    :type year: int
    :param quarter: 1-4, a quarter of ``year`` (of this year without one)
    :type quarter: int
    :param date_from: first day (YYYY-MM-DD), instead of year/quarter
    :type date_from: string
    :param date_to: last day (YYYY-MM-DD); days are whole days in the office's timezone
    :type date_to: string
    :returns: ``{date_from, date_to, year, quarter, roles: [{id, label}],
        organizations: [{id, name, title, requested, on_time, late,
        not_delivered, overdue_now, cancelled, datasets, returns,
        datasets_returned, returns_per_dataset, levels: {role: {steps,
        mean_working_days, mean_days}}}], totals: {the same counts}}``, OPDs by
        title; a mean is null without steps
    :rtype: dict
    """
    tk.check_access("satudata_epss_report", context, data_dict)
    cal = calendar.WorkCalendar.from_config(tk.config)
    start, end, year, quarter = period(data_dict, cal)
    org = None
    if data_dict.get("organization"):
        org = model.Group.get(data_dict["organization"])
        if org is None or not org.is_organization:
            raise tk.ObjectNotFound(_("Organization not found"))

    entries: dict[str, dict] = defaultdict(_entry)
    totals = _entry()
    for row in data_request.report(start, end):
        org_id = row["organization"]["id"]
        if org is not None and org_id != org.id:
            continue
        counts = {"requested": row["total"], "on_time": row["on_time"], "late": row["late"],
                  "not_delivered": row["open"], "overdue_now": row["overdue"],
                  "cancelled": row["cancelled"]}
        for key, value in counts.items():
            entries[org_id][key] += value
            totals[key] += value

    packages = model.Session.query(model.Package.id, model.Package.owner_org,
                                   model.Package.metadata_created).filter(
        model.Package.state == "active", model.Package.owner_org.isnot(None))
    if org is not None:
        packages = packages.filter(model.Package.owner_org == org.id)
    owner_and_created = {row.id: (row.owner_org, row.metadata_created) for row in packages}
    events = (model.Session.query(WorkflowEvent)
              .filter(WorkflowEvent.package_id.in_(sa.select(packages.subquery().c.id)),
                      WorkflowEvent.timestamp < end)
              .order_by(WorkflowEvent.package_id, WorkflowEvent.timestamp, WorkflowEvent.id))
    roles: dict[str, str] = {}
    # Per dataset: when its current holder got it, and the revision the last step was of.
    since: dict[str, tuple[dt.datetime | None, str | None]] = {}
    for event in events:
        owner_org, created = owner_and_created[event.package_id]
        if event.package_id not in since:
            since[event.package_id] = (
                created.replace(tzinfo=dt.timezone.utc) if created else None, None)
        held_from, revision = since[event.package_id]
        if event.revision_id and event.revision_id != revision:
            # A published revision's trail is kept on the original: its first step
            # came from the copy's draft, whose start the original does not know.
            held_from = None
        since[event.package_id] = (event.timestamp, event.revision_id)
        if event.timestamp < start or event.action in BOOKKEEPING:
            continue
        for entry in (entries[owner_org], totals):
            entry["_datasets"].add(event.package_id)
            if event.action == "return":
                entry["returns"] += 1
                entry["_returned"].add(event.package_id)
        workflow = service.load(event.workflow)
        left = workflow.states.get(event.from_state)
        holder = left.holder if left else None
        if holder and held_from is not None:
            roles.setdefault(holder, lang.text(workflow.roles[holder].label))
            held = (_held_working_days(cal, held_from, event.timestamp),
                    (event.timestamp - held_from).total_seconds() / 86400)
            entries[owner_org]["_levels"][holder].append(held)
            totals["_levels"][holder].append(held)

    organizations = []
    for org_id, entry in entries.items():
        group = model.Session.get(model.Group, org_id)
        if group is None:
            continue
        organizations.append(dict(_finish(entry), id=group.id, name=group.name,
                                  title=group.title or group.name))
    if org is not None and org.id not in entries:
        organizations.append(dict(_finish(_entry()), id=org.id, name=org.name,
                                  title=org.title or org.name))
    organizations.sort(key=lambda o: o["title"].lower())
    role_order = _role_order()
    return {
        "date_from": start.astimezone(cal.timezone).date().isoformat(),
        "date_to": (end - dt.timedelta(days=1)).astimezone(cal.timezone).date().isoformat(),
        "year": year,
        "quarter": quarter,
        "roles": [{"id": r, "label": label} for r, label in
                  sorted(roles.items(), key=lambda item: (role_order.get(item[0], 99), item[0]))],
        "organizations": organizations,
        "totals": _finish(totals),
    }


def _role_order() -> dict[str, int]:
    """Roles in the order the default workflow first meets them (producer first)."""
    order: dict[str, int] = {}
    name = service.workflow_name("dataset")
    if name:
        for state in service.load(name).states.values():
            if state.holder and state.holder not in order:
                order[state.holder] = len(order)
    return order


def table_rows(report: dict) -> list[list[Any]]:
    """The report as rows (header first, totals last), as CSV and XLSX give it."""
    header = [_("OPD"), _("OPD code"), _("Datasets requested"), _("Delivered on time"),
              _("Delivered late"), _("Not delivered"), _("Not delivered, overdue now"),
              _("Requests cancelled"), _("Datasets reviewed"), _("Rounds of return"),
              _("Datasets returned"), _("Returns per dataset (average)")]
    for role in report["roles"]:
        header += [_("{role}: steps").format(role=role["label"]),
                   _("{role}: average working days").format(role=role["label"]),
                   _("{role}: average calendar days").format(role=role["label"])]

    def cells(entry: dict) -> list[Any]:
        row = [entry[k] for k in ("requested", "on_time", "late", "not_delivered",
                                  "overdue_now", "cancelled", "datasets", "returns",
                                  "datasets_returned")]
        row.append(_blank(entry["returns_per_dataset"]))
        for role in report["roles"]:
            level = entry["levels"].get(role["id"]) or {"steps": 0, "mean_working_days": None,
                                                        "mean_days": None}
            row += [level["steps"], _blank(level["mean_working_days"]), _blank(level["mean_days"])]
        return row
    rows = [header]
    rows += [[o["title"], o["name"]] + cells(o) for o in report["organizations"]]
    rows.append([_("Total"), ""] + cells(report["totals"]))
    return rows


def _blank(value):
    return "" if value is None else value


# The screen's columns (of table_rows): the rest, the calendar days and the
# cancelled requests, are in the downloads. The datasets reviewed stay on screen
# beside the rounds of return: they are the average's divisor, and without them
# the total's average (all rounds over all datasets reviewed) read as wrong
# against the OPDs' rows (a walk saw 0,12 where the rows suggested 0,33).
def screen_columns(report: dict) -> list[int]:
    fixed = [0, 2, 3, 4, 6, 8, 9, 11]
    per_role = [12 + 3 * n + 1 for n in range(len(report["roles"]))]
    return fixed + per_role
