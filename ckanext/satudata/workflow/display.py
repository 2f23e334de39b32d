"""How the lifecycle is shown: due dates in working days, actions grouped for buttons.

Presentation only; what a user may do always comes from the actions
(satudata_workflow_show / _queue), never from here.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.satudata import lang, msvar
from ckanext.satudata.model import WorkflowState, utcnow
from ckanext.satudata.public import formatting
from ckanext.satudata.workflow import calendar, service

# Button texts for an action that leads to several places (the choice of
# place is then made in the dialog, labelled by each transition's own label).
_VERBS = {
    "submit": "Submit",
    "forward": "Forward",
    "approve": "Approve",
    "return": "Return",
    "reject": "Reject",
    "publish": "Publish",
    "withdraw": "Withdraw",
    "request_revision": "Request a revision",
    # a copy harvested from another Satu Data portal (harvest/harvester.py)
    "harvest": "Harvested",
    "harvest_withdraw": "Withdrawn at the source",
}


def parse(moment: str | dt.datetime | None) -> dt.datetime | None:
    if not moment:
        return None
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def office_time(moment: str | dt.datetime | None) -> str:
    """MOMENT as a person reads it: ``24 November 2026 16.00 WIB`` (see public/formatting.py)."""
    return formatting.datetime(parse(moment))


def due(moment: str | dt.datetime | None, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """Due date in working-day terms: ``{when, overdue, working_days, text}``.

    Overdue: working days late (any lateness is at least 1). Otherwise the
    working days left until the due date's closing time (0: due today).
    """
    moment = parse(moment)
    if moment is None:
        return None
    now = now or utcnow()
    cal = calendar.WorkCalendar.from_config(tk.config)
    if now > moment:
        days = cal.working_days_late(moment, now)
        text = tk.ungettext("{n} working day late", "{n} working days late", days).format(n=days)
        return {"when": office_time(moment), "overdue": True, "working_days": days, "text": text}
    # Working days left mirror lateness: the smallest k with moment <= due(now, k),
    # 0 when it falls due by the close of today (or of the next working day).
    days = (0 if moment <= cal.due(now, 0, "working_days")
            else cal.working_days_late(now, moment))
    text = (tk._("due today") if days == 0 else
            tk.ungettext("{n} working day left", "{n} working days left", days).format(n=days))
    return {"when": office_time(moment), "overdue": False, "working_days": days, "text": text}


def verb(action: str) -> str:
    """The action's name in the user's language (submit → Ajukan)."""
    return tk._(_VERBS[action]) if action in _VERBS else action


def action_groups(allowed: list[dict]) -> list[dict[str, Any]]:
    """The caller's allowed actions, one entry per action name, each with its targets."""
    groups: dict[str, dict] = {}
    for item in allowed:
        group = groups.setdefault(item["action"], {
            "action": item["action"], "label": item["label"], "reason_required": False,
            "targets": []})
        group["targets"].append({"to": item["to"], "label": item["label"],
                                 "reason_required": item["reason_required"]})
        group["reason_required"] = group["reason_required"] or item["reason_required"]
    for group in groups.values():
        if len(group["targets"]) > 1:
            group["label"] = verb(group["action"])
    return list(groups.values())


def add_states(results: list[dict]) -> None:
    """Put ``satudata_state`` into search results, as package_show does.

    The index keeps each dataset's state in the dict results are read from
    (search.store_state): every step writes the dataset's document before its
    database commit (service._commit_indexed), and the reconciliation checks the
    indexed state. The database is asked, in one query, only for results without
    it (documents indexed before it was stored). Display only: who sees a result
    was decided by the permission labels, never by this field.
    """
    first_states: dict[str, str] = {}  # workflow name -> its first state, loaded once a page
    missing = []
    for result in results:
        name = service.workflow_name(result.get("type") or "dataset")
        if not name or not result.get("id"):
            result.pop("satudata_state", None)
        elif not result.get("satudata_state"):
            if name not in first_states:
                first_states[name] = service.load(name).initial_state.id
            missing.append((result, first_states[name]))
    if not missing:
        return
    rows = dict(model.Session.query(WorkflowState.package_id, WorkflowState.state)
                .filter(WorkflowState.package_id.in_([r["id"] for r, _ in missing])))
    for result, first in missing:
        result["satudata_state"] = rows.get(result["id"]) or first


def office_date(moment: str | dt.datetime | None) -> str:
    """MOMENT's day in the office, ``YYYY-MM-DD`` (a date input's value)."""
    moment = parse(moment)
    if moment is None:
        return ""
    return calendar.WorkCalendar.from_config(tk.config).to_office_time(moment).date().isoformat()


