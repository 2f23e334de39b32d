"""Actions on data requests (SOP 000 step 1). Re-exported by logic/action.py."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate

import ckan.model as model

from ckanext.satudata.logic import schema
from ckanext.satudata.model import DataRequest
from ckanext.satudata.workflow import data_request, visibility

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
        dataset_type, status (open|fulfilled|cancelled), due, overdue, created,
        created_by, dataset: {id, name, title} | null, fulfilled, late,
        cancelled, cancel_reason}``; times ISO 8601 UTC
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
    return data_request.as_dict(data_request.update(found, data_dict))


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
                                                    data_dict["reason"]))


@validate(schema.request_fulfil)
def satudata_request_fulfil(context, data_dict) -> dict[str, Any]:
    """Deliver a request with a dataset of the requested OPD and type.

    The delivery time is now; after the due date the request is flagged late.
    The dataset then goes through its workflow as any other.

    :param id: the request's id
    :param dataset_id: id or name of the dataset delivered
    :returns: the request
    :rtype: dict
    """
    tk.check_access("satudata_request_fulfil", context, data_dict)
    found = _request(data_dict["id"])
    pkg = model.Package.get(data_dict["dataset_id"])
    # An unreadable dataset answers as a missing one: the error must not confirm it.
    if pkg is None or pkg.state == "deleted" or not visibility.readable_by(context)(pkg.id):
        raise tk.ValidationError({"dataset_id": [_("Dataset not found")]})
    return data_request.as_dict(
        data_request.fulfil(found, pkg, model.User.get(context["user"])))


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
