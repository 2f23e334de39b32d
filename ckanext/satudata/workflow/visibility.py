"""Permission labels from workflow states: who may see a dataset.

CKAN 2.11 decides package_show, resource_show (and so downloads), search and
activity visibility by these labels, so deriving them from the state
enforces "only published data is public" in every read path at once.
"""
from __future__ import annotations

import json

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.satudata import request_memo
from ckanext.satudata.model import WorkflowEvent
from ckanext.satudata.workflow import definition, memo, roles, service


def _label(workflow_name: str, role: str) -> str:
    return f"satudata-{workflow_name}-{role}"


def dataset_labels(pkg: model.Package) -> list[str]:
    workflow = service.workflow_of(pkg)
    if workflow is None:
        return DefaultPermissionLabels().get_dataset_labels(pkg)
    if service.is_public(pkg):
        return ["public"]
    # The producer's OPD always sees its own data; a reviewing office sees it
    # from the moment it first reached a stage held by one of its roles.
    labels = [f"member-{pkg.owner_org}" if pkg.owner_org else f"creator-{pkg.creator_user_id}"]
    labels += [_label(workflow.name, role) for role in overseeing_roles(pkg, workflow)]
    return labels


def overseeing_roles(pkg: model.Package, workflow) -> list[str]:
    """The reviewers' roles that read PKG (read-only unless its state makes them editors).

    Steward oversight: an office (the organization behind a role: the Walidata's,
    the Pembina's) that has held the dataset once keeps seeing it, in every later
    state: the Walidata from the submission on, also while it waits at BPS; BPS
    from the moment it reached BPS's stage. A draft never submitted stays the OPD's.
    """
    reached = {service.state_id(pkg)} | {state for (state,) in model.Session.query(
        WorkflowEvent.to_state).filter_by(package_id=pkg.id).distinct()}
    offices = {workflow.roles[holder].organization for holder in
               (workflow.states[s].holder for s in reached if s in workflow.states)
               if holder and workflow.roles[holder].organization != "owner"}
    return [name for name in roles.org_wide_roles(workflow)
            if workflow.roles[name].organization in offices]


def user_labels(user: model.User | None) -> list[str]:
    if not user or user.is_anonymous:
        # CKAN's anonymous user object is truthy; it is a member of nothing
        return DefaultPermissionLabels().get_user_dataset_labels(user)
    # A bulk step checks each of its datasets for the same caller (memo.py).
    return memo.remembered(("user_labels", user.id), lambda: _member_labels(user))


def _member_labels(user: model.User) -> list[str]:
    labels = DefaultPermissionLabels().get_user_dataset_labels(user)
    # Runs for every dataset read and search: the reviewers' organizations in one query.
    workflows = [service.load(name) for name in definition.available()]
    plays = roles.plays_lookup(user, [
        roles.organization_of(workflow.roles[role_name], None)
        for workflow in workflows for role_name in roles.org_wide_roles(workflow)])
    for workflow in workflows:
        name = workflow.name
        for role_name in roles.org_wide_roles(workflow):
            role = workflow.roles[role_name]
            if plays(role, roles.organization_of(role, None)):
                labels.append(_label(name, role_name))
    return labels


def relabel_activities(pkg: model.Package) -> None:
    """Give every activity of PKG the labels PKG has now.

    ckanext-activity stamps an activity with the dataset's labels of the
    moment and filters every activity list and activity_show by them; an
    activity recorded while the dataset was public would stay public after a
    withdrawal (with the old metadata and resource ids in its data). The
    labels of a dataset's history follow the dataset's current ones.
    """
    if not plugins.plugin_loaded("activity"):
        return
    from ckanext.activity.model import Activity

    model.Session.query(Activity).filter(Activity.object_id == pkg.id).update(
        {Activity.permission_labels: dataset_labels(pkg)}, synchronize_session=False)


def _link_fields(dataset_type: str) -> frozenset[str]:
    """Fields of the type's scheming schema that name other datasets (once a
    request per type: a search page asks for each of its results)."""
    return request_memo.remembered(("link_fields", dataset_type), lambda: _schema_link_fields(dataset_type))


def _schema_link_fields(dataset_type: str) -> frozenset[str]:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type) or {}
    return frozenset(f["field_name"] for f in schema.get("dataset_fields", [])
                     if "satudata_dataset_link" in (f.get("validators") or ""))


def _kept(value, keep):
    """VALUE (a name, a list of names or its JSON text) without what KEEP refuses."""
    if isinstance(value, str) and value.startswith("["):
        return json.dumps(_kept(json.loads(value), keep))
    if isinstance(value, str):
        return value if keep(value) else ""
    return [n for n in value if keep(n)]


def _filter_references(pkg_dict: dict, keep) -> None:
    """Drop from PKG_DICT the links and relationships to datasets KEEP refuses
    (fields as package_show gives them, or as extras in the unvalidated form)."""
    fields = _link_fields(pkg_dict.get("type") or "dataset")
    for name in fields:
        if pkg_dict.get(name):
            pkg_dict[name] = _kept(pkg_dict[name], keep)
    for extra in pkg_dict.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") in fields and extra.get("value"):
            extra["value"] = _kept(extra["value"], keep)
    for key, other in (("relationships_as_subject", "object_package_id"),
                       ("relationships_as_object", "subject_package_id")):
        if pkg_dict.get(key):
            pkg_dict[key] = [r for r in pkg_dict[key] if keep(r.get(other))]


