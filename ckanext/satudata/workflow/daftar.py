"""The Daftar Data Sektoral (SOP Tanjab step 1): the Walidata's list of the
sectoral data to collect for a period, per OPD.

The Walidata drafts it (its entries: OPD, title, standar data hints, due date)
and sends it; sending makes one data request per entry (data_request.py) in
one transaction, all or none, and tells each OPD once. The daftar has its own
SLA (the workflow's ``daftar_sla``, 5 working days in the SOP) from its
creation to its sending: sent after it, it is flagged late. A sent daftar is
not edited any more: its requests carry on (changed or cancelled one by one).
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata import lang
from ckanext.satudata.model import DaftarDataSektoral, DaftarEntry, DataRequest, utcnow
from ckanext.satudata.public import formatting
from ckanext.satudata.workflow import calendar, data_request, notify, roles

_ = tk._

#: Used when the workflow names no daftar_sla: the Tanjab SOP's step 1.
FALLBACK_SLA = (5, "working_days")
STATES = ("draft", "sent")
#: The entry fields a caller gives (organization and due_date are resolved here).
ENTRY_TEXT = ("title", "standar_data", "satuan", "frekuensi", "notes")


def sla_due(start: datetime.datetime) -> datetime.datetime:
    """When a daftar created at START is due: the data sektoral workflow's ``daftar_sla``."""
    workflow = data_request.workflow_for("dataset")
    sla = workflow and workflow.daftar_sla
    amount, unit = (sla.amount, workflow.clock_unit(sla)) if sla else FALLBACK_SLA
    return calendar.WorkCalendar.from_config(tk.config).due(start, amount, unit)


def is_overdue(daftar: DaftarDataSektoral, now: datetime.datetime | None = None) -> bool:
    return daftar.state == "draft" and (now or utcnow()) > daftar.due


def must_be_draft(daftar: DaftarDataSektoral) -> None:
    if daftar.state != "draft":
        raise tk.ValidationError({"state": [_(
            "This Daftar Data Sektoral was sent on {sent}: it can no longer be changed. "
            "Change or cancel its data requests one by one instead.").format(
                sent=formatting.datetime(daftar.sent))]})


def _not_past(due: datetime.datetime, now: datetime.datetime, key: str = "due_date") -> None:
    if due < now:
        raise tk.ValidationError({key: [_("The due date {due} has already passed").format(
            due=formatting.date(due))]})


# ------------------------------------------------------------------ changes


def create(user: model.User, period: str, notes: str,
           entry_due_date: datetime.date | None) -> DaftarDataSektoral:
    now = utcnow()
    entry_due = data_request.due_on(entry_due_date) if entry_due_date else None
    if entry_due:
        _not_past(entry_due, now, "entry_due_date")
    daftar = DaftarDataSektoral(period=period, notes=notes or "", state="draft", created=now,
                                modified=now, created_by=user.id, due=sla_due(now),
                                entry_due=entry_due)
    model.Session.add(daftar)
    model.repo.commit()
    return daftar


def update(daftar: DaftarDataSektoral, changes: dict[str, Any]) -> DaftarDataSektoral:
    must_be_draft(daftar)
    for key in ("period", "notes"):
        if key in changes:
            setattr(daftar, key, changes[key])
    if "entry_due_date" in changes:
        day = changes["entry_due_date"]
        daftar.entry_due = data_request.due_on(day) if day else None
        if daftar.entry_due:
            _not_past(daftar.entry_due, utcnow(), "entry_due_date")
    daftar.modified = utcnow()
    model.repo.commit()
    return daftar


def organization(id_or_name: str) -> model.Group | None:
    """An active OPD a daftar may ask (not the Walidata nor the Pembina themselves)."""
    org = model.Group.get(id_or_name or "")
    skip = {tk.config.get("ckanext.satudata.walidata_organization"),
            tk.config.get("ckanext.satudata.pembina_organization")}
    if org is None or not org.is_organization or org.state != "active" or org.name in skip:
        return None
    return org


