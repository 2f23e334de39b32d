"""Pages of the review lifecycle: the step form, the queue, the dashboard, notifications.

Every page asks the satudata actions what the user may see and do; a form
that fails is shown again with what the user typed.
"""
from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, request

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.logic import epss as epss_logic, report as report_logic
from ckanext.satudata.spreadsheet import safe_row
from ckanext.satudata.workflow import calendar, service
from ckanext.satudata.workflow.service import Conflict

_ = tk._
workflow = Blueprint("satudata_workflow", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _action(name: str, data_dict: dict) -> Any:
    return tk.get_action(name)(_context(), data_dict)


def _can(name: str, data_dict: dict | None = None) -> bool:
    try:
        return tk.check_access(name, _context(), data_dict or {})
    except tk.NotAuthorized:
        return False


def _require_login() -> None:
    if not tk.current_user.is_authenticated:
        tk.abort(403, _("Log in to see this page"))


def _dataset_url(pkg: dict) -> str:
    return tk.h.url_for(f"{pkg.get('type') or 'dataset'}.read", id=pkg["name"])


# ----------------------------------------------------------------- the step form

def _typed() -> dict[str, Any]:
    """What the user sent, kept as typed so a refused form loses nothing."""
    form = request.form
    notes = [{"field": f.strip(), "note": n.strip()}
             for f, n in zip(form.getlist("note_field"), form.getlist("note_text"))]
    return {
        "action": form.get("action", ""),
        "to": form.get("to", ""),
        "comment": form.get("comment", ""),
        "version": form.get("version", ""),
        "notes": [n for n in notes if n["field"] or n["note"]],
    }


def _note_errors(notes: list[dict]) -> dict[str, list[str]]:
    problems = []
    if any(n["note"] and not n["field"] for n in notes):
        problems.append(_("Choose the field each note is about"))
    if any(n["field"] and not n["note"] for n in notes):
        problems.append(_("Write the note for each field you chose"))
    return {"field_notes": problems} if problems else {}


def _show(id: str) -> tuple[dict, dict]:
    try:
        pkg = _action("package_show", {"id": id})
        return pkg, _action("satudata_workflow_show", {"id": id})
    except tk.ObjectNotFound:
        tk.abort(404, _("Dataset not found"))
    except tk.NotAuthorized:
        tk.abort(403, _("You may not see this dataset"))


def _form_page(id: str, typed: dict, errors: dict, status: int = 200, conflict: bool = False):
    pkg, shown = _show(id)
    groups = {g["action"]: g for g in tk.h.satudata_workflow_action_groups(shown)}
    group = groups.get(typed["action"])
    if conflict and group:
        # The user now sees the new state in the message; confirming again is a
        # decision taken on what is there now.
        typed = dict(typed, version=str(shown.get("version", "")))
    return tk.render("satudata/workflow_action.html", {
        "pkg": pkg, "pkg_dict": pkg, "workflow": shown, "group": group, "typed": typed,
        "errors": errors, "conflict": conflict,
    }), status


@workflow.route("/dataset/<id>/workflow/<action>", methods=["GET"])
def action_form(id: str, action: str):
    """The reason form as a page of its own (the dialog's fallback without JavaScript)."""
    _require_login()
    pkg, shown = _show(id)
    groups = {g["action"]: g for g in tk.h.satudata_workflow_action_groups(shown)}
    if action not in groups:
        tk.h.flash_error(_("This action is not possible for you now (the dataset is {state})")
                         .format(state=shown.get("state_label", "")))
        return tk.redirect_to(_dataset_url(pkg))
    typed = {"action": action, "to": request.args.get("to", ""), "comment": "",
             "version": str(shown.get("version", "")), "notes": []}
    return _form_page(id, typed, {})


@workflow.route("/dataset/<id>/workflow", methods=["POST"])
def transition(id: str):
    """Take one step: calls satudata_workflow_transition with the version the page showed."""
    _require_login()
    typed = _typed()
    errors = _note_errors(typed["notes"])
    if errors:
        return _form_page(id, typed, errors, 400)
    data = {"id": id, "action": typed["action"], "comment": typed["comment"],
            "field_notes": {n["field"]: n["note"] for n in typed["notes"]}}
    if typed["to"]:
        data["to"] = typed["to"]
    if typed["version"]:
        data["version"] = typed["version"]
    try:
        result = _action("satudata_workflow_transition", data)
    except Conflict as e:
        return _form_page(id, typed, e.error_dict, 409, conflict=True)
    except tk.ValidationError as e:
        return _form_page(id, typed, e.error_dict, 400)
    except tk.ObjectNotFound:
        tk.abort(404, _("Dataset not found"))
    except tk.NotAuthorized as e:
        tk.abort(403, str(e) or _("You may not act on this dataset"))

    if result["name"] != id and result["id"] != id:
        # A revision reached publication: it replaced its original and was purged.
        tk.h.flash_success(_("Done. The revision is published and now replaces the dataset."))
    else:
        tk.h.flash_success(_("Done. The dataset is now: {state}.").format(
            state=result["state_label"]))
    try:
        pkg = _action("package_show", {"id": result["id"]})
    except tk.NotAuthorized:
        # The step took the dataset out of the user's sight (e.g. back to the OPD).
        return tk.redirect_to("satudata_workflow.queue")
    return tk.redirect_to(_dataset_url(pkg))


# ----------------------------------------------------------------- dashboard pages

def _bulk_available() -> bool:
    # Bulk steps come with satudata_workflow_bulk_transition (issue #4 API work).
    try:
        tk.get_action("satudata_workflow_bulk_transition")
        return True
    except KeyError:
        return False


def _bulk_actions(items: list[dict]) -> list[dict]:
    """The actions the user may take on at least one queued dataset, as the
    actions report them: [{action, label, reason_required}]."""
    found: dict[str, dict] = {}
    asked: set[tuple] = set()
    for item in items:
        # What a user may do depends on the dataset's type, state and OPD only:
        # ask once per kind, not for each of a thousand queued datasets.
        kind = (item["type"], item["state"], item["organization"], bool(item.get("revision_of")))
        if kind in asked:
            continue
        asked.add(kind)
        shown = _action("satudata_workflow_show", {"id": item["id"]})
        for group in tk.h.satudata_workflow_action_groups(shown):
            if len(group["targets"]) == 1:  # a bulk step cannot ask each dataset where to
                found.setdefault(group["action"], {
                    "action": group["action"], "label": tk.h.satudata_action_verb(group["action"]),
                    "reason_required": group["reason_required"]})
    return list(found.values())


def _queue_page(typed: dict | None = None, results: list[dict] | None = None,
                errors: dict | None = None, status: int = 200):
    overdue_only = request.args.get("overdue") == "1"
    items = _with_links(_action("satudata_workflow_queue", {"overdue_only": overdue_only}))
    bulk = _bulk_available() and bool(items)
    return tk.render("satudata/dashboard_queue.html", {
        "items": items, "overdue_only": overdue_only, "user_dict": _user_dict(),
        "bulk_actions": _bulk_actions(items) if bulk else [],
        "typed": typed or {"ids": [], "action": "", "comment": ""},
        "results": results, "errors": errors or {}}), status


@workflow.route("/dashboard/antrean", methods=["GET"])
def queue():
    """Antrean saya: what waits for the user, most urgent first."""
    _require_login()
    return _queue_page()


@workflow.route("/dashboard/antrean", methods=["POST"])
def bulk_transition():
    """One step for several queued datasets (satudata_workflow_bulk_transition)."""
    _require_login()
    if not _bulk_available():
        tk.abort(404)
    typed = {"ids": request.form.getlist("id"), "action": request.form.get("action", ""),
             "comment": request.form.get("comment", "")}
    errors = {}
    if not typed["ids"]:
        errors["id"] = [_("Choose at least one dataset")]
    if not typed["action"]:
        errors["action"] = [_("Choose the action")]
    if errors:
        return _queue_page(typed, errors=errors, status=400)
    try:
        results = _action("satudata_workflow_bulk_transition", typed)
    except tk.ValidationError as e:
        return _queue_page(typed, errors=e.error_dict, status=400)
    except tk.NotAuthorized as e:
        tk.abort(403, str(e))
    done = sum(1 for r in results if r["ok"])
    if done:
        tk.h.flash_success(tk.ungettext("{n} dataset moved on", "{n} datasets moved on", done)
                           .format(n=done))
    failed = [dict(r, title=_title(r["id"]), message=_message(r.get("error")))
              for r in results if not r["ok"]]
    if not failed:
        return tk.redirect_to("satudata_workflow.queue")
    # The failures stay on the page, still selected and with the text typed.
    return _queue_page(dict(typed, ids=[r["id"] for r in failed]), results=failed)


def _title(id_: str) -> str:
    pkg = model.Package.get(id_)
    return (pkg.title or pkg.name) if pkg else id_


def _message(error: Any) -> str:
    """An action's error (text, error_dict or list) as one line for the user."""
    if isinstance(error, dict):
        return "; ".join(_message(v) for v in error.values())
    if isinstance(error, (list, tuple)):
        return "; ".join(_message(v) for v in error)
    return str(error or "")


def _with_links(items: list[dict]) -> list[dict]:
    organizations: dict[str, Any] = {}
    out = []
    for item in items:
        org_id = item.get("organization")
        if org_id and org_id not in organizations:
            group = model.Group.get(org_id)
            organizations[org_id] = (group.title or group.name) if group else org_id
        out.append(dict(item, url=_dataset_url(item), workflow=service.workflow_name(item["type"]),
                        organization_title=organizations.get(org_id, "")))
    return out


def _user_dict() -> dict:
    # user/dashboard.html (through edit_base) reads the user being shown.
    return tk.get_action("user_show")(_context(), {"id": tk.current_user.name})


def _open_requests() -> list[dict]:
    """Open data requests the user sees (the Walidata: all; an OPD: its own), soonest due first."""
    try:
        return _action("satudata_request_list", {"status": "open", "limit": 20})["results"]
    except tk.NotAuthorized:
        return []


def _daftars_to_watch() -> list[dict]:
    """For the Walidata: its Daftar Data Sektoral still drafts (overdue flagged) or
    sent after their due date (flagged late), newest first."""
    if not _can("satudata_daftar_create"):
        return []
    found = _action("satudata_daftar_list", {"limit": 50})["results"]
    return [d for d in found if d["state"] == "draft" or d["late"]][:20]


def _report_request() -> dict[str, str]:
    return {k: request.args.get(k, "").strip() for k in ("organization", "date_from", "date_to")
            if request.args.get(k, "").strip()}


@workflow.route("/dashboard/ringkasan", methods=["GET"])
def summary():
    """Dasbor: the user's queue by state, what is overdue, and for the
    Walidata the per-OPD timeliness report."""
    _require_login()
    items = _with_links(_action("satudata_workflow_queue", {}))
    by_state: dict[str, dict] = {}
    for item in items:
        entry = by_state.setdefault(item["state"], {
            "state": item["state"], "label": item["state_label"], "count": 0, "overdue": 0})
        entry["count"] += 1
        entry["overdue"] += item["overdue"]
    asked, evidence_asked = _report_request(), _epss_request()
    report, report_errors = _report_on_page("satudata_timeliness_report", asked)
    evidence, evidence_errors = _report_on_page("satudata_epss_report", _epss_params(evidence_asked))
    indah = _action("satudata_indah_overview", {}) if _can("satudata_indah_overview") else None
    may_report = report is not None or bool(report_errors)
    may_evidence = evidence is not None or bool(evidence_errors)
    organizations = (tk.get_action("organization_list")(_context(), {"all_fields": True})
                     if may_report or may_evidence else [])
    return tk.render("satudata/dashboard_summary.html", {
        "items": items, "by_state": list(by_state.values()), "requests": _open_requests(),
        "daftars": _daftars_to_watch(),
        "overdue": [i for i in items if i["overdue"]],
        "report": report, "report_errors": report_errors, "asked": asked,
        "may_report": may_report, "missing_cuti_bersama": _missing_cuti_bersama() if may_report else [],
        "evidence": evidence, "evidence_errors": evidence_errors, "evidence_asked": evidence_asked,
        "may_evidence": may_evidence, "indah": indah,
        "organizations": organizations, "user_dict": _user_dict()})


def _missing_cuti_bersama() -> list[int]:
    """This year and the coming one, where the calendar knows no cuti bersama (the Walidata
    keeps the due dates right by configuring them before the year starts)."""
    cal = calendar.WorkCalendar.from_config(tk.config)
    year = cal.to_office_time(calendar.now()).year
    return cal.years_without_cuti_bersama([year, year + 1])


@workflow.route("/dashboard/ringkasan/ketepatan-waktu.csv", methods=["GET"])
def timeliness_csv():
    """The per-OPD timeliness report as CSV (for the EPSS evaluation)."""
    report = _report_or_abort("satudata_timeliness_report", _report_request())
    out = io.StringIO()
    csv.writer(out).writerows(safe_row(row) for row in report_logic.table_rows(report))
    filename = f"ketepatan-waktu-{report['date_from']}-{report['date_to']}.csv"
    # BOM: spreadsheet programs then read the OPD names as UTF-8.
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


# The EPSS section's own query names on the Dasbor (the timeliness form above
# it has organization/date_from/date_to), mapped to the action's.
_EPSS_ARGS = {"epss_organization": "organization", "epss_year": "year",
              "epss_quarter": "quarter", "epss_from": "date_from", "epss_to": "date_to"}


def _epss_request() -> dict[str, str]:
    return {k: request.args.get(k, "").strip() for k in _EPSS_ARGS
            if request.args.get(k, "").strip()}


def _epss_params(asked: dict[str, str]) -> dict[str, str]:
    return {_EPSS_ARGS[k]: v for k, v in asked.items()}


def _report_on_page(action: str, params: dict) -> tuple[dict | None, dict]:
    """A Dasbor report and its input errors (shown beside the form that asked for it);
    (None, {}) for a user the report is not for."""
    if not _can(action):
        return None, {}
    try:
        return _action(action, params), {}
    except tk.ValidationError as e:
        return None, e.error_dict
    except tk.ObjectNotFound as e:
        return None, {"organization": [str(e) or _("Organization not found")]}


def _report_or_abort(action: str, params: dict) -> dict:
    """A report for a download: its refusals as HTTP errors (there is no page to show them on)."""
    _require_login()
    try:
        return _action(action, params)
    except tk.NotAuthorized as e:
        tk.abort(403, str(e))
    except tk.ValidationError as e:
        tk.abort(400, "; ".join(m for ms in e.error_dict.values() for m in ms))
    except tk.ObjectNotFound as e:
        tk.abort(404, str(e))


def _epss_or_abort() -> dict:
    return _report_or_abort("satudata_epss_report", _epss_params(_epss_request()))


def _epss_filename(evidence: dict, extension: str) -> str:
    return f"epss-{evidence['date_from']}-{evidence['date_to']}.{extension}"


@workflow.route("/dashboard/ringkasan/epss.csv", methods=["GET"])
def epss_csv():
    """The EPSS evidence per OPD as CSV (BOM: spreadsheet programs read UTF-8)."""
    evidence = _epss_or_abort()
    out = io.StringIO()
    csv.writer(out).writerows(safe_row(row) for row in epss_logic.table_rows(evidence))
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{_epss_filename(evidence, "csv")}"'})


@workflow.route("/dashboard/ringkasan/epss.xlsx", methods=["GET"])
def epss_xlsx():
    """The EPSS evidence per OPD as an XLSX workbook (numbers as numbers, text
    that would run as a formula quoted)."""
    import openpyxl

    evidence = _epss_or_abort()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("EPSS")
    for row in epss_logic.table_rows(evidence):
        sheet.append(safe_row(row))
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(), mimetype=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), headers={
        "Content-Disposition": f'attachment; filename="{_epss_filename(evidence, "xlsx")}"'})


