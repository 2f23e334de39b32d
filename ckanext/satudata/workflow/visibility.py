"""Permission labels from workflow states: who may see a dataset.

CKAN 2.11 decides package_show, resource_show (and so downloads), search and
activity visibility by these labels, so deriving them from the state
enforces "only published data is public" in every read path at once.
"""
from __future__ import annotations

import ckan.model as model
from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.satudata.workflow import definition, roles, service


def _label(workflow_name: str, role: str) -> str:
    return f"satudata-{workflow_name}-{role}"


def dataset_labels(pkg: model.Package) -> list[str]:
    workflow = service.workflow_of(pkg)
    if workflow is None:
        return DefaultPermissionLabels().get_dataset_labels(pkg)
    if service.is_public(pkg):
        return ["public"]
    # The producer's OPD always sees its own data; a reviewer sees what
    # waits at the stage their role holds.
    labels = [f"member-{pkg.owner_org}" if pkg.owner_org else f"creator-{pkg.creator_user_id}"]
    holder = workflow.state(service.state_id(pkg)).holder
    if holder and holder in roles.org_wide_roles(workflow):
        labels.append(_label(workflow.name, holder))
    return labels


def user_labels(user: model.User | None) -> list[str]:
    labels = DefaultPermissionLabels().get_user_dataset_labels(user)
    if not user:
        return labels
    # Runs for every dataset read: one membership query per organization.
    capacity_in = roles.capacity_lookup(user)
    for name in definition.available():
        workflow = service.load(name)
        for role_name in roles.org_wide_roles(workflow):
            role = workflow.roles[role_name]
            if capacity_in(roles.organization_of(role, None)) in role.capacities:
                labels.append(_label(name, role_name))
    return labels


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
    found = set()
    for key, type_, private, state in rows:
        name = service.workflow_name(type_)
        if name is None:
            if not private:
                found.add(key)
            continue
        workflow = service.load(name)
        if workflow.state(state or workflow.initial_state.id).public:
            found.add(key)
    return found
