"""Named positions (jabatan) inside the Walidata's and the Pembina's organizations.

CKAN has three capacities for the five levels of an office like Diskominfo Tanjung
Jabung Barat; a workflow role may therefore name a ``jabatan`` (tanjabbar.yaml), which
the organization's admin gives to its members. Once a jabatan is held, only its
holders play that role (roles.py); until then the role's capacities decide.
"""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata import lang
from ckanext.satudata.model import Jabatan, utcnow
from ckanext.satudata.workflow import roles, service

_ = tk._


def known(organization: model.Group) -> dict[str, str]:
    """``{jabatan: label}`` the configured workflows define for ORGANIZATION's roles."""
    found = {}
    configured = {service.workflow_name(kind) for kind in ("dataset", "kegiatan", "indikator")}
    for name in sorted(configured - {None}):
        workflow = service.load(name)
        for role in workflow.roles.values():
            if role.jabatan and role.organization != "owner":
                org = model.Group.get(roles.organization_of(role, None) or "")
                if org is not None and org.id == organization.id:
                    found.setdefault(role.jabatan, lang.text(role.label))
    return found


def members(organization: model.Group) -> list[dict]:
    """Active members with capacity and jabatan, by name."""
    given = dict(model.Session.query(Jabatan.user_id, Jabatan.jabatan)
                 .filter(Jabatan.group_id == organization.id))
    rows = (model.Session.query(model.User, model.Member.capacity)
            .join(model.Member, model.Member.table_id == model.User.id)
            .filter(model.Member.group_id == organization.id, model.Member.table_name == "user",
                    model.Member.state == "active", model.User.state == "active",
                    # the site user creates organizations (so is their admin), never reviews
                    model.User.name != tk.config.get("ckan.site_id"))
            .order_by(model.User.name))
    return [{"user": user.name, "display_name": roles.display_name(user.id),
             "capacity": capacity, "jabatan": given.get(user.id) or ""}
            for user, capacity in rows]


def assign(organization: model.Group, user: model.User, jabatan: str, by: model.User) -> None:
    """Give USER the JABATAN (empty: none) in ORGANIZATION, or raise ValidationError."""
    if roles.capacity(user, organization.id) is None:
        raise tk.ValidationError({"user": [_("{user} is not a member of {organization}").format(
            user=user.name, organization=organization.title or organization.name)]})
    row = model.Session.get(Jabatan, (organization.id, user.id))
    if not jabatan:
        if row is not None:
            model.Session.delete(row)
        return
    choices = known(organization)
    if jabatan not in choices:
        raise tk.ValidationError({"jabatan": [_("Unknown position; choose one of: {choices}")
                                              .format(choices=", ".join(choices) or "—")]})
    if row is not None:
        model.Session.delete(row)
        model.Session.flush()
    model.Session.add(Jabatan(group_id=organization.id, user_id=user.id, jabatan=jabatan,
                              assigned_by=by.id, assigned=utcnow()))


def steward_organization(reference: str | None) -> model.Group | None:
    """The organization REFERENCE names when it is the Walidata's or the Pembina's."""
    group = model.Group.get(reference or "")
    if group is None:
        return None
    for option in ("ckanext.satudata.walidata_organization",
                   "ckanext.satudata.pembina_organization"):
        configured = model.Group.get(tk.config.get(option) or "")
        if configured is not None and configured.id == group.id:
            return group
    return None
