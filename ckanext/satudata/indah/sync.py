"""Reporting kegiatan to BPS's INDAH, and following what BPS decides there.

- A workflow step marked ``indah: report`` (workflows/*.yaml) queues :func:`push`
  for a kegiatan when ``ckanext.satudata.indah.url`` is set. The job sends the
  MS-Keg, then its MS-Var and MS-Ind (as the Walidata who reported it may read
  them), keeps INDAH's ids and status on the kegiatan (model.IndahSync), and
  tries again after ``ckanext.satudata.indah.retry_delays`` when INDAH is
  down, busy or slow; after the last try the next round of ``indah-pull``
  sends it again. A refusal (4xx) is not retried: INDAH's message is kept and
  the Walidata told; the kegiatan is corrected through the workflow (BPS
  returns it) and the next reporting step sends it again.
- :func:`pull` (``ckan satudata indah-pull``, e.g. from cron) reads INDAH's
  status and BPS's review notes; where the workflow's ``indah_statuses`` says
  so and the kegiatan's state has that step, the step is taken, as the
  account named by ``ckanext.satudata.indah.user`` (a Pembina member), with
  BPS's notes as its reason.
"""
from __future__ import annotations

import logging
import time
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata import lang
from ckanext.satudata.indah import auth as indah_auth, client, payload
from ckanext.satudata.model import IndahSync, utcnow
from ckanext.satudata.workflow import notify, service

log = logging.getLogger(__name__)

#: The portal's own statuses, before INDAH has answered.
QUEUED, SENDING, ERROR = "QUEUED", "SENDING", "ERROR"
#: INDAH statuses after which nothing more is pulled.
FINAL = ("APPROVED", "REJECTED")
JOB_TITLE = "satudata INDAH {kind} {id}"


def row_of(package_id: str) -> IndahSync | None:
    return model.Session.get(IndahSync, package_id)


def retry_delays() -> list[float]:
    return [float(d) for d in str(tk.config.get("ckanext.satudata.indah.retry_delays")).split()]


def on_committed(pkg: model.Package, step, user: model.User, applied=None, **_) -> None:
    """A committed workflow step (signals.committed); one that took a revision over
    reports nothing. The step is done whatever happens here: the report's row says
    what went wrong."""
    if applied is not None:
        return
    try:
        after_step(pkg, step, user)
    except Exception:
        log.exception("Could not queue the INDAH report of %s", pkg.id)
        model.Session.rollback()


def after_step(pkg: model.Package, step, user: model.User) -> None:
    """Called after every committed workflow step: a reporting step of a kegiatan queues its push."""
    if getattr(step, "indah", "") != "report" or pkg.type != "kegiatan" or not client.configured():
        return
    queue_push(pkg.id, user.name)


def queue_push(package_id: str, user_name: str) -> IndahSync:
    row = row_of(package_id) or IndahSync(package_id=package_id, children={}, notes=[])
    row.status, row.error, row.retryable, row.attempts = QUEUED, None, False, 0
    row.queued, row.reported_by = utcnow(), user_name
    model.Session.add(row)
    model.Session.commit()
    delays = retry_delays()
    timeout = int(sum(delays) + (len(delays) + 1) * 4 * float(
        tk.config.get("ckanext.satudata.indah.timeout")) + 60)
    try:
        tk.enqueue_job(push, [package_id], title=JOB_TITLE.format(kind="push", id=package_id),
                       rq_kwargs={"timeout": timeout})
    except Exception:  # Redis down: the step is done, the report is not
        log.exception("Could not queue the INDAH report of %s", package_id)
        _fail(row, tk._("The report to INDAH could not be queued; report again later"))
    return row




def _set_children(row: IndahSync, key: str, indah_id: Any) -> None:
    row.children = dict(row.children or {}, **{key: str(indah_id)})  # a new dict: JSONB sees it


def _send(bundle: dict, row: IndahSync) -> str:
    answer = client.send("kegiatan", dict(bundle["kegiatan"], base_id=row.indah_id), row.indah_id)
    if answer.get("id") in (None, ""):
        raise client.IndahError(tk._("INDAH answered without an id"), retryable=False)
    row.indah_id = str(answer["id"])
    status = str(answer.get("status") or "SUBMITTED")
    model.Session.commit()
    sources = bundle.get("sources") or {}
    for kind in ("variabel", "indikator"):
        for body, source in zip(bundle[kind], sources.get(kind) or []):
            key = (f"variabel:{source['resource']}:{source['column']}" if kind == "variabel"
                   else f"indikator:{source}")
            child = client.send(kind, dict(body, ms_keg_id=row.indah_id),
                                (row.children or {}).get(key))
            if child.get("id") not in (None, ""):
                _set_children(row, key, child["id"])
            model.Session.commit()  # a retry updates what was sent instead of adding copies
    return status


@lang.in_portal_language  # what it stores (errors, notices) is read in the portal
def push(package_id: str) -> str:
    """RQ job: send the kegiatan to INDAH; returns the status it ends with."""
    row = row_of(package_id)
    if row is None or model.Package.get(package_id) is None:
        return "gone"
    # The reporting step was authorised; the reporter may have lost sight of the
    # kegiatan by taking it (it now waits for BPS), so it is read as the system.
    bundle = payload.collect({"ignore_auth": True}, package_id, row.indah_id,
                             include=indah_auth.reported_with)
    if bundle["problems"]:
        return _fail(row, tk._(
            "Not sent: the payload has {count} problem(s) INDAH would refuse; see the list on "
            "the kegiatan's page").format(count=len(bundle["problems"])))
    delays = retry_delays()
    for attempt in range(len(delays) + 1):
        row.attempts, row.status = attempt + 1, SENDING
        model.Session.commit()
        try:
            status = _send(bundle, row)
        except client.IndahError as e:
            row.error = e.message
            log.warning("INDAH report of %s, attempt %s: %s", package_id, attempt + 1, e.message)
            if not e.retryable or attempt == len(delays):
                return _fail(row, e.message, e.retryable)
            model.Session.commit()
            time.sleep(delays[attempt])
            continue
        row.status, row.error, row.retryable, row.synced = status, None, False, utcnow()
        model.Session.commit()
        return status
    return row.status  # not reached: the loop returns