def _entry_problems(row: dict[str, Any], known_types, now) -> tuple[dict, dict]:
    """(the entry's values, its problems) for one validated ROW."""
    problems: dict[str, list[str]] = {}
    values: dict[str, Any] = {k: row[k] for k in ENTRY_TEXT if k in row}
    if "organization" in row:
        org = organization(row["organization"])
        if org is None:
            problems["organization"] = [_("No such organization (OPD)")]
        else:
            values["organization_id"] = org.id
    if "dataset_type" in row:
        if row["dataset_type"] not in known_types:
            problems["dataset_type"] = [_("Unknown dataset type; one of {types}").format(
                types=", ".join(sorted(known_types)))]
        else:
            values["dataset_type"] = row["dataset_type"]
    day = row.get("due_date")
    if day is None and "due_date" in row:
        values["due"] = None  # emptied: the daftar's default again
    elif isinstance(day, datetime.date):  # else the schema named the problem
        values["due"] = data_request.due_on(day)
        if values["due"] < now:
            problems["due_date"] = [_("The due date {due} has already passed").format(
                due=formatting.date(values["due"]))]
    return values, problems


def add_entries(daftar: DaftarDataSektoral, rows: list[dict[str, Any]], known_types,
                row_errors: list[dict] | None = None) -> list[DaftarEntry]:
    """Add ROWS (entry dicts through the schema) to the draft DAFTAR: all of them, or
    none with the problems of each row (``{"entries": [{}, {"title": [...]}, ...]}``),
    the schema's (ROW_ERRORS, aligned with ROWS) and this module's together."""
    must_be_draft(daftar)
    now = utcnow()
    made, problems = [], []
    last = (model.Session.query(sa.func.max(DaftarEntry.position))
            .filter_by(daftar_id=daftar.id).scalar() or 0)
    for number, row in enumerate(rows):
        values, row_problems = _entry_problems(row, known_types, now)
        given = (row_errors[number] if row_errors and number < len(row_errors) else None) or {}
        problems.append({**row_problems, **given})
        if not problems[-1]:
            made.append(DaftarEntry(daftar_id=daftar.id, created=now, position=last + number + 1,
                                    **values))
    if any(problems):
        raise tk.ValidationError({"entries": problems})
    model.Session.add_all(made)
    daftar.modified = now
    model.repo.commit()
    return made


def update_entry(entry: DaftarEntry, row: dict[str, Any], known_types) -> DaftarEntry:
    daftar = model.Session.get(DaftarDataSektoral, entry.daftar_id)
    must_be_draft(daftar)
    values, problems = _entry_problems(row, known_types, utcnow())
    if problems:
        raise tk.ValidationError(problems)
    for key, value in values.items():
        setattr(entry, key, value)
    daftar.modified = utcnow()
    model.repo.commit()
    return entry


def delete_entry(entry: DaftarEntry) -> None:
    daftar = model.Session.get(DaftarDataSektoral, entry.daftar_id)
    must_be_draft(daftar)
    model.Session.delete(entry)
    daftar.modified = utcnow()
    model.repo.commit()


def entries(daftar: DaftarDataSektoral, organization_ids: list[str] | None = None):
    q = model.Session.query(DaftarEntry).filter_by(daftar_id=daftar.id)
    if organization_ids is not None:
        q = q.filter(DaftarEntry.organization_id.in_(organization_ids))
    return q.order_by(DaftarEntry.position, DaftarEntry.id).all()


def _description(daftar: DaftarDataSektoral, entry: DaftarEntry) -> str:
    """The request's details: the daftar it comes from and the entry's hints (stored:
    in the portal's language)."""
    lines = [_("Daftar Data Sektoral {period}").format(period=daftar.period)]
    for label, value in ((_("Standar data"), entry.standar_data), (_("Unit"), entry.satuan),
                         (_("Frequency"), entry.frekuensi)):
        if value:
            lines.append(f"{label}: {value}")
    text = "\n".join(f"- {line}" for line in lines)
    return text + ("\n\n" + entry.notes if entry.notes else "")