def readable_by(context: dict):
    """A predicate: may the caller of CONTEXT read the dataset of this id or name?"""
    if context.get("ignore_auth"):
        return lambda reference: True
    reader = {"user": context.get("user"), "model": model}

    def readable(reference: str | None) -> bool:
        pkg = model.Package.get(reference) if reference else None
        if pkg is None:
            return False
        try:
            tk.check_access("package_show", dict(reader), {"id": pkg.id})
        except tk.NotAuthorized:
            return False
        return True
    return readable


def hide_unreadable_references(pkg_dict: dict, context: dict) -> None:
    """Links (kegiatan, indikator) and relationships to datasets the reader cannot
    read are not shown. The editor's own drafts stay (the producer reads them),
    so saving a form keeps them; a reader outside the OPD sees published ones only.
    """
    if not context.get("ignore_auth"):
        _filter_references(pkg_dict, readable_by(context))


def _public(reference: str | None) -> bool:
    pkg = model.Package.get(reference) if reference else None
    return bool(pkg and pkg.state == "active" and service.is_public(pkg))


def hide_unpublished_references(pkg_dicts: list[dict]) -> None:
    """Search results (read from the index, for any reader) keep public ones only;
    an unvalidated dict from the index carries the validated one as JSON text.

    For a page of results: the references of all of them are asked in one query
    (a pass that only collects them, then the one that filters).
    """
    validated = {}
    for index, pkg_dict in enumerate(pkg_dicts):
        if isinstance(pkg_dict.get("validated_data_dict"), str):
            validated[index] = json.loads(pkg_dict["validated_data_dict"])
    dicts = list(pkg_dicts) + list(validated.values())
    seen: set[str] = set()

    def collect(reference) -> bool:
        if reference:
            seen.add(reference)
        return True

    for pkg_dict in dicts:
        _filter_references(pkg_dict, collect)
    if not seen:
        return
    public = published_references(seen)
    for pkg_dict in dicts:
        _filter_references(pkg_dict, public.__contains__)
    for index, validated_dict in validated.items():
        pkg_dicts[index]["validated_data_dict"] = json.dumps(validated_dict)


def _record_public_references_only(mapper, connection, activity) -> None:
    data = activity.data if isinstance(activity.data, dict) else None
    if data and isinstance(data.get("package"), dict):
        _filter_references(data["package"], _public)


def watch_activities() -> None:
    """An activity's copy of a dataset keeps links and relationships to published
    datasets only: it is shown for years, to whoever may read the activity, and a
    name once public stays public (a withdrawal leaves a tombstone), so nothing
    hidden can surface from it later."""
    if not plugins.plugin_loaded("activity"):
        return
    from sqlalchemy import event
    from ckanext.activity.model import Activity

    if not event.contains(Activity, "before_insert", _record_public_references_only):
        event.listen(Activity, "before_insert", _record_public_references_only)


def published(keys, column: str = "id") -> set[str]:
    """Of KEYS (package ids, or names with column="name"), those everyone may read.

    The same rule as dataset_labels' "public", for many datasets in one query:
    for listings that read the database instead of the search index.
    """
    keys = list(keys)
    if not keys:
        return set()
    from ckanext.satudata.model import WorkflowState
    col = getattr(model.Package, column)
    rows = (model.Session.query(col, model.Package.type, model.Package.private, WorkflowState.state)
            .outerjoin(WorkflowState, WorkflowState.package_id == model.Package.id)
            .filter(col.in_(keys), model.Package.state == "active"))
    return {key for key, type_, private, state in rows if _public_row(type_, private, state)}


def _public_row(dataset_type: str, private: bool, state: str | None) -> bool:
    """service.is_public for a dataset's columns (its WorkflowState's state, None without a row)."""
    name = service.workflow_name(dataset_type)
    if name is None:
        return not private
    workflow = service.load(name)
    return bool(workflow.state(state or workflow.initial_state.id).public)


def published_references(references) -> set[str]:
    """Of REFERENCES (dataset ids or names, as links and relationships hold
    them), those everyone may read, in one query: published() for either key."""
    references = {r for r in references if isinstance(r, str) and r}
    if not references:
        return set()
    from sqlalchemy import or_

    from ckanext.satudata.model import WorkflowState
    rows = (model.Session.query(model.Package.id, model.Package.name, model.Package.type,
                                model.Package.private, WorkflowState.state)
            .outerjoin(WorkflowState, WorkflowState.package_id == model.Package.id)
            .filter(or_(model.Package.id.in_(references), model.Package.name.in_(references)),
                    model.Package.state == "active"))
    found: set[str] = set()
    for id_, name, type_, private, state in rows:
        if _public_row(type_, private, state):
            found |= {id_, name} & references
    return found
