"""Actions of ckanext-satudata (registered by tk.blanket.actions)."""
from __future__ import annotations

import contextlib
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate

import ckan.model as model

from ckanext.satudata import codelists, lang, msvar, wilayah
from ckanext.satudata.logic import schema
# Actions kept in their own modules; listed in __all__ so tk.blanket.actions finds them here.
from ckanext.satudata.logic.notification import (
    satudata_notification_list, satudata_notification_mark_read)
from ckanext.satudata.logic.report import satudata_timeliness_report
from ckanext.satudata.logic.dcat import (  # noqa: F401 (registered through __all__)
    dcat_catalog_search, dcat_catalog_show, dcat_dataset_show)
from ckanext.satudata.logic.jabatan import (  # noqa: F401 (registered through __all__)
    satudata_jabatan_list, satudata_jabatan_set)
from ckanext.satudata.logic.lifecycle import (  # noqa: F401 (registered through __all__)
    satudata_revision_create, satudata_revision_discard, satudata_tombstone_list,
    satudata_tombstone_show, satudata_workflow_bulk_transition, take_step)
from ckanext.satudata.logic.requests import (  # noqa: F401 (registered through __all__)
    satudata_request_cancel, satudata_request_create, satudata_request_datasets,
    satudata_request_fulfil, satudata_request_list, satudata_request_report,
    satudata_request_show, satudata_request_start, satudata_request_update)
from ckanext.satudata.logic.validation import satudata_schema_infer  # noqa: F401 (an action)
from ckanext.satudata.model import utcnow
from ckanext.satudata.security import identity
from ckanext.satudata.workflow import corrections, revision, roles, service

__all__ = [
    "satudata_wilayah_search",
    "satudata_dataset_link_search",
    "satudata_workflow_transition",
    "satudata_workflow_show",
    "satudata_workflow_queue",
    "satudata_timeliness_report",
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
    "satudata_request_datasets",
    "satudata_request_start",
    "satudata_request_report",
    "satudata_jabatan_list",
    "satudata_jabatan_set",
    "package_create",
    "package_update",
    "resource_create",
    "resource_update",
    "satudata_schema_infer",
    "dcat_dataset_show",
    "dcat_catalog_show",
    "dcat_catalog_search",
]



def registered_actions() -> dict[str, Any]:
    """What plugin.py registers: ``__all__``, less ckanext-dcat's chained actions
    when the ``dcat`` plugin is not loaded (there is nothing to chain then)."""
    import ckan.plugins as p

    from ckanext.satudata.documents import actions as documents
    from ckanext.satudata.excel import actions as excel
    from ckanext.satudata.indah import actions as indah
    from ckanext.satudata.logic import daftar, epss
    from ckanext.satudata.security import listings, narrowed_reads as read_listings

    here = globals()
    found = {name: here[name] for name in __all__
             if not name.startswith("dcat_") or p.plugin_loaded("dcat")}
    found.update((name, getattr(listings, name)) for name in listings.__all__)
    found.update((name, getattr(indah, name)) for name in indah.__all__)
    found.update((name, getattr(excel, name)) for name in excel.__all__)
    found.update((name, getattr(documents, name)) for name in documents.__all__)
    found.update((name, getattr(epss, name)) for name in epss.__all__)
    found.update((name, getattr(daftar, name)) for name in daftar.__all__)
    narrowed = read_listings.__all__ + (
        read_listings.ACTIVITY if p.plugin_loaded("activity") else [])
    found.update((name, getattr(read_listings, name)) for name in narrowed)
    return found

@tk.side_effect_free
@validate(schema.wilayah_search)
def satudata_wilayah_search(context, data_dict) -> list[dict[str, Any]]:
    """Search the Kemendagri region codes (kode wilayah) shipped with the portal.

    Drives the region autocomplete of the forms and a dependent
    province → kabupaten/kota select.

    :param q: part of a name or the start of a code, e.g. ``pasuruan`` or ``35.1``
    :type q: string
    :param parent: only the children of this code, e.g. ``35``
    :type parent: string
    :param limit: at most this many results (default 10)
    :type limit: int
    :returns: ``[{"kode": "35.14", "nama": "Kabupaten Pasuruan", "tingkat": "kabupaten"}, …]``
    :rtype: list of dicts
    """
    tk.check_access("satudata_wilayah_search", context, data_dict)
    return wilayah.search(data_dict.get("q", ""), limit=int(data_dict.get("limit", 10)),
                          parent=data_dict.get("parent") or None)


