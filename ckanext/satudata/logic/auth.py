"""Auth functions of ckanext-satudata (registered by tk.blanket.auth_functions)."""
import ckan.plugins.toolkit as tk

import ckan.model as model

from ckanext.satudata.workflow import roles, service

__all__ = [
    "satudata_wilayah_search",
    "satudata_workflow_transition",
    "satudata_workflow_show",
    "satudata_workflow_history",
    "satudata_workflow_queue",
    "satudata_timeliness_report",
    "satudata_notification_list",
    "satudata_notification_mark_read",
]


@tk.auth_allow_anonymous_access
def satudata_wilayah_search(context, data_dict):
    """Region codes are public reference data."""
    return {"success": True}


def satudata_workflow_transition(context, data_dict):
    """Logged-in users who can see the dataset; the role check is the action's."""
    if not context.get("user"):
        return {"success": False, "msg": tk._("Log in to act on a dataset")}
    return tk.check_access("package_show", context, {"id": data_dict.get("id")}) and {"success": True}


@tk.auth_allow_anonymous_access
def satudata_workflow_show(context, data_dict):
    """Whoever can see the dataset sees its state (the public: published ones only)."""
    return {"success": tk.check_access("package_show", context, {"id": data_dict.get("id")})}


def satudata_workflow_history(context, data_dict):
    """The audit trail and its comments: for those who take part in the workflow."""
    pkg = model.Package.get(data_dict.get("id") or "")
    user = model.User.get(context.get("user") or "")
    workflow = service.workflow_of(pkg) if pkg else None
    if not (pkg and user and workflow and roles.roles_of(user, workflow, pkg.owner_org)):
        return {"success": False, "msg": tk._("Only the workflow's participants see its history")}
    return {"success": True}


def satudata_workflow_queue(context, data_dict):
    if not context.get("user"):
        return {"success": False, "msg": tk._("Log in to see your queue")}
    return {"success": True}


def satudata_timeliness_report(context, data_dict):
    """The per-OPD timeliness report: for the Walidata (any member of its
    organization, every internal level) and sysadmins."""
    user = model.User.get(context.get("user") or "")
    if user and (user.sysadmin or roles.capacity(
            user, tk.config.get("ckanext.satudata.walidata_organization"))):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the Walidata sees the timeliness report")}


def satudata_notification_list(context, data_dict):
    """Everyone logged in sees their own notifications (the action reads only those)."""
    if not context.get("user"):
        return {"success": False, "msg": tk._("Log in to see your notifications")}
    return {"success": True}


def satudata_notification_mark_read(context, data_dict):
    """Everyone logged in marks their own notifications (the action touches only those)."""
    return satudata_notification_list(context, data_dict)