def _walidata() -> list[model.User]:
    return notify.members(tk.config.get("ckanext.satudata.walidata_organization"),
                          ("editor", "admin"))


def _tell_walidata(package_id: str, subject: str, body: str) -> None:
    notices = notify.tell(_walidata(), subject, body, package_id)
    model.Session.commit()
    notify.send_later(notices)


def _fail(row: IndahSync, message: str, retryable: bool = False) -> str:
    row.status, row.error, row.retryable = ERROR, message, retryable
    model.Session.commit()
    pkg = model.Package.get(row.package_id)
    title = pkg.title if pkg else row.package_id
    with lang.portal_language():  # stored and mailed: not in the language of this request
        subject = tk._("[Satu Data] INDAH report failed: {title}").format(title=title)
        body = tk._("{title} was not accepted by INDAH: {message}").format(
            title=title, message=message)
    _tell_walidata(row.package_id, subject, body)
    return ERROR


# ---------------------------------------------------------------- pull


def _notes(answer: dict) -> list[dict[str, str]]:
    """BPS's review notes as INDAH returns them (GUESS of their shape: a list of
    objects with a field and a note, or texts; plus ``rejection_note``)."""
    found = []
    for review in answer.get("reviews") or []:
        if isinstance(review, dict):
            text = next((str(review[k]) for k in ("note", "catatan", "comment", "message")
                         if review.get(k)), "")
            if text:
                found.append({"field": str(review.get("field") or ""), "note": text})
        elif review:
            found.append({"field": "", "note": str(review)})
    if answer.get("rejection_note"):
        found.append({"field": "", "note": str(answer["rejection_note"])})
    return found


def _notes_text(notes: list[dict]) -> str:
    return "\n".join(f"{n['field']}: {n['note']}" if n["field"] else n["note"] for n in notes)


def queue_pulls() -> int:
    """One round (``ckan satudata indah-pull``): send again the reports INDAH was down
    for, and pull every kegiatan INDAH has not decided on yet; returns how many jobs."""
    resend = (model.Session.query(IndahSync)
              .filter(IndahSync.status == ERROR, IndahSync.retryable.is_(True)).all())
    for row in resend:
        queue_push(row.package_id, row.reported_by or "")
    rows = (model.Session.query(IndahSync)
            .filter(IndahSync.indah_id.isnot(None),
                    IndahSync.status.notin_(FINAL + (QUEUED, SENDING, ERROR))).all())
    for row in rows:
        tk.enqueue_job(pull, [row.package_id], title=JOB_TITLE.format(kind="pull", id=row.package_id))
    return len(resend) + len(rows)


@lang.in_portal_language  # what it stores (errors, notices) is read in the portal
def pull(package_id: str) -> str:
    """RQ job: read INDAH's status and notes, take the workflow step they mean."""
    row, pkg = row_of(package_id), model.Package.get(package_id)
    if row is None or not row.indah_id or pkg is None:
        return "gone"
    try:
        answer = client.fetch(row.indah_id)
    except client.IndahError as e:
        row.error = e.message  # the next round tries again; the status shown stays
        model.Session.commit()
        return row.status
    status = str(answer.get("status") or row.status)
    notes = _notes(answer)
    changed = status != row.status or notes != (row.notes or [])
    row.status, row.notes, row.synced, row.error = status, notes, utcnow(), None
    model.Session.commit()
    problem = _apply(pkg, status, notes)
    if problem:
        row.error = problem
        model.Session.commit()
    if changed:
        body = tk._("INDAH status of {title}: {status}.").format(title=pkg.title, status=status)
        if notes:
            body += "\n\n" + tk._("BPS's notes:") + "\n" + _notes_text(notes)
        _tell_walidata(pkg.id, tk._("[Satu Data] INDAH: {title} {status}").format(
            title=pkg.title, status=status), body)
    return status


def _apply(pkg: model.Package, status: str, notes: list[dict]) -> str | None:
    """Take the step the workflow maps STATUS onto, if the state has it; a message when
    it should have been taken but could not."""
    workflow = service.workflow_of(pkg)
    mapped = workflow.indah_statuses.get(status) if workflow else None
    if mapped is None:
        return None
    try:
        step = workflow.transition(service.state_id(pkg), mapped.action, mapped.to)
    except ValueError:
        step = None
    if step is None:
        return None  # already moved on (by a person, or an earlier pull)
    user = model.User.get(tk.config.get("ckanext.satudata.indah.user") or "")
    if user is None:
        return tk._("INDAH's decision was not applied: ckanext.satudata.indah.user is not set")
    comment = _notes_text(notes) or tk._("Decided by BPS in INDAH ({status})").format(status=status)
    try:
        service.transition(pkg, mapped.action, user, comment, to=mapped.to)
    except (tk.ValidationError, tk.NotAuthorized) as e:
        detail = e.error_dict if isinstance(e, tk.ValidationError) else str(e)
        return tk._("INDAH's decision could not be applied: {detail}").format(detail=detail)
    return None