@tk.side_effect_free
@validate(schema.dataset_link_search)
def satudata_dataset_link_search(context, data_dict) -> list[dict[str, Any]]:
    """Records of one type to link a dataset to (its kegiatan, its indicators),
    found by words of their title, for the forms' autocomplete.

    Searches as the caller (package_search, narrowed like every listing), so
    it suggests only records the caller may read.

    :param q: words of the title, e.g. ``survei kepuasan``
    :type q: string
    :param type: ``kegiatan``, ``indikator`` or ``dataset``
    :type type: string
    :param limit: at most this many results (default 10)
    :type limit: int
    :returns: ``[{"name": "survei-kepuasan-2025", "title": "Survei Kepuasan …"}, …]``
    :rtype: list of dicts
    """
    tk.check_access("satudata_dataset_link_search", context, data_dict)
    words = [w for w in str(data_dict.get("q", "")).split() if w.strip()]
    query = " AND ".join(f"title:{_solr_term(w)}*" for w in words) or "*:*"
    found = tk.get_action("package_search")(
        {"user": context.get("user"), "ignore_auth": False},
        {"q": query, "fq": f"+dataset_type:{data_dict['type']}", "rows": int(data_dict.get("limit", 10)),
         "include_private": True, "fl": "name,title", "sort": "title_string asc"})
    return [{"name": r["name"], "title": r.get("title") or r["name"]} for r in found["results"]]


def _solr_term(word: str) -> str:
    """WORD lower-cased with Solr's special characters escaped (the title is a text field)."""
    return "".join("\\" + c if c in '+-&|!(){}[]^"~*?:\\/' else c for c in word.lower())


# MS-Var rows → Table Schema. Done before CKAN validates, so the stored
# resource keeps one source of truth (``schema``) and ckanext-validation
# checks the result like any schema a client sends.

def _variables_into_schema(resource: dict) -> list[str]:
    rows = msvar.pop_variables(resource)
    if rows is None:
        return []
    found = msvar.problems(rows, codelists.allowed("tipe_data_variabel"), tk._)
    if not found:
        resource["schema"] = msvar.table_schema(rows) if rows else ""
    return found


# Both work on copies: a form shown again after an error still holds the
# rows the user typed.

def _converted_dataset(data_dict: dict) -> dict:
    if not data_dict.get("resources"):
        return data_dict
    data_dict = dict(data_dict, resources=[dict(r) for r in data_dict["resources"]])
    errors = [_variables_into_schema(r) for r in data_dict["resources"]]
    if any(errors):
        raise tk.ValidationError({"resources": [{"variabel": e} if e else {} for e in errors]})
    return data_dict


def _converted_resource(data_dict: dict) -> dict:
    data_dict = dict(data_dict)
    found = _variables_into_schema(data_dict)
    if found:
        raise tk.ValidationError({"variabel": found})
    return data_dict


@tk.chained_action
def package_create(up_func, context, data_dict):
    data_dict = _converted_dataset(data_dict)
    identity.refuse_foreign_resource_ids(context, data_dict.get("resources"), None)
    if service.workflow_name(data_dict.get("type") or "dataset"):
        data_dict["private"] = True  # every dataset starts unpublished
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func, context, data_dict):
    data_dict = _converted_dataset(data_dict)
    pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    identity.refuse_foreign_resource_ids(context, data_dict.get("resources"), pkg and pkg.id)
    revision.refuse_direct_edit(context, pkg)
    if pkg is not None and service.workflow_of(pkg):
        # Publishing happens through the workflow, never by editing `private`.
        data_dict["private"] = not service.is_public(pkg)
    editor = model.User.get(context.get("user") or "")
    reviewing = corrections.reviewer_editing(pkg, editor)
    before = corrections.snapshot(pkg.id) if reviewing else None
    result = up_func(context, data_dict)
    if reviewing:
        corrections.record(pkg, editor, reviewing, before)
        if not context.get("defer_commit"):
            model.repo.commit()
    return result


