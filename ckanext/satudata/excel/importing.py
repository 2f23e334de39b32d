"""A filled template applied as one transaction: every record or none.

Three steps. Reading (reading.py) turns cells into field values. Planning
checks each record as the caller: it exists (update) or not (create), the
caller may edit or create it (package_update / package_create auth: the
workflow's ``editors``), and the schema's validators accept it, exactly as the
form's save would; every problem of every row is collected. Only a file
without problems is applied: package_create/package_update as the caller with
``defer_commit``, one database commit at the end. Solr is written by that
commit (CKAN indexes on commit), so a refused file leaves nothing in the
database or the index.
"""
from __future__ import annotations

import copy
import dataclasses
from typing import Any, Callable

import ckan.lib.plugins as lib_plugins
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.excel import layout
from ckanext.satudata.excel.reading import Entry, Problem

LINK_PRESETS = ("satudata_dataset_link", "satudata_dataset_links")


@dataclasses.dataclass
class Plan:
    """One record to create or update, with the rows of the file it comes from."""
    name: str
    dataset_type: str
    data: dict
    existing: model.Package | None
    entry: Entry | None = None                       # its row on a record sheet
    variables: dict[str, list[Entry]] = dataclasses.field(default_factory=dict)  # resource id → MS-Var rows

    @property
    def action(self) -> str:
        return "package_update" if self.existing is not None else "package_create"

    def at(self, key: str | None, message: str) -> Problem:
        if self.entry is not None:
            return self.entry.problem(key, message)
        rows = next(iter(self.variables.values()), [])
        return rows[0].problem(None, message) if rows else Problem("", None, "", "", message)


def _context(user: str, **extra) -> dict:
    return {"model": model, "session": model.Session, "user": user, "ignore_auth": False, **extra}


def _existing(name: str) -> model.Package | None:
    pkg = model.Package.get(name) if name else None
    return pkg if pkg is not None and pkg.state != "deleted" else None


def _refusal(error: tk.NotAuthorized, _: Callable[[str], str]) -> str:
    return str(error.message if hasattr(error, "message") else error) or _(
        "You may not create or change this record")


def plan(entries: list[Entry], user: str, _: Callable[[str], str]) -> tuple[list[Plan], list[Problem]]:
    """The records ENTRIES create or update, checked as USER; the problems found."""
    plans: dict[str, Plan] = {}
    problems: list[Problem] = []
    for entry in [e for e in entries if not e.template.resource_field]:
        found = _record(entry, plans, user, _)
        if isinstance(found, Problem):
            problems.append(found)
        else:
            plans[found.name] = found
    variable_rows = [e for e in entries if e.template.resource_field]
    problems += _variables(variable_rows, plans, user, _)
    order = {t.dataset_type: i for i, t in reversed(list(enumerate(layout.templates())))}
    for item in plans.values():
        # A link may name a record this file creates before this one (a kegiatan, for
        # an indicator); that record exists only once the file is applied in order.
        earlier = {n for n, p in plans.items() if p.existing is None
                   and order.get(p.dataset_type, 99) < order.get(item.dataset_type, 99)}
        problems += _validate(item, earlier, user)
    return sorted(plans.values(), key=lambda p: order.get(p.dataset_type, 99)), problems


def _record(entry: Entry, plans: dict[str, Plan], user: str, _) -> Plan | Problem:
    values = dict(entry.values)
    name = str(values.get("name") or "").strip()
    if not name:
        return entry.problem("name", _("Fill in the URL name of the record (lower case letters, "
                                       "digits and -); it says which record the row creates or updates"))
    if name in plans:
        return entry.problem("name", _("“{name}” is already in row {row} of sheet {sheet}").format(
            name=name, row=plans[name].entry.row if plans[name].entry else "?",
            sheet=plans[name].entry.template.sheet if plans[name].entry else "?"))
    pkg = _existing(name)
    dataset_type = entry.template.dataset_type
    if pkg is not None and pkg.type != dataset_type:
        return entry.problem("name", _("“{name}” is already used by a record of another kind; "
                                       "choose another URL name").format(name=name))
    if pkg is not None:
        try:
            base = tk.get_action("package_show")(_context(user), {"id": name})
        except (tk.NotAuthorized, tk.ObjectNotFound):
            # A record the user may not read: say nothing of it (CKAN's refusals name its id).
            return entry.problem("name", _("“{name}” is already used by a record you may not "
                                           "change; choose another URL name").format(name=name))
        try:
            tk.check_access("package_update", _context(user), {"id": pkg.id})
        except (tk.NotAuthorized, tk.ObjectNotFound) as error:
            return entry.problem(None, _("You may not change “{name}”: {why}").format(
                name=name, why=_refusal(error, _) if isinstance(error, tk.NotAuthorized) else ""))
    else:
        organization = model.Group.get(str(values.get("owner_org") or "").strip())
        if organization is None or not organization.is_organization or organization.state != "active":
            return entry.problem("owner_org", _("Fill in the OPD (its URL name) that produces this "
                                                "record"))
        try:
            tk.check_access("package_create", _context(user),
                            {"owner_org": organization.id, "type": dataset_type, "name": name})
        except tk.NotAuthorized as error:
            return entry.problem(None, _("You may not create records of {opd}: {why}").format(
                opd=organization.title or organization.name, why=_refusal(error, _)))
        base = {"type": dataset_type}
    data = copy.deepcopy(base)
    for key, value in values.items():
        if key == "tag_string":
            data.pop("tags", None)
        data[key] = value
    return Plan(name, dataset_type, data, pkg, entry)


