"""Auth functions of ckanext-satudata (registered by tk.blanket.auth_functions)."""
import ckan.plugins.toolkit as tk

import ckan.authz as authz
import ckan.model as model

from ckanext.satudata.model import DaftarDataSektoral, DaftarEntry, DataRequest
from ckanext.satudata.indah import auth as indah_auth
from ckanext.satudata.excel import auth as excel_auth
from ckanext.satudata.documents import auth as documents_auth
from ckanext.satudata.security.identity import package_show  # noqa: F401 (registered through __all__)
from ckanext.satudata.workflow import data_request, editing, revision, roles, service

__all__ = [
    "satudata_wilayah_search",
    "satudata_dataset_link_search",
    "satudata_workflow_transition",
    "satudata_workflow_show",
    "satudata_workflow_history",
    "satudata_workflow_queue",
    "satudata_timeliness_report",
    "satudata_epss_report",
    "satudata_jabatan_list",
    "satudata_jabatan_set",
    "satudata_notification_list",
    "satudata_notification_mark_read",
    "satudata_tombstone_show",
    "satudata_tombstone_list",
    "satudata_revision_create",
    "satudata_revision_discard",
    "satudata_workflow_bulk_transition",
    "satudata_request_create",
    "satudata_request_show",
    "satudata_request_list",
    "satudata_request_update",
    "satudata_request_cancel",
    "satudata_request_fulfil",
    "satudata_request_start",
    "satudata_request_report",
    "satudata_daftar_create",
    "satudata_daftar_show",
    "satudata_daftar_list",
    "satudata_daftar_update",
    "satudata_daftar_entry_add",
    "satudata_daftar_entry_update",
    "satudata_daftar_entry_delete",
    "satudata_daftar_send",
    "satudata_daftar_letter",
    "satudata_schema_infer",
    "satudata_resource_data_read",
    "package_show",
]


@tk.auth_allow_anonymous_access
def satudata_wilayah_search(context, data_dict):
    """Region codes are public reference data."""
    return {"success": True}


def satudata_dataset_link_search(context, data_dict):
    """Those who may link datasets: a logged-in user (the search itself shows
    each only what they may read)."""
    if not context.get("user"):
        return {"success": False, "msg": tk._("Log in to link datasets")}
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


def satudata_jabatan_list(context, data_dict):
    """The positions of an office's members: for its members and sysadmins."""
    user = model.User.get(context.get("user") or "")
    group = model.Group.get((data_dict or {}).get("organization") or "")
    if user and group and (user.sysadmin or roles.capacity(user, group.id)):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the organization's members see its positions")}


def satudata_jabatan_set(context, data_dict):
    """Positions are given by the office's admin (and sysadmins)."""
    user = model.User.get(context.get("user") or "")
    group = model.Group.get((data_dict or {}).get("organization") or "")
    if user and group and (user.sysadmin or roles.capacity(user, group.id) == "admin"):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the organization's admin gives positions")}


def satudata_timeliness_report(context, data_dict):
    """The per-OPD timeliness report: for the Walidata (any member of its
    organization, every internal level) and sysadmins."""
    user = model.User.get(context.get("user") or "")
    if user and (user.sysadmin or roles.capacity(
            user, tk.config.get("ckanext.satudata.walidata_organization"))):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the Walidata sees the timeliness report")}


def satudata_epss_report(context, data_dict):
    """The EPSS evidence: the Walidata files it (any member of its organization)
    and sysadmins; not the OPDs, and not BPS, which receives the evaluation."""
    user = model.User.get(context.get("user") or "")
    if user and (user.sysadmin or roles.capacity(
            user, tk.config.get("ckanext.satudata.walidata_organization"))):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the Walidata sees the EPSS evidence")}


def satudata_notification_list(context, data_dict):
    """Everyone logged in sees their own notifications (the action reads only those)."""
    if not context.get("user"):
        return {"success": False, "msg": tk._("Log in to see your notifications")}
    return {"success": True}


def satudata_notification_mark_read(context, data_dict):
    """Everyone logged in marks their own notifications (the action touches only those)."""
    return satudata_notification_list(context, data_dict)


