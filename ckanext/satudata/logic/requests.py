"""Actions on data requests (SOP 000 step 1). Re-exported by logic/action.py."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate

import ckan.model as model

from ckanext.satudata.logic import schema
from ckanext.satudata.model import DataRequest
from ckanext.satudata.workflow import data_request, revision, service, visibility

_ = tk._


def _request(id_: str) -> DataRequest:
    found = model.Session.get(DataRequest, id_)
    if found is None:
        raise tk.ObjectNotFound(_("Data request not found"))
    return found


def _organization(id_or_name: str) -> model.Group:
    org = model.Group.get(id_or_name)
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ValidationError({"organization": [_("No such organization (OPD)")]})
    return org


def _dataset_type(value: str) -> str:
    known = tk.h.scheming_dataset_schemas() or {"dataset": {}}
    if value not in known:
        raise tk.ValidationError({"dataset_type": [_("Unknown dataset type; one of {types}").format(
            types=", ".join(sorted(known)))]})
    return value


@validate(schema.request_create)
def satudata_request_create(context, data_dict) -> dict[str, Any]:
    """Request a dataset from an OPD (the Walidata only).

    The OPD's producers are notified (in-app and by e-mail).

    :param title: what is requested
    :type title: string
    :param description: details (optional)
    :type description: string
    :param organization: id or name of the OPD asked
    :type organization: string
    :param due_date: YYYY-MM-DD; due at the office's closing time that day (the
        next working day's if it is off). Default: the request SLA of the
        workflow of ``dataset_type`` in working days (tanjabbar: 60, SOP step 2)
    :type due_date: string
    :param dataset_type: ``dataset`` (default), ``kegiatan`` or ``indikator``
    :type dataset_type: string
    :returns: the request, as satudata_request_show returns it
    :rtype: dict
    """
    tk.check_access("satudata_request_create", context, data_dict)
    org = _organization(data_dict["organization"])
    created = data_request.create(
        model.User.get(context["user"]), data_dict["title"], data_dict.get("description", ""),
        org, _dataset_type(data_dict["dataset_type"]), data_dict.get("due_date"))
    return data_request.as_dict(created)


@tk.side_effect_free
@validate(schema.request_show)
def satudata_request_show(context, data_dict) -> dict[str, Any]:
    """One data request (the Walidata, and members of the requested OPD).

    :param id: the request's id
    :type id: string
    :returns: ``{id, title, description, organization: {id, name, title},
        dataset_type, status (open|fulfilled|cancelled), timeliness
        (pending|overdue|on_time|late|null), due, overdue, created, created_by,
        created_by_display, dataset: {id, name, title, type} | null, linked,
        fulfilled, late, cancelled, cancel_reason, history: [{action
        (create|update|link|deliver|cancel), user_id, user, timestamp, …}]}``;
        ``fulfilled`` is when the linked dataset was submitted; times ISO 8601 UTC
    :rtype: dict
    """
    tk.check_access("satudata_request_show", context, data_dict)
    return data_request.as_dict(_request(data_dict["id"]))


@tk.side_effect_free
@validate(schema.request_list)
def satudata_request_list(context, data_dict) -> dict[str, Any]:
    """Data requests, soonest due first: all for the Walidata, an OPD's own for its members.

    :param organization: only this OPD's (id or name)
    :type organization: string
    :param status: ``open``, ``fulfilled`` or ``cancelled``
    :type status: string
    :param overdue: true: only open ones past their due date; false: the others
    :type overdue: bool
    :param limit: page size (default 100, at most 1000)
    :type limit: int
    :param offset: how many to skip
    :type offset: int
    :returns: ``{"count": n, "results": [request, …]}``
    :rtype: dict
    """
    tk.check_access("satudata_request_list", context, data_dict)
    user = model.User.get(context.get("user") or "")
    orgs = None
    if user is not None and not (user.sysadmin or data_request.is_walidata(user)):
        orgs = data_request.member_organizations(user)
    if data_dict.get("organization"):
        wanted = model.Group.get(data_dict["organization"])
        wanted_id = wanted.id if wanted else ""
        orgs = [wanted_id] if orgs is None or wanted_id in orgs else []
    query = data_request.query(orgs, data_dict.get("status"), data_dict.get("overdue"))
    page = query.offset(data_dict["offset"]).limit(data_dict["limit"]).all()
    return {"count": query.count(), "results": [data_request.as_dict(r) for r in page]}


@validate(schema.request_update)
def satudata_request_update(context, data_dict) -> dict[str, Any]:
    """Change an open request's title, description, due date or dataset type (the Walidata).

    :param id: the request's id
    :param title: optional
    :param description: optional
    :param due_date: optional, YYYY-MM-DD
    :param dataset_type: optional
    :returns: the request
    :rtype: dict
    """
    tk.check_access("satudata_request_update", context, data_dict)
    found = _request(data_dict["id"])
    if "dataset_type" in data_dict:
        _dataset_type(data_dict["dataset_type"])
    return data_request.as_dict(data_request.update(found, data_dict,
                                                    model.User.get(context["user"])))


@validate(schema.request_cancel)
def satudata_request_cancel(context, data_dict) -> dict[str, Any]:
    """Cancel an open request (the Walidata), with a reason.

    :param id: the request's id
    :param reason: why it is no longer needed
    :returns: the request
    :rtype: dict
    """
    tk.check_access("satudata_request_cancel", context, data_dict)
    return data_request.as_dict(data_request.cancel(_request(data_dict["id"]),
                                                    data_dict["reason"],
                                                    model.User.get(context["user"])))


def _may_link(context, pkg: model.Package, request) -> bool:
    """The caller may read PKG and, unless the Walidata delivers on the OPD's
    behalf, edit it: what the OPD may link is what it may still work on."""
    if pkg.state == "deleted" or not visibility.readable_by(context)(pkg.id):
        return False
    if data_request.is_walidata(model.User.get(context["user"]), request.dataset_type):
        return True
    try:
        return tk.check_access("package_update", dict(context), {"id": pkg.id})
    except tk.NotAuthorized:
        return False


@validate(schema.request_fulfil)
def satudata_request_fulfil(context, data_dict) -> dict[str, Any]:
    """Link a dataset of the requested OPD and type to an open request ("Serahkan").

    The request counts as delivered when the dataset is submitted into its
    workflow: at once if it was submitted before, else at its first ``submit``
    step (a draft linked today and submitted after the due date is late). An
    OPD member links a dataset they may edit; the Walidata may link one it
    can read on the OPD's behalf. Linking again replaces a link not yet
    delivered.

    :param id: the request's id
    :type id: string
    :param dataset_id: id or name of the dataset
    :type dataset_id: string
    :returns: the request (``status`` stays ``open`` until the dataset is submitted)
    :rtype: dict
    """
    tk.check_access("satudata_request_fulfil", context, data_dict)
    found = _request(data_dict["id"])
    pkg = model.Package.get(data_dict["dataset_id"])
    # An unreadable dataset answers as a missing one: the error must not confirm it.
    if pkg is None or not _may_link(context, pkg, found):
        raise tk.ValidationError({"dataset_id": [_("Dataset not found")]})
    return data_request.as_dict(
        data_request.link(found, pkg, model.User.get(context["user"])))


@tk.side_effect_free
@validate(schema.request_show)
def satudata_request_datasets(context, data_dict) -> list[dict[str, Any]]:
    """The datasets the caller may link to an open request: of its OPD and
    type, drafts included, that the caller may edit (the chooser of "Serahkan").

    :param id: the request's id
    :type id: string
    :returns: ``[{id, name, title, state, satudata_state}]``, newest first
    :rtype: list of dicts
    """
    tk.check_access("satudata_request_fulfil", context, data_dict)
    found = _request(data_dict["id"])
    rows = (model.Session.query(model.Package)
            .filter(model.Package.owner_org == found.organization_id,
                    model.Package.type == found.dataset_type,
                    model.Package.state.in_(("active", "draft")))
            .order_by(model.Package.metadata_modified.desc()).limit(500))
    return [{"id": p.id, "name": p.name, "title": p.title, "state": p.state,
             "satudata_state": service.state_id(p)}
            for p in rows if not revision.record_of(p) and _may_link(context, p, found)]


@validate(schema.request_show)
def satudata_request_start(context, data_dict) -> dict[str, Any]:
    """Start a new draft dataset from an open request and link it ("Serahkan" → new).

    The draft carries the request's title, OPD, type and details (as its
    description); the OPD completes it in the dataset form and submits it,
    which delivers the request.

    :param id: the request's id
    :type id: string
    :returns: ``{"request": the request, "dataset": {id, name, type}}``
    :rtype: dict
    """
    tk.check_access("satudata_request_start", context, data_dict)
    found = _request(data_dict["id"])
    data_request.must_be_open(found)
    created = tk.get_action("package_create")(
        {"user": context["user"], "ignore_auth": False}, {
            "type": found.dataset_type, "state": "draft", "owner_org": found.organization_id,
            "title": found.title, "notes": found.description or "",
            "name": data_request.draft_name(found.title)})
    pkg = model.Package.get(created["id"])
    linked = data_request.link(found, pkg, model.User.get(context["user"]))
    return {"request": data_request.as_dict(linked),
            "dataset": {"id": pkg.id, "name": pkg.name, "type": pkg.type}}


@tk.side_effect_free
@validate(schema.request_report)
def satudata_request_report(context, data_dict) -> list[dict[str, Any]]:
    """Timeliness of OPDs in delivering requests, for the Walidata (and EPSS).

    :param since: only requests made at or after (ISO 8601)
    :param until: only requests made before (ISO 8601)
    :returns: per OPD ``{organization: {id, name, title}, total, fulfilled,
        on_time, late, open, overdue, cancelled, on_time_rate}``; the rate is
        the percentage of on-time deliveries among deliveries and overdue open
        requests (null when there are none)
    :rtype: list of dicts
    """
    tk.check_access("satudata_request_report", context, data_dict)
    return data_request.report(data_dict.get("since"), data_dict.get("until"))
