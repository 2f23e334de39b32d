"""Who hears of a transition: in-app notices now, e-mail through the RQ worker.

The notices are written in the transition's transaction; the e-mails are
sent afterwards by a background job, so a mail server that is down never
blocks or undoes a transition.
"""
from __future__ import annotations

import logging

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import mailer

from ckanext.satudata import lang
from ckanext.satudata.model import Notification, WorkflowEvent
from ckanext.satudata.public import formatting
from ckanext.satudata.workflow import memo, roles

log = logging.getLogger(__name__)
_ = tk._

# After these the producer hears back, whatever the next holder is.
_TELL_PRODUCER = {"return", "approve", "publish", "reject", "withdraw"}


def _members(workflow, role_name: str, owner_org: str | None) -> list[model.User]:
    # The same stage holders for each dataset of a bulk step (memo.py).
    return memo.remembered(("holders", workflow.name, id(workflow), role_name, owner_org),
                           lambda: _members_now(workflow, role_name, owner_org))


def _members_now(workflow, role_name: str, owner_org: str | None) -> list[model.User]:
    role = workflow.roles[role_name]
    organization = roles.organization_of(role, owner_org)
    if role.jabatan:
        named = roles.jabatan_holders(organization).get(role.jabatan)
        if named:  # the holders of the jabatan, while still members
            return [u for u in members(organization, ("member", "editor", "admin"))
                    if u.id in named]
    return members(organization, role.capacities)


def members(organization: str | None, capacities) -> list[model.User]:
    """Active users of ORGANIZATION (id or name) with one of CAPACITIES."""
    group = model.Group.get(organization or "")
    if group is None:
        return []
    return (model.Session.query(model.User)
            .join(model.Member, model.Member.table_id == model.User.id)
            .filter(model.Member.group_id == group.id, model.Member.table_name == "user",
                    model.Member.state == "active", model.Member.capacity.in_(capacities),
                    model.User.state == "active")
            .all())


def tell(users, subject: str, body: str, package_id: str | None = None) -> list[Notification]:
    """In-app notices to USERS outside a transition (e-mail them with send_later).

    Write SUBJECT and BODY inside ``lang.portal_language()``: they are stored.
    """
    site_user = tk.config.get("ckan.site_id")
    notices = [Notification(user_id=u.id, package_id=package_id, subject=subject, body=body)
               for u in {u.id: u for u in users if u.name != site_user}.values()]
    model.Session.add_all(notices)
    return notices


def _submitter(pkg: model.Package) -> model.User | None:
    event = (model.Session.query(WorkflowEvent)
             .filter_by(package_id=pkg.id, action="submit")
             .order_by(WorkflowEvent.timestamp.desc()).first())
    return model.User.get(event.user_id) if event else None


def recipients(pkg: model.Package, workflow, event: WorkflowEvent) -> list[model.User]:
    target = workflow.state(event.to_state)
    users = _members(workflow, target.holder, pkg.owner_org) if target.holder else []
    if event.action in _TELL_PRODUCER:
        users.append(_submitter(pkg) or model.User.get(pkg.creator_user_id))
    site_user = tk.config.get("ckan.site_id")
    unique = {u.id: u for u in users
              if u is not None and u.id != event.user_id and u.name != site_user}
    return list(unique.values())


def action_text(workflow, event: WorkflowEvent) -> str:
    """The step as people read it: its transition's label (the action id if unknown)."""
    step = next((t for t in workflow.transitions_from(event.from_state)
                 if t.action == event.action and t.to == event.to_state), None)
    label = step.label if step else workflow.action_label(event.action)
    return lang.text(label) if label else event.action


def record(pkg: model.Package, workflow, event: WorkflowEvent) -> list[Notification]:
    with lang.portal_language():  # stored and mailed: not in the language of this request
        state = lang.text(workflow.state(event.to_state).label)
        subject = _("[Satu Data] {title}: {state}").format(title=pkg.title or pkg.name,
                                                          state=state)
        body = _("{title} is now {state} (action: {action}).").format(
            title=pkg.title or pkg.name, state=state, action=action_text(workflow, event))
        if event.comment:
            body += "\n\n" + _("Note: {comment}").format(comment=event.comment)
        if event.due:
            body += "\n" + _("Due: {due}").format(due=formatting.datetime(event.due))
    notices = [Notification(user_id=user.id, package_id=pkg.id, event_id=event.id,
                            subject=subject, body=body)
               for user in recipients(pkg, workflow, event)]
    model.Session.add_all(notices)
    return notices


def send_later(notices: list[Notification]) -> None:
    if not notices:
        return
    try:
        tk.enqueue_job(send_emails, [[n.id for n in notices]], title="satudata notifications")
    except Exception:  # Redis down must not turn a done transition into an error
        log.exception("Could not queue notification e-mails")


def send_emails(notification_ids: list[str]) -> int:
    """RQ job: e-mail the notices; returns how many were sent.

    A portal without a sender address (``smtp.mail_from``, as ``make run``
    starts it) sends none: the notices stay on the dashboard, and the job ends
    instead of failing on the first one."""
    if not tk.config.get("smtp.mail_from"):
        log.warning("smtp.mail_from is not set: %d notices not e-mailed", len(notification_ids))
        return 0
    sent = 0
    for notice in model.Session.query(Notification).filter(Notification.id.in_(notification_ids)):
        user = model.User.get(notice.user_id)
        if not user or not user.email:
            continue
        try:
            mailer.mail_user(user, notice.subject, notice.body)
            sent += 1
        except mailer.MailerException:
            log.exception("Could not e-mail %s about %s", user.name, notice.package_id)
    return sent