@tk.auth_allow_anonymous_access
def satudata_tombstone_show(context, data_dict):
    """A tombstone is public by design: downstream copies must learn of the withdrawal."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_tombstone_list(context, data_dict):
    return {"success": True}


def _may_revise(context, pkg, message):
    user = model.User.get(context.get("user") or "")
    workflow = service.workflow_of(pkg) if pkg else None
    if not (pkg and user and workflow
            and roles.roles_of(user, workflow, pkg.owner_org) & revision.reviser_roles(workflow)):
        return {"success": False, "msg": message}
    return {"success": True}


# Sysadmins too: a revision is a step of the process, which has no shortcut for them.
@tk.auth_sysadmins_check
def satudata_revision_create(context, data_dict):
    """The producer (its OPD) and the publisher (Walidata) of the dataset."""
    return _may_revise(context, model.Package.get(data_dict.get("id") or ""),
                       tk._("Only the dataset's producer or the Walidata may revise it"))


@tk.auth_sysadmins_check
def satudata_revision_discard(context, data_dict):
    """Those who may start a revision may drop it."""
    pkg = model.Package.get(data_dict.get("id") or "")
    record = revision.record_of(pkg) if pkg else None
    if record is not None:
        pkg = model.Package.get(record.package_id)
    return _may_revise(context, pkg,
                       tk._("Only the dataset's producer or the Walidata may discard its revision"))


def _user(context):
    return model.User.get(context.get("user") or "")


def _walidata_only(context, dataset_type="dataset"):
    if data_request.is_walidata(_user(context), dataset_type or "dataset"):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the Walidata manages data requests")}


def _request_of(data_dict):
    return model.Session.get(DataRequest, data_dict.get("id") or "")


@tk.auth_sysadmins_check
def satudata_request_create(context, data_dict):
    """The Walidata asks; a sysadmin is no shortcut around the process."""
    return _walidata_only(context, data_dict.get("dataset_type"))


def satudata_request_show(context, data_dict):
    """The Walidata, and members of the requested OPD."""
    user, found = _user(context), _request_of(data_dict)
    if found is not None and (data_request.is_walidata(user, found.dataset_type)
                              or data_request.is_member(user, found.organization_id)):
        return {"success": True}
    return {"success": False, "msg": tk._("Not a data request of your organization")}


def satudata_request_list(context, data_dict):
    """Any logged-in user: the action lists only what the caller may see."""
    if not context.get("user"):
        return {"success": False, "msg": tk._("Log in to see data requests")}
    return {"success": True}


@tk.auth_sysadmins_check
def satudata_request_update(context, data_dict):
    found = _request_of(data_dict)
    return _walidata_only(context, found.dataset_type if found else "dataset")


@tk.auth_sysadmins_check
def satudata_request_cancel(context, data_dict):
    found = _request_of(data_dict)
    return _walidata_only(context, found.dataset_type if found else "dataset")


@tk.auth_sysadmins_check
def satudata_request_fulfil(context, data_dict):
    """A producer of the requested OPD, or the Walidata on its behalf."""
    user, found = _user(context), _request_of(data_dict)
    if found is not None and (data_request.is_producer(user, found)
                              or data_request.is_walidata(user, found.dataset_type)):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the requested organization delivers")}


@tk.auth_sysadmins_check
def satudata_request_start(context, data_dict):
    """A producer of the requested OPD who may create its datasets starts one
    from the request (the Walidata cannot: the dataset is the OPD's)."""
    user, found = _user(context), _request_of(data_dict)
    if found is None or not data_request.is_producer(user, found):
        return {"success": False, "msg": tk._("Only the requested organization delivers")}
    return {"success": tk.check_access("package_create", dict(context), {
        "owner_org": found.organization_id, "type": found.dataset_type})}


def satudata_request_report(context, data_dict):
    return _walidata_only(context)


# ---------------------------------------------------------------- Daftar Data Sektoral


def _walidata_drafts(context):
    """Only the Walidata (its capacities, as data_request.is_walidata decides) drafts,
    changes and sends a daftar; a sysadmin is no shortcut around the process."""
    if data_request.is_walidata(_user(context)):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the Walidata drafts the Daftar Data Sektoral")}


@tk.auth_sysadmins_check
def satudata_daftar_create(context, data_dict):
    return _walidata_drafts(context)


@tk.auth_sysadmins_check
def satudata_daftar_update(context, data_dict):
    return _walidata_drafts(context)


@tk.auth_sysadmins_check
def satudata_daftar_send(context, data_dict):
    return _walidata_drafts(context)


@tk.auth_sysadmins_check
def satudata_daftar_entry_add(context, data_dict):
    return _walidata_drafts(context)


@tk.auth_sysadmins_check
def satudata_daftar_entry_update(context, data_dict):
    return _walidata_drafts(context)


@tk.auth_sysadmins_check
def satudata_daftar_entry_delete(context, data_dict):
    return _walidata_drafts(context)


def satudata_daftar_list(context, data_dict):
    """Logged-in users: the Walidata lists every daftar, an OPD's member the sent ones
    asking its OPD (the action lists only those)."""
    if not context.get("user"):
        return {"success": False, "msg": tk._("Log in to see the Daftar Data Sektoral")}
    return {"success": True}


def satudata_daftar_show(context, data_dict):
    """The Walidata, any daftar; a member of an OPD, a sent daftar with an entry for
    its OPD (the action shows it only that OPD's entries). Drafts are the Walidata's."""
    user = _user(context)
    found = model.Session.get(DaftarDataSektoral, (data_dict or {}).get("id") or "")
    if data_request.is_walidata(user):
        return {"success": True}  # a missing one is then the action's "not found"
    if user is not None and found is not None:
        if found.state == "sent" and any(
                data_request.is_member(user, org_id) for org_id, in model.Session.query(
                    DaftarEntry.organization_id).filter_by(daftar_id=found.id).distinct()):
            return {"success": True}
    return {"success": False, "msg": tk._("Not a Daftar Data Sektoral sent to your organization")}


def satudata_daftar_letter(context, data_dict):
    """The Surat Permintaan Data to one OPD: the Walidata's (a draft's too); once the
    daftar is sent, the members of that OPD read their own letter, not another's."""
    user = _user(context)
    if data_request.is_walidata(user):
        return {"success": True}
    found = model.Session.get(DaftarDataSektoral, (data_dict or {}).get("id") or "")
    org = model.Group.get((data_dict or {}).get("organization") or "")
    if (user is not None and found is not None and org is not None and found.state == "sent"
            and data_request.is_member(user, org.id)):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the Walidata and the addressed OPD read this letter")}


def satudata_workflow_bulk_transition(context, data_dict):
    """Logged-in users; each dataset is then checked as a single transition is."""
    if not context.get("user"):
        return {"success": False, "msg": tk._("Log in to act on a dataset")}
    return {"success": True}


def satudata_schema_infer(context, data_dict):
    """Those who may edit the resource (its OPD's producers) may have its schema guessed."""
    return {"success": tk.check_access("resource_update", context,
                                       {"id": data_dict.get("resource_id")})}


RESTRICTED = "TERBATAS"


@tk.auth_allow_anonymous_access
def satudata_resource_data_read(context, data_dict):
    """Read a resource's data: its file (CKAN's download), conversions, preview,
    chart data and the DCAT distribution's download URL.

    Whoever may read the resource may read its data, unless the dataset's
    ``akses`` is restricted (TERBATAS): then its metadata stays public and
    only those who may edit the dataset read the data.

    :param id: the resource id
    """
    resource = model.Resource.get(data_dict.get("id") or "")
    if resource is None or resource.package is None:
        return {"success": False, "msg": tk._("Resource not found")}
    try:
        tk.check_access("resource_show", dict(context), {"id": resource.id})
    except tk.NotAuthorized as e:
        return {"success": False, "msg": str(e)}
    if resource.package.extras.get("akses") != RESTRICTED:
        return {"success": True}
    # Membership, not "may edit": the producer keeps reading its restricted data
    # in states where the workflow no longer lets it edit (published, approved).
    user = context.get("user")
    if authz.is_sysadmin(user) or (resource.package.owner_org and authz.has_user_permission_for_group_or_org(
            resource.package.owner_org, user, "read")):
        return {"success": True}
    return {"success": False,
            "msg": tk._("The data of this dataset is restricted; only its metadata is public")}


# ---------------------------------------------------------------- dataset changes
# CKAN's own auth functions through which every change of a dataset passes (the
# others delegate to these: package_patch, package_revise, package_relationship_*,
# resource_patch, resource_view_*, the default views…). For a dataset with a workflow
# the workflow engine decides (workflow/editing.py), instead of CKAN's "editor of the
# organization": who edits follows from the state.


def _package_of(context, data_dict):
    return model.Package.get(data_dict.get("id") or data_dict.get("name") or "")


def _package_of_resource(context, data_dict):
    resource = model.Resource.get(data_dict.get("id") or "")
    if resource is None and data_dict.get("package_id"):
        return model.Package.get(data_dict["package_id"])
    return model.Package.get(resource.package_id) if resource is not None else None


def _new_resource_package(context, data_dict):
    if data_dict.get("package_id"):
        return model.Package.get(data_dict["package_id"])
    return _package_of_resource(context, data_dict)  # resource_view_create: {id: resource}


def _moves(pkg, data_dict) -> bool:
    """True if DATA_DICT names another organization than PKG's."""
    wanted = data_dict.get("owner_org")
    if not wanted or pkg.owner_org in (None, ""):
        return False
    group = model.Group.get(wanted)
    return group is None or group.id != pkg.owner_org


def _decided(next_auth, context, data_dict, pkg, kind):
    decision = editing.decide(pkg, _user(context), kind)
    if decision is None:
        return next_auth(context, data_dict)
    return decision.as_auth()


def _subject_package(context, data_dict):
    return model.Package.get(data_dict.get("subject") or "")


def _dataset_change(name, find, kind, and_ckan=False):
    """AND_CKAN: also CKAN's own rule (a relationship: CKAN asks package_update of its
    object too, which comes back here); else the engine's decision replaces it."""
    @tk.chained_auth_function
    def auth(next_auth, context, data_dict):
        pkg = find(context, data_dict or {})
        if kind == "edit" and pkg is not None and _moves(pkg, data_dict or {}):
            return _decided(next_auth, context, data_dict, pkg, "move")
        result = _decided(next_auth, context, data_dict, pkg, kind)
        if and_ckan and result.get("success") and editing.decide(pkg, _user(context)):
            return next_auth(context, data_dict)
        return result
    auth.__name__ = auth.__qualname__ = name
    auth.__doc__ = f"For a workflow dataset: {kind} as its state allows (workflow/editing.py)."
    return auth


def _bulk_change(name, kind):
    @tk.chained_auth_function
    def auth(next_auth, context, data_dict):
        for dataset in (data_dict or {}).get("datasets") or []:
            decision = editing.decide(model.Package.get(dataset), _user(context), kind)
            if decision is not None and not decision.allowed:
                return decision.as_auth()
        return next_auth(context, data_dict)
    auth.__name__ = auth.__qualname__ = name
    auth.__doc__ = f"Each workflow dataset of the batch: {kind} as its state allows."
    return auth


_DATASET_CHANGES = {
    "package_update": (_package_of, "edit"),
    "resource_create": (_new_resource_package, "edit"),
    "resource_update": (_package_of_resource, "edit"),
    "resource_delete": (_package_of_resource, "edit"),
    "package_delete": (_package_of, "delete"),
    "package_owner_org_update": (_package_of, "move"),
    "package_collaborator_create": (_package_of, "visibility"),
    "package_collaborator_delete": (_package_of, "visibility"),
}
_BULK_CHANGES = {
    "bulk_update_public": "visibility",
    "bulk_update_private": "visibility",
    "bulk_update_delete": "delete",
}
globals().update({name: _dataset_change(name, find, kind)
                  for name, (find, kind) in _DATASET_CHANGES.items()})
# Its message names the subject's state; CKAN's then checks the object too.
package_relationship_create = _dataset_change("package_relationship_create", _subject_package,
                                              "edit", and_ckan=True)
__all__.append("package_relationship_create")
globals().update({name: _bulk_change(name, kind) for name, kind in _BULK_CHANGES.items()})
__all__ += list(_DATASET_CHANGES) + list(_BULK_CHANGES)


@tk.chained_auth_function
def package_collaborator_list(next_auth, context, data_dict):
    """Logged-in users only (CKAN's asserts a user and answered anonymous with a 500);
    then CKAN's rule (organization admins)."""
    if _user(context) is None or _package_of(context, data_dict or {}) is None:
        return {"success": False, "msg": tk._("Log in as an administrator of the dataset's "
                                              "organization to see its collaborators")}
    return next_auth(context, data_dict)


__all__.append("package_collaborator_list")

globals().update((name, getattr(indah_auth, name)) for name in indah_auth.__all__)
__all__ += indah_auth.__all__
globals().update((name, getattr(excel_auth, name)) for name in excel_auth.__all__)
__all__ += excel_auth.__all__
globals().update((name, getattr(documents_auth, name)) for name in documents_auth.__all__)
__all__ += documents_auth.__all__