@tk.chained_action
def resource_create(up_func, context, data_dict):
    identity.refuse_foreign_resource_ids(context, [data_dict], data_dict.get("package_id"))
    with _upload_limit_named():
        return up_func(context, _converted_resource(data_dict))


@tk.chained_action
def resource_update(up_func, context, data_dict):
    with _upload_limit_named():
        return up_func(context, _converted_resource(data_dict))


@contextlib.contextmanager
def _upload_limit_named():
    """CKAN refuses a file over ckan.max_resource_size with an English "File upload too
    large"; the producer is told the limit, in their language."""
    try:
        yield
    except tk.ValidationError as error:
        if (error.error_dict or {}).get("upload") != ["File upload too large"]:
            raise
        limit = tk.config.get("ckan.max_resource_size")
        raise tk.ValidationError({"upload": [tk._(
            "The file is larger than the portal accepts ({limit} MB). Split the data into "
            "several files, or ask the portal's administrator.").format(limit=limit)]}) from None


def _can(auth: str, context, data_dict) -> bool:
    try:
        return tk.check_access(auth, dict(context), data_dict)
    except tk.NotAuthorized:
        return False


def _package(id_: str) -> model.Package:
    pkg = model.Package.get(id_)
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return pkg


def _event_dict(event, workflow) -> dict[str, Any]:
    user = model.User.get(event.user_id)
    return {
        "id": event.id,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "to_state_label": lang.text(workflow.state(event.to_state).label),
        "user": user.name if user else event.user_id,
        "user_display": roles.display_name(event.user_id),
        "timestamp": event.timestamp.isoformat(),
        "comment": event.comment,
        "field_notes": event.field_notes,
        "due": event.due.isoformat() if event.due else None,
        "late": event.late,
        "revision_id": event.revision_id,
    }


def _revision_fields(context, pkg: model.Package, user: model.User | None) -> dict[str, Any]:
    """``revision`` (the open one, for those who may see it), ``can_revise``,
    and for a revision itself ``revision_of``."""
    record = revision.record_of(pkg)
    if record is not None:
        original = model.Package.get(record.package_id)
        return {"revision_of": {"id": original.id, "name": original.name,
                                "title": original.title},
                "revision_status": record.status, "revision": None, "can_revise": False}
    pending = revision.open_revision(pkg)
    shown = None
    if pending is not None and _can("package_show", context, {"id": pending.revision_id}):
        copy = model.Package.get(pending.revision_id)
        state = service.state_id(copy)
        shown = {"id": copy.id, "name": copy.name, "title": copy.title, "state": state,
                 "state_label": lang.text(service.workflow_of(copy).state(state).label)}
    return {"revision_of": None, "revision": shown,
            "can_revise": pending is None and revision.can_revise(pkg, user)}


@validate(schema.workflow_transition)
def satudata_workflow_transition(context, data_dict) -> dict[str, Any]:
    """Move a dataset one step in its review workflow.

    :param id: dataset id or name
    :param action: one of the actions allowed now (see satudata_workflow_show),
        e.g. ``submit``, ``forward``, ``approve``, ``return``, ``publish``
    :param to: the target state, needed only where one action leads to
        several states (a return to the Walidata or to the OPD)
    :param comment: the reason; required to return, reject or withdraw
    :param field_notes: optional ``{target: note}`` for the producer; a target is a
        dataset field's name, ``resource:<resource id>`` (a file) or
        ``resource:<resource id>:<column>`` (an MS-Var variable of it); others are refused
    :param version: the ``version`` the caller saw; a stale one is refused
        with a conflict instead of acting on a dataset someone else moved
    :returns: the workflow as satudata_workflow_show returns it; for a revision
        that reached publication, the original's (its ``id`` then differs from
        the revision's, which is purged)
    :rtype: dict
    """
    shown, _entered = take_step(context, data_dict)
    try:
        return satudata_workflow_show(dict(context), {"id": shown})
    except tk.NotAuthorized:
        # The step moved the dataset out of the actor's sight (a reviewer passing it
        # on): they still learn where it went, as the participant who moved it.
        return satudata_workflow_show(dict(context, ignore_auth=True), {"id": shown})


