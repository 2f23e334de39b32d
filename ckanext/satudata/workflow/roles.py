"""Which workflow roles a user plays for a dataset, from CKAN memberships."""
from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.workflow import memo

# Role `organization:` keys that name configured organizations.
_CONFIGURED = {
    "walidata": "ckanext.satudata.walidata_organization",
    "pembina": "ckanext.satudata.pembina_organization",
}


def organization_of(role, owner_org: str | None) -> str | None:
    """The id or name of the organization whose members play ROLE."""
    if role.organization == "owner":
        return owner_org
    option = _CONFIGURED.get(role.organization)
    return tk.config.get(option) if option else role.organization


def capacity(user: model.User, organization: str | None) -> str | None:
    if not organization:
        return None
    group = model.Group.get(organization)
    if group is None:
        return None
    member = model.Session.query(model.Member).filter(
        model.Member.group_id == group.id, model.Member.table_name == "user",
        model.Member.table_id == user.id, model.Member.state == "active").first()
    return member.capacity if member else None


def capacities(user: model.User, organizations: Iterable[str | None]) -> dict[str, str | None]:
    """capacity(user, o) for each organization O (id or name), in one query.

    The same answers as capacity(): an id wins over a name (model.Group.get),
    an unknown organization or no active membership gives None.
    """
    refs = {o for o in organizations if o}
    if not refs:
        return {}
    member = sa.and_(model.Member.group_id == model.Group.id, model.Member.table_name == "user",
                     model.Member.table_id == user.id, model.Member.state == "active")
    rows = (model.Session.query(model.Group.id, model.Group.name, model.Member.capacity)
            .outerjoin(model.Member, member)
            .filter(sa.or_(model.Group.id.in_(refs), model.Group.name.in_(refs))))
    by_id: dict[str, str | None] = {}
    by_name: dict[str, str | None] = {}
    for group_id, name, held in rows:
        # several rows of one group: its first active membership, as capacity() reads it
        if by_id.get(group_id) is None:
            by_id[group_id] = held
        if by_name.get(name) is None:
            by_name[name] = held
    return {ref: by_id[ref] if ref in by_id else by_name.get(ref) for ref in refs}


def capacity_lookup(user: model.User, organizations: Iterable[str | None] = ()):
    """capacity(user, organization), asking each organization once per lookup:
    several roles (tanjabbar's four levels) live in the same organization.
    ORGANIZATIONS known beforehand are asked together in one query."""
    known: dict[str | None, str | None] = dict(capacities(user, organizations))
    known[None] = None

    def lookup(organization: str | None) -> str | None:
        if organization not in known:
            known[organization] = capacity(user, organization)
        return known[organization]
    return lookup


def jabatan_holders(organization: str | None) -> dict[str, set[str]]:
    """``{jabatan: user ids}`` of ORGANIZATION (workflow/jabatan.py)."""
    from ckanext.satudata.model import Jabatan

    group = model.Group.get(organization) if organization else None
    if group is None:
        return {}
    found: dict[str, set[str]] = {}
    for user_id, jabatan in model.Session.query(Jabatan.user_id, Jabatan.jabatan).filter(
            Jabatan.group_id == group.id):
        found.setdefault(jabatan, set()).add(user_id)
    return found


def plays_lookup(user: model.User, organizations: Iterable[str | None] = ()):
    """plays(role, organization): whether USER plays ROLE as a member of ORGANIZATION.

    A member plays a role with a ``jabatan`` when given that jabatan; while nobody in
    the organization holds it, the role's capacities decide (the fallback) for members
    without a jabatan of their own: a Kepala Dinas does not also act as Kepala Bidang by
    being an admin. Only active members play any role: a removed member's jabatan no
    longer counts. ORGANIZATIONS known beforehand are asked together in one query.
    """
    capacity_in = capacity_lookup(user, organizations)
    holders: dict[str | None, dict[str, set[str]]] = {}

    def plays(role, organization: str | None) -> bool:
        capacity = capacity_in(organization)
        if capacity is None:
            return False
        if role.jabatan:
            if organization not in holders:
                holders[organization] = jabatan_holders(organization)
            named = holders[organization].get(role.jabatan)
            if named:
                return user.id in named
            if any(user.id in ids for ids in holders[organization].values()):
                return False
        return capacity in role.capacities
    return plays


def roles_of(user: model.User | None, workflow, owner_org: str | None) -> set[str]:
    """The roles USER plays in WORKFLOW for a dataset of OWNER_ORG.

    A sysadmin plays no role by virtue of being one: the process has no
    shortcut around it.
    """
    if user is None or user.name == tk.config.get("ckan.site_id"):
        return set()  # the site user creates organizations (so is their admin), never reviews

    def ask() -> set[str]:
        plays = plays_lookup(user, [organization_of(role, owner_org)
                                    for role in workflow.roles.values()])
        return {name for name, role in workflow.roles.items()
                if plays(role, organization_of(role, owner_org))}
    # A bulk step asks this for each of its datasets: once per OPD is enough (memo.py).
    return memo.remembered(("roles_of", user.id, workflow.name, id(workflow), owner_org), ask)


def org_wide_roles(workflow) -> Iterable[str]:
    """Roles that do not depend on the dataset's own OPD (reviewers)."""
    return [name for name, role in workflow.roles.items() if role.organization != "owner"]


def display_name(user_id: str | None) -> str:
    """How a person is named on pages and in notices: full name, else user name."""
    user = model.User.get(user_id) if user_id else None
    if user is None:
        return user_id or ""
    return user.fullname or user.name
