"""Staged revisions: a published dataset is edited through a private copy.

The copy (a normal dataset of the same type and organization, resources and
uploaded files included) starts in its workflow's first state and passes the
same review as any dataset. The original stays published and unchanged. When
the copy reaches a public state, in that same transaction its metadata and
resources replace the original's, its audit trail is recorded on the
original (each event naming the revision), and the copy is purged: nobody
ever sees the revision as a public dataset. A revision that ends unpublished
(rejected) stays as a record; one can also be discarded. One open revision
per dataset at a time (a unique index makes it hold under races too).

People do not edit a published dataset directly: package_update of one by a
person is refused with a message that points to the revision (see
:func:`refuse_direct_edit`); internal updates (ignore_auth: the validation
worker, this module, the demo loader) and sysadmins (emergencies) pass.
"""
from __future__ import annotations

import logging
import os
import shutil
import uuid
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import search, uploader

from ckanext.satudata.model import Notification, Revision, WorkflowEvent, utcnow
from ckanext.satudata.workflow import roles, service

log = logging.getLogger(__name__)
_ = tk._

#: Context flag of the internal package_update that applies a revision.
APPLYING = "satudata_applying_revision"

# What CKAN or plugins compute for a resource; the copy gets its own.
_RESOURCE_OWN = {"id", "package_id", "position", "created", "metadata_modified",
                 "last_modified", "cache_url", "cache_last_updated", "datastore_active",
                 "validation_status", "validation_timestamp", "tracking_summary",
                 "upload", "revision_id", "state"}
# Dataset fields that stay the original's: identity, place and publication.
_KEEP_ORIGINAL = {"id", "name", "owner_org", "type", "private", "state"}


class RevisionError(tk.ValidationError):
    pass


def _error(message: str, **names) -> RevisionError:
    """MESSAGE (translated by the caller) under "revision", which the forms label "Revisi"."""
    return RevisionError({"revision": [message.format(**names)]})


def _site_context(**extra) -> dict[str, Any]:
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": site, "ignore_auth": True, **extra}


# ------------------------------------------------------------------ lookups


def record_of(pkg: model.Package) -> Revision | None:
    """The revision record if PKG is a revision copy (any status)."""
    return model.Session.get(Revision, pkg.id) if pkg is not None else None


def open_revision(pkg: model.Package) -> Revision | None:
    """The open revision of the original PKG, if any."""
    return (model.Session.query(Revision)
            .filter_by(package_id=pkg.id, status="open").one_or_none())


def open_revisions_by_copy() -> dict[str, str]:
    """{revision copy id: original id} of every open revision (one query)."""
    return dict(model.Session.query(Revision.revision_id, Revision.package_id)
                .filter_by(status="open"))


def reviser_roles(workflow) -> set[str]:
    """Who may start a revision: the producer (holder of the first state) and
    whoever publishes (the roles of transitions into a public state)."""
    found = {workflow.initial_state.holder} - {None}
    public = {s.id for s in workflow.public_states}
    found |= {r for t in workflow.transitions if t.to in public for r in t.by}
    return found


def can_revise(pkg: model.Package, user: model.User | None) -> bool:
    workflow = service.workflow_of(pkg)
    if workflow is None or user is None or record_of(pkg) is not None:
        return False
    if not workflow.state(service.state_id(pkg)).public:
        return False
    return bool(roles.roles_of(user, workflow, pkg.owner_org) & reviser_roles(workflow))


# ------------------------------------------------------------------ editing guard


def refuse_direct_edit(context: dict, pkg: model.Package | None) -> None:
    """Raise if a person edits a published dataset in place."""
    if pkg is None or context.get("ignore_auth") or context.get(APPLYING):
        return
    user = model.User.get(context.get("user") or "")
    if user is not None and user.sysadmin:
        return  # the portal's operators, for emergencies (a leaked personal datum)
    if service.workflow_of(pkg) is None or not service.is_public(pkg):
        return
    raise RevisionError({"revision": [direct_edit_refusal(pkg, user)]})


def direct_edit_refusal(pkg: model.Package, user: model.User | None = None,
                        link=None) -> str:
    """Why the published PKG is not edited in place, and what to do instead.

    The open revision is named only to USER who may read it (package_show): it is
    unpublished, its title and address are not the public's. It is named by its
    name (the API's message is text), or on a page by LINK(copy), Markup; the
    message naming it is then Markup too."""
    pending = open_revision(pkg)
    if pending is not None:
        copy = _readable_copy(pending, user)
        if copy is None:
            return _("This dataset is published and cannot be edited directly; a revision of it "
                     "is under way.")
        message = _("This dataset is published; edit its revision ({name}), not the dataset.")
        if link is None:
            return message.format(name=copy.name)
        return escape(message).format(name=link(copy))
    if can_revise(pkg, user):
        return _("This dataset is published and cannot be edited directly. Create a revision "
                 "of it: the revision replaces it once approved and published.")
    return _("This dataset is published and cannot be edited directly. Its producer or the "
             "Walidata can revise it.")