def send(daftar: DaftarDataSektoral, user: model.User, known_types) -> list[DataRequest]:
    """Send the draft DAFTAR: one data request per entry, each OPD told once, in one
    transaction; any problem (an OPD closed since, a due date passed while drafting)
    leaves no request made and the daftar a draft."""
    # Locked until the commit: of two clicks on "Kirim", the second finds it sent.
    daftar = (model.Session.query(DaftarDataSektoral).filter_by(id=daftar.id)
              .with_for_update().populate_existing().one())
    try:
        must_be_draft(daftar)
    except tk.ValidationError:
        model.Session.rollback()
        raise
    rows = entries(daftar)
    if not rows:
        model.Session.rollback()
        raise tk.ValidationError({"entries": [_("Add at least one entry before sending")]})
    now = utcnow()
    made: list[DataRequest] = []
    by_org: dict[str, list[DataRequest]] = defaultdict(list)
    try:
        with lang.portal_language():  # stored and mailed
            for entry in rows:
                org = organization(entry.organization_id)
                if org is None:
                    raise tk.ValidationError({"entries": [_(
                        "\"{title}\": its organization (OPD) is closed or unknown").format(
                            title=entry.title)]})
                if entry.dataset_type not in known_types:
                    raise tk.ValidationError({"entries": [_(
                        "\"{title}\": unknown dataset type {type}").format(
                            title=entry.title, type=entry.dataset_type)]})
                due = (entry.due or daftar.entry_due
                       or data_request.default_due(entry.dataset_type, now))
                if due < now:
                    raise tk.ValidationError({"entries": [_(
                        "\"{title}\": the due date {due} has already passed; change it "
                        "before sending").format(title=entry.title,
                                                 due=formatting.date(due))]})
                request = data_request.build(user, entry.title, _description(daftar, entry),
                                             org, entry.dataset_type, due, now)
                entry.request_id = request.id
                made.append(request)
                by_org[org.id].append(request)
            notices = []
            for org_id, requests in by_org.items():
                notices += _tell(daftar, model.Session.get(model.Group, org_id), requests)
        daftar.state, daftar.sent, daftar.sent_by = "sent", now, user.id
        daftar.late, daftar.modified = now > daftar.due, now
        model.repo.commit()
    except Exception:
        model.Session.rollback()
        raise
    notify.send_later(notices)
    return made


def _tell(daftar: DaftarDataSektoral, org: model.Group, requests: list[DataRequest]):
    """One notice per producer of ORG listing its REQUESTS (not one per request)."""
    subject = _("[Satu Data] Daftar Data Sektoral {period}: {n} data requests").format(
        period=daftar.period, n=len(requests))
    lines = [_("The Walidata requests from {organization} (Daftar Data Sektoral {period}):")
             .format(organization=org.title or org.name, period=daftar.period)]
    lines += [_("- {title}, due {due}").format(title=r.title, due=formatting.datetime(r.due))
              for r in requests]
    users = {}
    for dataset_type in {r.dataset_type for r in requests}:
        users.update((u.id, u) for u in data_request.producers(org.id, dataset_type))
    return notify.tell(users.values(), subject, "\n".join(lines))


# ------------------------------------------------------------------ reading


def query(state: str | None = None):
    q = model.Session.query(DaftarDataSektoral)
    if state:
        q = q.filter(DaftarDataSektoral.state == state)
    return q.order_by(DaftarDataSektoral.created.desc(), DaftarDataSektoral.id)


def sent_to(organization_ids: list[str]):
    """Sent daftars with an entry for one of ORGANIZATION_IDS."""
    return query("sent").filter(DaftarDataSektoral.id.in_(
        model.Session.query(DaftarEntry.daftar_id)
        .filter(DaftarEntry.organization_id.in_(organization_ids))))


