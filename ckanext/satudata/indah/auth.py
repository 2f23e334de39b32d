"""Who may see a kegiatan's INDAH payload and its standing at INDAH.

Registered through logic/auth.py's ``__all__``.
"""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.workflow import roles, service

__all__ = ["satudata_indah_overview", "satudata_indah_payload", "satudata_indah_status"]


def _kegiatan(data_dict) -> model.Package | None:
    pkg = model.Package.get((data_dict or {}).get("id") or "")
    # A draft (a form being filled page by page) has its problems listed too.
    return pkg if pkg is not None and pkg.type == "kegiatan" and pkg.state in ("active", "draft") else None


def _party(user: model.User | None, pkg: model.Package) -> bool:
    """A member of the kegiatan's OPD, of the Walidata or of the Pembina (BPS), or a sysadmin."""
    if user is None:
        return False
    if user.sysadmin:
        return True
    organizations = (pkg.owner_org, tk.config.get("ckanext.satudata.walidata_organization"),
                     tk.config.get("ckanext.satudata.pembina_organization"))
    return any(roles.capacity(user, org) for org in organizations if org)


@tk.auth_allow_anonymous_access
def satudata_indah_payload(context, data_dict):
    """The payload of a published kegiatan: whoever reads the kegiatan (it says
    nothing its page does not). Before publication: the members of its OPD, the
    Walidata and the Pembina (BPS) who may read it; never anonymous visitors."""
    pkg = _kegiatan(data_dict)
    if pkg is None:
        return {"success": False, "msg": tk._("Not a statistical activity (kegiatan)")}
    if not tk.check_access("package_show", dict(context), {"id": pkg.id}):
        return {"success": False}
    if service.is_public(pkg):
        return {"success": True}
    if not _party(model.User.get(context.get("user") or ""), pkg):
        return {"success": False, "msg": tk._(
            "Only the activity's OPD, the Walidata and BPS see its INDAH payload")}
    return {"success": True}


def satudata_indah_status(context, data_dict):
    """Where the kegiatan stands at INDAH (status, errors, BPS's notes): its OPD,
    the Walidata and BPS, published or not; never anonymous visitors."""
    pkg = _kegiatan(data_dict)
    user = model.User.get(context.get("user") or "")
    if pkg is None or not _party(user, pkg):
        return {"success": False, "msg": tk._(
            "Only the activity's OPD, the Walidata and BPS see its INDAH status")}
    return {"success": tk.check_access("package_show", dict(context), {"id": pkg.id})}


def satudata_indah_overview(context, data_dict):
    """The activities' standing at INDAH, for the Dasbor: the Walidata (which reports) and
    BPS (which reviews), any capacity, and sysadmins; each kegiatan listed only if the
    caller reads it (the action checks that)."""
    user = model.User.get(context.get("user") or "")
    if user is not None and (user.sysadmin or any(
            roles.capacity(user, org) for org in (
                tk.config.get("ckanext.satudata.walidata_organization"),
                tk.config.get("ckanext.satudata.pembina_organization")) if org)):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the Walidata and BPS see the activities' INDAH reports")}


def reported_with(pkg: model.Package | None) -> bool:
    """Whether a record linked to a kegiatan goes to BPS with the kegiatan's report:
    once it has left its OPD (a reviewer holds it, or it is published). A record
    still with its OPD (a draft, a return) is the OPD's alone."""
    if pkg is None or pkg.state != "active":
        return False
    workflow = service.workflow_of(pkg)
    if workflow is None:
        return not pkg.private
    state = workflow.state(service.state_id(pkg))
    return bool(state.public or (state.holder and state.holder in roles.org_wide_roles(workflow)))