@tk.side_effect_free
@validate(schema.workflow_show)
def satudata_workflow_show(context, data_dict) -> dict[str, Any]:
    """The workflow of a dataset: state, due date, allowed actions, history.

    :param id: dataset id or name
    :returns: ``{id, name, workflow, state, state_label, public, entered, due, overdue, version,
        allowed_actions: [{action, to, reason_required, label}],
        revision: {id, name, title, state} | null, can_revise, revision_of: {id, name, title} | null,
        history: [...]}``; ``revision`` is the open staged revision of a published
        dataset (null for those who cannot read it), ``can_revise`` whether the
        caller may start one now, ``revision_of`` the original when the dataset is
        itself a revision (then also ``revision_status``); the history only for those
        who take part in the workflow, and for them ``last_return``: the latest
        step when it was a return (its reason and ``field_notes``, whose keys name a
        dataset field, ``resource:<resource id>`` or ``resource:<resource id>:<column>``),
        else null, and ``corrections``: the edits reviewers made while holding the
        dataset, ``[{user, user_display, timestamp, state, state_label,
        changes: [{target, field, before, after}]}]`` (``target`` named like the
        notes' keys; ``field`` the resource or variable key, null for a dataset field)
    :rtype: dict
    """
    tk.check_access("satudata_workflow_show", context, data_dict)
    pkg = _package(data_dict["id"])
    workflow = service.workflow_of(pkg)
    if workflow is None:
        return {"workflow": None}
    row = service.current(pkg)
    state = workflow.state(service.state_id(pkg))
    user = model.User.get(context.get("user") or "")
    result = {
        "id": pkg.id,
        "name": pkg.name,
        "workflow": workflow.name,
        "state": state.id,
        "state_label": lang.text(state.label),
        "public": bool(state.public),
        "entered": row.entered.isoformat() if row else None,
        "due": row.due.isoformat() if row and row.due else None,
        "overdue": bool(row and row.due and utcnow() > row.due),
        "version": row.version if row else 0,
        "allowed_actions": [
            {"action": a.action, "to": a.to, "reason_required": a.reason_required,
             "label": lang.text(a.label)}
            for a in service.allowed_actions(pkg, user)],
    }
    result.update(_revision_fields(context, pkg, user))
    if _can("satudata_workflow_history", context, {"id": pkg.id}):
        result["history"] = [_event_dict(e, workflow) for e in service.history(pkg)]
        last = result["history"][-1] if result["history"] else None
        result["last_return"] = last if last and last["action"] == "return" else None
        result["corrections"] = [_correction_dict(c, workflow) for c in corrections.of(pkg)]
    return result


def _correction_dict(correction, workflow) -> dict[str, Any]:
    user = model.User.get(correction.user_id)
    return {
        "id": correction.id,
        "user": user.name if user else correction.user_id,
        "user_display": roles.display_name(correction.user_id),
        "timestamp": correction.timestamp.isoformat(),
        "state": correction.state,
        "state_label": lang.text(workflow.state(correction.state).label),
        "changes": correction.changes,
    }


@tk.side_effect_free
@validate(schema.workflow_queue)
def satudata_workflow_queue(context, data_dict) -> list[dict[str, Any]]:
    """What waits for the caller: datasets at a stage held by one of the caller's roles.

    :param overdue_only: only the ones past their due date
    :returns: ``[{id, name, title, type, organization, state, state_label, entered,
        due, overdue, version, revision_of}]``, the most urgent first;
        ``revision_of`` is the published dataset's id when the item is a staged
        revision of it (else null)
    :rtype: list of dicts
    """
    tk.check_access("satudata_workflow_queue", context, data_dict)
    user = model.User.get(context["user"])
    now = utcnow()
    items = []
    revisions = revision.open_revisions_by_copy()
    for pkg, row in service.queue(user):
        workflow = service.workflow_of(pkg)
        overdue = bool(row.due and now > row.due)
        if data_dict.get("overdue_only") and not overdue:
            continue
        items.append({
            "id": pkg.id, "name": pkg.name, "title": pkg.title, "type": pkg.type,
            "organization": pkg.owner_org, "state": row.state,
            "state_label": lang.text(workflow.state(row.state).label),
            "entered": row.entered.isoformat(), "due": row.due.isoformat() if row.due else None,
            "overdue": overdue, "version": row.version,
            "revision_of": revisions.get(pkg.id),
        })
    return items