def request_event_text(entry: dict) -> str:
    """One step of a data request's history, as a sentence."""
    _ = tk._
    action = entry.get("action")
    if action == "create":
        return _("made the request")
    if action == "update":
        names = {"title": _("title"), "description": _("details"), "due": _("due date"),
                 "dataset_type": _("kind of dataset")}
        changed = ", ".join(names.get(k, k) for k in entry.get("changes") or {})
        return _("changed the request ({fields})").format(fields=changed)
    if action == "link":
        return _("linked a dataset")
    if action == "deliver":
        return (_("delivered: the dataset was submitted after the due date") if entry.get("late")
                else _("delivered: the dataset was submitted on time"))
    if action == "cancel":
        return _("cancelled the request: {reason}").format(reason=entry.get("reason") or "")
    return action or ""


# ------------------------------------------------------------------ reviewer notes
# A return's ``field_notes`` keys: a dataset field's name, ``resource:<id>`` for a
# file, ``resource:<id>:<column>`` for an MS-Var variable of that file.

RESOURCE_PREFIX = "resource:"


def note_key(resource_id: str, column: str | None = None) -> str:
    return f"{RESOURCE_PREFIX}{resource_id}" + (f":{column}" if column else "")


def split_note_key(key: str) -> tuple[str | None, str | None]:
    """(resource id, column) of KEY; (None, None) for a dataset field."""
    if not key.startswith(RESOURCE_PREFIX):
        return None, None
    resource_id, _sep, column = key[len(RESOURCE_PREFIX):].partition(":")
    return resource_id, column or None


def _variables(resource: dict) -> list[dict[str, Any]]:
    try:
        return msvar.variables(resource.get("schema"))
    except ValueError:
        return []


def note_targets(pkg_dict: dict) -> list[dict[str, str]]:
    """What a reviewer can attach a note to: ``[{name, label, group}]``: the
    dataset's fields, each resource (file), and each MS-Var variable of it."""
    _ = tk._
    schema = scheming_get_dataset_schema(pkg_dict.get("type") or "dataset") or {}
    targets = [{"name": f["field_name"], "label": lang.text(f.get("label", f["field_name"])),
                "group": _("Dataset fields")} for f in schema.get("dataset_fields", [])]
    variables = _variables
    for resource in pkg_dict.get("resources") or []:
        name = resource.get("name") or resource.get("id")
        targets.append({"name": note_key(resource["id"]),
                        "label": _("File: {name}").format(name=name), "group": _("Files")})
        targets += [{"name": note_key(resource["id"], v["name"]),
                     "label": _("Variable {column} ({file})").format(column=v["name"], file=name),
                     "group": _("Variables (MS-Var)")}
                    for v in variables(resource) if v.get("name")]
    return targets


def check_notes(pkg_dict: dict, notes: dict | None) -> None:
    """Raise unless every note of NOTES is text about something NOTE_TARGETS offers."""
    if not notes:
        return
    known = {t["name"] for t in note_targets(pkg_dict)}
    unknown = sorted(k for k in notes if k not in known)
    problems = []
    if unknown:
        problems.append(tk._("Notes can be about a field, a file or a variable of this "
                             "dataset; unknown: {names}").format(names=", ".join(unknown)))
    if any(not isinstance(v, str) or not v.strip() for v in notes.values()):
        problems.append(tk._("Write the note for each field you chose"))
    if problems:
        raise tk.ValidationError({"field_notes": problems})


def notes_of_resource(notes: dict | None, resource_id: str) -> dict[str, Any]:
    """``{"resource": note or "", "variables": {column: note}}`` from a return's notes."""
    found = {"resource": "", "variables": {}}
    for key, note in (notes or {}).items():
        rid, column = split_note_key(key)
        if rid != resource_id:
            continue
        if column:
            found["variables"][column] = note
        else:
            found["resource"] = note
    return found


# ------------------------------------------------------------ reviewer corrections

def _key_labels(pkg_dict: dict) -> dict[str, str]:
    """Labels of the keys a correction changes inside a file or a variable."""
    schema = scheming_get_dataset_schema(pkg_dict.get("type") or "dataset") or {}
    labels = {}
    for field in schema.get("resource_fields", []):
        labels[field["field_name"]] = lang.text(field.get("label", field["field_name"]))
        for sub in field.get("repeating_subfields") or []:
            labels[sub["field_name"]] = lang.text(sub.get("label", sub["field_name"]))
    return labels


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def correction_rows(corrections: list[dict], pkg_dict: dict) -> list[dict[str, Any]]:
    """One row per changed value of satudata_workflow_show's ``corrections``:
    ``{timestamp, who, state_label, what, before, after}``, newest first."""
    targets = {t["name"]: t["label"] for t in note_targets(pkg_dict)}
    keys = _key_labels(pkg_dict)
    rows = []
    for correction in reversed(corrections or []):
        for change in correction["changes"]:
            what = targets.get(change["target"]) or (
                tk._("Removed file") if change["target"].startswith(RESOURCE_PREFIX)
                else change["target"])
            if change.get("field"):
                what = f"{what}: {keys.get(change['field'], change['field'])}"
            rows.append({"timestamp": correction["timestamp"],
                         "who": correction.get("user_display") or correction["user"],
                         "state_label": correction["state_label"], "what": what,
                         "before": _shown(change["before"]), "after": _shown(change["after"])})
    return rows