def _readable_copy(pending: Revision, user: model.User | None) -> model.Package | None:
    if user is None:
        return None
    try:
        tk.check_access("package_show", {"user": user.name}, {"id": pending.revision_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    return model.Package.get(pending.revision_id)


# ------------------------------------------------------------------ create


def create(pkg: model.Package, user: model.User) -> dict[str, Any]:
    """Start a revision of the published PKG; return the copy (package_show)."""
    workflow = service.workflow_of(pkg)
    if workflow is None or not workflow.state(service.state_id(pkg)).public:
        raise _error(_("Only a published dataset can be revised."))
    if record_of(pkg) is not None:
        raise _error(_("This is a revision already; edit it."))
    pending = open_revision(pkg)
    if pending is not None:
        raise _already_open(pending, user)

    new_id = str(uuid.uuid4())
    # Claim the one open slot first: of two people starting a revision at once,
    # the unique index lets one through.
    record = Revision(revision_id=new_id, package_id=pkg.id, status="open", created=utcnow(),
                      created_by=user.id, resource_map={})
    model.Session.add(record)
    try:
        model.Session.commit()
    except IntegrityError:
        model.Session.rollback()
        raise _already_open(open_revision(pkg), user)
    try:
        copy = _copy(pkg, new_id, user)
    except Exception:
        model.Session.rollback()
        _purge_quietly(new_id)
        model.Session.query(Revision).filter_by(revision_id=new_id).delete()
        model.Session.commit()
        raise
    row = service.current(pkg)
    model.Session.add(WorkflowEvent(
        package_id=pkg.id, workflow=workflow.name, action="revise",
        from_state=row.state if row else None, to_state=service.state_id(pkg),
        user_id=user.id, timestamp=utcnow(), revision_id=new_id,
        comment=_("Revision {name} started").format(name=copy["name"])))
    model.Session.commit()
    return copy


def _already_open(pending: Revision | None, user: model.User) -> RevisionError:
    # Named only to whoever may read it (the Walidata may revise, but not read the OPD's draft).
    copy = _readable_copy(pending, user) if pending else None
    if copy is None:
        return _error(_("This dataset already has an open revision."))
    return _error(_("This dataset already has an open revision: {name}. Finish or discard it "
                    "first."), name=copy.name)


def _copy(pkg: model.Package, new_id: str, user: model.User) -> dict[str, Any]:
    site = _site_context()
    original = tk.get_action("package_show")(dict(site), {"id": pkg.id})
    fields = _dataset_fields(original)
    fields.update(id=new_id, type=original["type"], owner_org=original["owner_org"],
                  name=_revision_name(original["name"], new_id), private=True)
    tk.get_action("package_create")(dict(site), fields)
    copy_pkg = model.Package.get(new_id)
    copy_pkg.creator_user_id = user.id  # the person who revises is its producer
    model.Session.commit()

    mapping = {}
    for resource in original.get("resources", []):
        created = _copy_resource(site, new_id, resource)
        mapping[created["id"]] = resource["id"]
    record = model.Session.get(Revision, new_id)
    record.resource_map = mapping
    model.Session.commit()
    return tk.get_action("package_show")(dict(site), {"id": new_id})


def _revision_name(name: str, new_id: str) -> str:
    return f"{name[:80]}-revisi-{new_id[:8]}"


def _dataset_fields(shown: dict) -> dict[str, Any]:
    """The editable fields of a dataset dict (its scheming schema's, else all)."""
    schema = tk.h.scheming_get_dataset_schema(shown["type"])
    names = ([f["field_name"] for f in schema["dataset_fields"]] if schema else list(shown))
    fields = {n: shown[n] for n in names if n in shown and n not in _KEEP_ORIGINAL}
    if "tag_string" in names and "tag_string" not in shown:
        # The form's tag_string is "tags" in package_show: without it the copy lost them.
        fields["tags"] = [{"name": t["name"]} for t in shown.get("tags") or []]
    return fields


def _resource_fields(resource: dict) -> dict[str, Any]:
    fields = {k: v for k, v in resource.items() if k not in _RESOURCE_OWN}
    if resource.get("url_type") == "upload":
        fields["url"] = resource["url"].rsplit("/", 1)[-1]
    return fields


def _stored_file(resource_id: str) -> str:
    return uploader.get_resource_uploader({}).get_path(resource_id)


def _copy_resource(site: dict, package_id: str, resource: dict) -> dict[str, Any]:
    fields = dict(_resource_fields(resource), package_id=package_id)
    if resource.get("url_type") != "upload":
        return tk.get_action("resource_create")(dict(site), fields)
    with open(_stored_file(resource["id"]), "rb") as stream:
        fields["upload"] = FileStorage(stream=stream, filename=fields["url"],
                                       content_type=resource.get("mimetype") or None)
        return tk.get_action("resource_create")(dict(site), fields)


# ------------------------------------------------------------------ workflow steps


@dataclass
class Applied:
    """A revision applied in the current transaction (see after_commit)."""
    original_id: str
    purged_id: str
    files: list[str] = field(default_factory=list)


def after_step(pkg: model.Package, target) -> Applied | None:
    """A step's ``applying`` signal, before its commit. A revision reaching a
    public state is applied to the original and purged; one that ends
    unpublished is closed as rejected."""
    record = record_of(pkg)
    if record is None or record.status != "open":
        return None
    if target.public:
        return _apply(pkg, record)
    workflow = service.workflow_of(pkg)
    if workflow.is_final(target.id):
        record.status, record.closed = "rejected", utcnow()
    return None


def _apply(copy_pkg: model.Package, record: Revision) -> Applied:
    site = _site_context(defer_commit=True, **{APPLYING: True})
    revised = tk.get_action("package_show")(dict(site), {"id": copy_pkg.id})
    original = tk.get_action("package_show")(dict(site), {"id": record.package_id})
    update = {k: v for k, v in original.items() if k != "resources"}
    editable = _dataset_fields(revised)
    for name in _dataset_fields(original):
        update.pop(name, None)  # a field emptied in the revision is emptied here
    update.update(editable)
    kept = {r["id"] for r in original.get("resources", [])}
    resources = []
    for resource in revised.get("resources", []):
        fields = _resource_fields(resource)
        if record.resource_map.get(resource["id"]) in kept:
            fields["id"] = record.resource_map[resource["id"]]
        resources.append(fields)
    update["resources"] = resources
    tk.get_action("package_update")(dict(site), update)

    # Same order as given: copy each uploaded file over its original's.
    applied = model.Package.get(record.package_id).resources
    for source, target in zip(revised.get("resources", []), applied):
        if source.get("url_type") == "upload":
            destination = _stored_file(target.id)
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            shutil.copyfile(_stored_file(source["id"]), destination)

    _move_trail(copy_pkg.id, record.package_id)
    record.status, record.closed = "applied", utcnow()
    return Applied(record.package_id, copy_pkg.id, _purge(copy_pkg))


def _move_trail(copy_id: str, original_id: str) -> None:
    """Record the revision's events on the original; its notices follow them."""
    events = (model.Session.query(WorkflowEvent).filter_by(package_id=copy_id)
              .order_by(WorkflowEvent.timestamp).all())
    for event in events:
        moved = WorkflowEvent(
            package_id=original_id, workflow=event.workflow, action=event.action,
            from_state=event.from_state, to_state=event.to_state, user_id=event.user_id,
            timestamp=event.timestamp, comment=event.comment, field_notes=event.field_notes,
            due=event.due, late=event.late, revision_id=copy_id)
        model.Session.add(moved)
        model.Session.flush()
        (model.Session.query(Notification).filter_by(event_id=event.id)
         .update({"event_id": moved.id, "package_id": original_id}, synchronize_session=False))
    (model.Session.query(Notification).filter_by(package_id=copy_id)
     .update({"package_id": original_id}, synchronize_session=False))


def _purge(pkg: model.Package) -> list[str]:
    """dataset_purge without its commit (part of the caller's transaction);
    returns the uploaded files to remove once that commits."""
    for member in model.Session.query(model.Member).filter_by(table_id=pkg.id,
                                                              table_name="package"):
        member.purge()
    files = [_stored_file(r.id) for r in pkg.resources if r.url_type == "upload"]
    pkg.purge()
    model.Session.flush()
    return files


def on_committed(pkg: model.Package, applied: Applied | None = None, **_) -> None:
    """A step's ``committed`` signal: the purged revision leaves the index and storage."""
    after_commit(applied)


def after_commit(applied: Applied | None) -> None:
    if applied is None:
        return
    try:
        search.clear(applied.purged_id)
    except Exception:  # the index may not have it; Solr down must not undo the step
        log.exception("Could not drop revision %s from the index", applied.purged_id)
    for path in applied.files:
        try:
            os.remove(path)
        except OSError:
            pass


def _purge_quietly(package_id: str) -> None:
    pkg = model.Package.get(package_id)
    if pkg is not None:
        files = _purge(pkg)
        model.Session.commit()
        after_commit(Applied("", package_id, files))


# ------------------------------------------------------------------ discard


def discard(record: Revision, user: model.User, reason: str = "") -> None:
    """Drop an open revision: the copy is purged, the original stays as it is."""
    original = model.Package.get(record.package_id)
    copy_pkg = model.Package.get(record.revision_id)
    workflow = service.workflow_of(original)
    model.Session.add(WorkflowEvent(
        package_id=original.id, workflow=workflow.name, action="discard_revision",
        from_state=service.state_id(original), to_state=service.state_id(original),
        user_id=user.id, timestamp=utcnow(), revision_id=record.revision_id,
        comment=reason or None))
    record.status, record.closed = "discarded", utcnow()
    files = _purge(copy_pkg) if copy_pkg is not None else []
    model.Session.commit()
    after_commit(Applied(original.id, record.revision_id, files))
