"""The caller's in-app notifications (written by workflow/notify.py)."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate

from ckanext.satudata.logic import schema
from ckanext.satudata.model import Notification


def _mine(context):
    user = model.User.get(context["user"])
    return model.Session.query(Notification).filter(Notification.user_id == user.id)


def _notice_dict(notice: Notification) -> dict[str, Any]:
    pkg = model.Package.get(notice.package_id) if notice.package_id else None
    return {
        "id": notice.id,
        "package_id": notice.package_id,
        "package_name": pkg.name if pkg else None,
        "package_type": pkg.type if pkg else None,
        "package_title": (pkg.title or pkg.name) if pkg else None,
        "subject": notice.subject,
        "body": notice.body,
        "created": notice.created.isoformat(),
        "read": notice.read,
    }


@tk.side_effect_free
@validate(schema.notification_list)
def satudata_notification_list(context, data_dict) -> dict[str, Any]:
    """The caller's notifications, newest first.

    :param unread_only: only the unread ones (default false)
    :type unread_only: bool
    :param limit: at most this many (default 50)
    :type limit: int
    :param offset: skip this many (default 0)
    :type offset: int
    :returns: ``{count, unread, results: [{id, package_id, package_name,
        package_type, package_title, subject, body, created, read}]}``
    :rtype: dict
    """
    tk.check_access("satudata_notification_list", context, data_dict)
    query = _mine(context)
    unread = query.filter(Notification.read.is_(False)).count()
    if data_dict.get("unread_only"):
        query = query.filter(Notification.read.is_(False))
    count = query.count()
    rows = (query.order_by(Notification.created.desc(), Notification.id)
            .offset(data_dict.get("offset", 0)).limit(data_dict.get("limit", 50)).all())
    return {"count": count, "unread": unread, "results": [_notice_dict(n) for n in rows]}


@validate(schema.notification_mark_read)
def satudata_notification_mark_read(context, data_dict) -> dict[str, int]:
    """Mark some or all of the caller's notifications as read.

    Ids of other users' notifications are ignored, never an error that would
    tell they exist.

    :param ids: the notifications to mark (list of ids)
    :type ids: list
    :param all: mark every notification of the caller instead
    :type all: bool
    :returns: ``{updated: n, unread: n}``
    :rtype: dict
    """
    tk.check_access("satudata_notification_mark_read", context, data_dict)
    if not data_dict.get("all") and not data_dict.get("ids"):
        raise tk.ValidationError({"ids": [tk._("Choose the notifications to mark as read")]})
    query = _mine(context).filter(Notification.read.is_(False))
    if not data_dict.get("all"):
        query = query.filter(Notification.id.in_(data_dict["ids"]))
    updated = query.update({Notification.read: True}, synchronize_session=False)
    model.repo.commit()
    unread = _mine(context).filter(Notification.read.is_(False)).count()
    return {"updated": updated, "unread": unread}