def _entry_dict(entry: DaftarEntry, org: model.Group | None, request: DataRequest | None,
                now: datetime.datetime) -> dict[str, Any]:
    iso = lambda moment: moment.isoformat() if moment else None  # noqa: E731
    return {
        "id": entry.id, "title": entry.title, "standar_data": entry.standar_data,
        "satuan": entry.satuan, "frekuensi": entry.frekuensi, "notes": entry.notes,
        "dataset_type": entry.dataset_type, "due": iso(entry.due),
        "organization": {"id": org.id, "name": org.name, "title": org.title} if org else None,
        "request": {"id": request.id, "status": request.status, "due": iso(request.due),
                    "timeliness": data_request.timeliness(request, now)} if request else None,
    }


def progress(entry_dicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per OPD, of the entries' requests: total, delivered, on time, late, open,
    overdue (open past the due date), cancelled."""
    rows: dict[str, dict[str, Any]] = {}
    for e in entry_dicts:
        org = e["organization"] or {"id": "", "name": "", "title": ""}
        row = rows.setdefault(org["id"], {"organization": org, **dict.fromkeys(
            ("total", "delivered", "on_time", "late", "open", "overdue", "cancelled"), 0)})
        row["total"] += 1
        request = e["request"]
        if request is None:
            continue
        if request["status"] == "fulfilled":
            row["delivered"] += 1
            row[request["timeliness"]] += 1
        elif request["status"] == "cancelled":
            row["cancelled"] += 1
        else:
            row["open"] += 1
            row["overdue"] += int(request["timeliness"] == "overdue")
    return sorted(rows.values(), key=lambda r: (r["organization"]["title"] or "").lower())


def as_dict(daftar: DaftarDataSektoral, organization_ids: list[str] | None = None,
            now: datetime.datetime | None = None) -> dict[str, Any]:
    """DAFTAR with its entries (only those of ORGANIZATION_IDS unless None), grouped per
    OPD, and their progress."""
    now = now or utcnow()
    rows = entries(daftar, organization_ids)
    orgs = {o.id: o for o in model.Session.query(model.Group).filter(
        model.Group.id.in_({e.organization_id for e in rows}))} if rows else {}
    requests = {r.id: r for r in model.Session.query(DataRequest).filter(
        DataRequest.id.in_([e.request_id for e in rows if e.request_id]))} if rows else {}
    listed = [_entry_dict(e, orgs.get(e.organization_id), requests.get(e.request_id), now)
              for e in rows]
    groups: dict[str, dict[str, Any]] = {}
    for e in listed:
        org = e["organization"] or {"id": "", "name": "", "title": ""}
        groups.setdefault(org["id"], {"organization": org, "entries": []})["entries"].append(e)
    iso = lambda moment: moment.isoformat() if moment else None  # noqa: E731
    creator = model.User.get(daftar.created_by)
    return {
        "id": daftar.id, "period": daftar.period, "notes": daftar.notes, "state": daftar.state,
        "created": iso(daftar.created), "created_by": creator.name if creator else None,
        "created_by_display": roles.display_name(daftar.created_by),
        "modified": iso(daftar.modified), "due": iso(daftar.due),
        "entry_due": iso(daftar.entry_due), "sent": iso(daftar.sent),
        "sent_by_display": roles.display_name(daftar.sent_by) if daftar.sent_by else None,
        "late": daftar.late, "overdue": is_overdue(daftar, now),
        "entries": listed,
        "by_organization": sorted(groups.values(),
                                  key=lambda g: (g["organization"]["title"] or "").lower()),
        "progress": progress(listed),
    }


def summary(daftar: DaftarDataSektoral, now: datetime.datetime | None = None) -> dict[str, Any]:
    """DAFTAR for a list: without its entries, with their count per state."""
    whole = as_dict(daftar, now=now)
    counts = {"entries": len(whole["entries"]),
              "organizations": len(whole["by_organization"]),
              "delivered": sum(r["delivered"] for r in whole["progress"])}
    return {k: v for k, v in whole.items() if k not in ("entries", "by_organization",
                                                        "progress")} | {"counts": counts}
