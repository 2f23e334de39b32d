"""Actions on the lifecycle beyond single transitions: tombstones of withdrawn
datasets, staged revisions. Re-exported by logic/action.py, where
tk.blanket.actions finds them."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate

import ckan.model as model

from ckanext.satudata.logic import schema
from ckanext.satudata.workflow import display, memo, revision, service, tombstone

log = logging.getLogger(__name__)


@tk.side_effect_free
@validate(schema.tombstone_show)
def satudata_tombstone_show(context, data_dict) -> dict[str, Any]:
    """The tombstone of a withdrawn dataset: what the public may know of it.

    Open to everyone, anonymous users and harvesters included; nothing else of
    the dataset (data, resources, other metadata) is in it.

    :param id: dataset id or name
    :type id: string
    :returns: ``{id, name, title, type, organization: {name, title}, state,
        state_label, withdrawn_at (ISO 8601, UTC), reason}``
    :rtype: dict
    :raises ObjectNotFound: unless the dataset is in a tombstone state
    """
    tk.check_access("satudata_tombstone_show", context, data_dict)
    found = tombstone.show(model.Package.get(data_dict["id"]))
    if found is None:
        raise tk.ObjectNotFound(tk._("No withdrawn dataset with this id or name"))
    return found


@tk.side_effect_free
@validate(schema.tombstone_list)
def satudata_tombstone_list(context, data_dict) -> dict[str, Any]:
    """Withdrawn datasets, oldest withdrawal first: for harvesters to remove their copies.

    :param since: only withdrawals at or after this ISO 8601 date-time
        (UTC when it has no zone), e.g. the time of the last harvest
    :type since: string
    :param limit: page size, default 100, at most 1000
    :type limit: int
    :param offset: how many to skip
    :type offset: int
    :returns: ``{"count": n, "results": [tombstone, …]}``, each result as
        satudata_tombstone_show returns it, ordered by ``withdrawn_at`` then ``id``
    :rtype: dict
    """
    tk.check_access("satudata_tombstone_list", context, data_dict)
    count, results = tombstone.listing(data_dict.get("since"), data_dict["limit"],
                                       data_dict["offset"])
    return {"count": count, "results": results}


def _package(id_: str) -> model.Package:
    pkg = model.Package.get(id_)
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return pkg


@validate(schema.revision_create)
def satudata_revision_create(context, data_dict) -> dict[str, Any]:
    """Start a staged revision of a published dataset.

    The revision is a private copy (same type and organization, resources and
    uploaded files included) in the first state of the dataset's workflow. It
    is edited and reviewed like any dataset; when it reaches publication its
    metadata and resources replace the original's and the copy disappears.
    Until then the public sees the original unchanged.

    :param id: id or name of the published dataset
    :type id: string
    :returns: the revision (package_show)
    :rtype: dict
    :raises ValidationError: the dataset is not published, is a revision itself,
        or already has an open revision (the message names it)
    """
    tk.check_access("satudata_revision_create", context, data_dict)
    pkg = _package(data_dict["id"])
    return revision.create(pkg, model.User.get(context["user"]))


@validate(schema.revision_discard)
def satudata_revision_discard(context, data_dict) -> dict[str, Any]:
    """Discard the open revision of a dataset; the published dataset stays as it is.

    :param id: id or name of the revision, or of the dataset it revises
    :type id: string
    :param reason: optional note for the audit trail
    :type reason: string
    :returns: ``{"id": original id, "revision_id": …, "status": "discarded"}``
    :rtype: dict
    """
    tk.check_access("satudata_revision_discard", context, data_dict)
    record = _open_record(data_dict["id"])
    revision.discard(record, model.User.get(context["user"]), data_dict.get("reason", ""))
    return {"id": record.package_id, "revision_id": record.revision_id, "status": record.status}


def _open_record(id_: str):
    pkg = _package(id_)
    record = revision.record_of(pkg) or revision.open_revision(pkg)
    if record is None or record.status != "open":
        raise tk.ObjectNotFound(tk._("No open revision for this dataset"))
    return record


def take_step(context, data_dict) -> tuple[str, str | None]:
    """One workflow step as satudata_workflow_transition takes it (DATA_DICT
    validated by its schema): the auth check, the step in its own transaction.

    Returns the id of the dataset to show afterwards (the original, when a
    revision reached publication and was applied to it) and, when that is the
    dataset itself, the state it entered (else None).
    """
    try:
        tk.check_access("satudata_workflow_transition", context, data_dict)
    except tk.NotAuthorized:
        # A racing reviewer may have moved the dataset out of this caller's
        # sight a moment ago: that is a conflict, not a refusal.
        service.refuse_as_conflict_if_just_moved(
            model.Package.get(data_dict["id"]), model.User.get(context.get("user") or ""),
            data_dict.get("action"))
        raise
    pkg = _package(data_dict["id"])
    pkg_id, record = pkg.id, revision.record_of(pkg)
    user = context.get("auth_user_obj")  # check_access read the caller already
    if user is None or context["user"] not in (user.name, user.id):
        user = model.User.get(context["user"])
    if data_dict.get("field_notes"):
        display.check_notes(tk.get_action("package_show")({"ignore_auth": True}, {"id": pkg.id}),
                            data_dict["field_notes"])
    event = service.transition(pkg, data_dict["action"], user, data_dict.get("comment", ""),
                               data_dict.get("field_notes"), data_dict.get("version"),
                               data_dict.get("to"))
    # A revision that reached publication was applied to its original and is gone
    # (only a revision is ever purged by a step).
    if record is not None and model.Package.get(pkg_id) is None:
        return record.package_id, None
    return pkg_id, event.to_state


def _message(error: Exception) -> str:
    if isinstance(error, tk.ValidationError):
        return "; ".join(f"{m}" for messages in error.error_dict.values()
                         for m in (messages if isinstance(messages, list) else [messages]))
    return str(error) or error.__class__.__name__


@validate(schema.workflow_bulk_transition)
def satudata_workflow_bulk_transition(context, data_dict) -> list[dict[str, Any]]:
    """Apply one workflow action to many datasets (e.g. approve a batch).

    Each dataset is its own transaction, checked on its own (auth, role, state,
    gates): one refusal does not undo or stop the others.

    :param ids: dataset ids or names (a list, or one string separated by
        commas or spaces), at most 1000
    :type ids: list of strings
    :param action: the action, as for satudata_workflow_transition
    :type action: string
    :param to: the target state where the action leads to several
    :type to: string
    :param comment: the reason (required to return, reject or withdraw)
    :type comment: string
    :param field_notes: optional ``{field: note}``, the same for every dataset
    :type field_notes: dict
    :returns: ``[{"id": as given, "ok": bool, "state": new state | null,
        "error": message | null}]`` in the order given
    :rtype: list of dicts
    """
    tk.check_access("satudata_workflow_bulk_transition", context, data_dict)
    results = []
    progress = context.get("satudata_progress")  # callable(done, total): the CLI's bar
    one = {k: data_dict[k] for k in ("action", "to", "comment", "field_notes") if k in data_dict}
    # One Solr commit for the whole batch; the caller's labels and roles asked once.
    with service.index_batch(), memo.kept():
        for id_ in data_dict["ids"]:
            try:
                step_context = {"user": context["user"],
                                "ignore_auth": context.get("ignore_auth", False)}
                shown, entered = take_step(step_context, _validated(
                    dict(one, id=id_), schema.workflow_transition(), step_context))
                # The state satudata_workflow_show would report, all a result holds.
                state = entered or service.state_id(model.Package.get(shown))
                results.append({"id": id_, "ok": True, "state": state, "error": None})
            except Exception as error:  # noqa: BLE001 (one dataset's failure is its result)
                model.Session.rollback()
                if not isinstance(error, (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound)):
                    log.exception("Bulk %s of %s failed", data_dict["action"], id_)
                results.append({"id": id_, "ok": False, "state": None, "error": _message(error)})
            if progress:
                progress(len(results), len(data_dict["ids"]))
    return results


def _validated(data_dict, schema_, context) -> dict[str, Any]:
    """DATA_DICT through SCHEMA_, as the action's @validate would."""
    data, errors = tk.navl_validate(data_dict, schema_, context)
    if errors:
        raise tk.ValidationError(errors)
    return data