@workflow.route("/dashboard/notifikasi", methods=["GET"])
def notifications():
    _require_login()
    unread_only = request.args.get("unread") == "1"
    page = max(tk.h.get_page_number(request.args), 1)
    per_page = 25
    found = _action("satudata_notification_list", {
        "unread_only": unread_only, "limit": per_page, "offset": (page - 1) * per_page})
    for notice in found["results"]:
        if notice["package_name"]:
            notice["url"] = tk.h.url_for(f"{notice['package_type'] or 'dataset'}.read",
                                         id=notice["package_name"])
    return tk.render("satudata/dashboard_notifications.html", {
        "found": found, "unread_only": unread_only, "page": page,
        "has_next": page * per_page < found["count"], "user_dict": _user_dict()})


@workflow.route("/dashboard/notifikasi", methods=["POST"])
def mark_read():
    _require_login()
    data: dict[str, Any] = {"all": True} if request.form.get("all") else {
        "ids": request.form.getlist("id")}
    try:
        done = _action("satudata_notification_mark_read", data)
    except tk.ValidationError as e:
        tk.h.flash_error("; ".join(m for ms in e.error_dict.values() for m in ms))
    else:
        tk.h.flash_success(tk.ungettext("{n} notification marked as read",
                                        "{n} notifications marked as read",
                                        done["updated"]).format(n=done["updated"]))
    return tk.redirect_to("satudata_workflow.notifications")
