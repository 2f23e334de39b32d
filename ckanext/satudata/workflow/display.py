"""How the lifecycle is shown: due dates in working days, actions grouped for buttons.

Presentation only; what a user may do always comes from the actions
(satudata_workflow_show / _queue), never from here.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

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

    The search index keeps the dict validated by the scheming schema, which
    drops the state; results are already limited to what the user may see,
    so the state can be added to each. One query for the whole page.
    """
    ids = [r["id"] for r in results if r.get("id")]
    if not ids:
        return
    rows = dict(model.Session.query(WorkflowState.package_id, WorkflowState.state)
                .filter(WorkflowState.package_id.in_(ids)))
    for result in results:
        name = service.workflow_name(result.get("type") or "dataset")
        if name and result.get("id"):
            result["satudata_state"] = rows.get(result["id"]) or service.load(name).initial_state.id