def _variables(rows: list[Entry], plans: dict[str, Plan], user: str, _) -> list[Problem]:
    """Put the MS-Var rows on their datasets' resources (each resource's rows replace
    its variables); a dataset only on this sheet is updated too."""
    problems: list[Problem] = []
    by_resource: dict[tuple[str, str], list[Entry]] = {}
    for entry in rows:
        name = str(entry.values.get("dataset") or "").strip()
        item = plans.get(name)
        if item is None:
            pkg = _existing(name)
            if pkg is None or pkg.type != "dataset":
                problems.append(entry.problem("dataset", _("No data sektoral “{name}” on this portal "
                                                           "or in this file").format(name=name)))
                continue
            found = _record(Entry(entry.template, entry.row, {"name": pkg.name}, entry.letters),
                            plans, user, _)
            if isinstance(found, Problem):
                problems.append(found)
                continue
            found.entry = None
            item = plans[name] = found
        resources = item.data.get("resources") or []
        wanted_id = str(entry.values.get("resource_id") or "").strip()
        wanted_name = str(entry.values.get("resource_name") or "").strip()
        resource = next((r for r in resources if wanted_id and r.get("id") == wanted_id), None) or \
            next((r for r in resources if not wanted_id and wanted_name and r.get("name") == wanted_name), None)
        if resource is None:
            problems.append(entry.problem("resource_id" if wanted_id else "resource_name", _(
                "Dataset “{name}” has no resource “{resource}”: add the file to the dataset "
                "first").format(name=name, resource=wanted_id or wanted_name)))
            continue
        by_resource.setdefault((name, resource["id"]), []).append(entry)
    for (name, resource_id), entries in by_resource.items():
        item = plans[name]
        item.variables[resource_id] = entries
        for resource in item.data["resources"]:
            if resource["id"] == resource_id:
                resource["variabel"] = [{k: v for k, v in e.values.items()
                                         if k not in ("dataset", "resource_id", "resource_name")}
                                        for e in entries]
                resource.pop("schema", None)
    return problems


# ---------------------------------------------------------------- checking


def _without_pending_links(item: Plan, pending: set[str]) -> dict:
    """The record to validate now: a link to a record this file creates is checked
    when the file is applied (in order), since that record does not exist yet."""
    data = copy.deepcopy(item.data)
    for column in layout.template(_template_name(item)).columns:
        if column.field.get("preset") not in LINK_PRESETS or column.key not in data:
            continue
        value = data[column.key]
        if isinstance(value, list):
            data[column.key] = [v for v in value if v not in pending]
        elif value in pending:
            data[column.key] = ""
    return data


def _template_name(item: Plan) -> str:
    return next(t.name for t in layout.templates()
                if t.dataset_type == item.dataset_type and not t.resource_field)


def _validate(item: Plan, pending: set[str], user: str) -> list[Problem]:
    from ckanext.satudata.logic import action

    plugin = lib_plugins.lookup_package_plugin(item.dataset_type)
    context = _context(user)
    if item.existing is not None:
        context["package"] = item.existing
        schema = plugin.update_package_schema()
    else:
        schema = plugin.create_package_schema()
    try:
        data = action._converted_dataset(_without_pending_links(item, pending))
    except tk.ValidationError as error:
        return errors_of(item, error.error_dict)
    _data, errors = lib_plugins.plugin_validate(plugin, context, data, schema, item.action)
    return errors_of(item, errors)


def errors_of(item: Plan, errors: dict) -> list[Problem]:
    """CKAN's error dict of ITEM as problems at the sheet, row and column they are about."""
    found: list[Problem] = []
    for key, messages in (errors or {}).items():
        if key == "resources" and isinstance(messages, list):
            for resource, problem in zip(item.data.get("resources") or [], messages):
                rows = item.variables.get(resource.get("id"), [])
                for text in _texts(problem):
                    found.append(rows[0].problem(None, text) if rows else item.at(None, text))
            continue
        column = key if item.entry is not None and item.entry.template.column(key) else None
        for text in _texts(messages, item.entry.template.column(key) if column else None):
            found.append(item.at(column, text if column else f"{key}: {text}"))
    return found


def _texts(messages: Any, column: layout.Column | None = None) -> list[str]:
    """Flat messages; a repeating field's row errors as "line N — subfield: message"."""
    if isinstance(messages, str):
        return [messages]
    if isinstance(messages, dict):
        out = []
        for key, inner in messages.items():
            out += [f"{key}: {t}" for t in _texts(inner)]
        return out
    out = []
    subfields = {s["field_name"]: s for s in (column.field.get("repeating_subfields") or [])} \
        if column else {}
    for number, message in enumerate(messages or [], start=1):
        if isinstance(message, dict):
            for sub, inner in message.items():
                label = layout.in_language((subfields.get(sub) or {}).get("label") or sub)
                out += [f"{tk._('Line')} {number} — {label}: {t}" for t in _texts(inner)]
        else:
            out += _texts(message)
    return out


# ---------------------------------------------------------------- applying


def apply(plans: list[Plan], user: str) -> tuple[dict[str, list[str]], list[Problem]]:
    """Create/update PLANS in one transaction, as USER; on any problem nothing is kept."""
    done: dict[str, list[str]] = {"created": [], "updated": []}
    try:
        for item in plans:
            try:
                tk.get_action(item.action)(_context(user, defer_commit=True), item.data)
            except tk.ValidationError as error:
                model.Session.rollback()
                return {"created": [], "updated": []}, errors_of(item, error.error_dict)
            except (tk.NotAuthorized, tk.ObjectNotFound) as error:
                model.Session.rollback()
                return {"created": [], "updated": []}, [item.at(None, str(error) or tk._(
                    "You may not create or change this record"))]
            done["created" if item.existing is None else "updated"].append(item.name)
        model.repo.commit()
    except Exception:
        model.Session.rollback()
        raise
    return done, []
