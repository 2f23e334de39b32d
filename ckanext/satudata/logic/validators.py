"""Validators of the SDI/BPS scheme (registered by tk.blanket.validators).

Field validators take what a field's YAML says (codelist, …) through
ckanext-scheming's ``scheming_validator``; the cross-field rules of a schema
(required_if, only_if, not_before) are checked together by
``satudata_schema_rules``. Every message is an English msgid translated into
the user's language (Indonesian first).
"""
from __future__ import annotations

import datetime
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.scheming.validation import scheming_validator

from ckanext.satudata import codelists, wilayah
from ckanext.satudata.logic import rules
from ckanext.satudata.workflow import visibility

Invalid = tk.Invalid
missing = tk.missing
_ = tk._

__all__ = [
    "satudata_required_choice",
    "satudata_codelist",
    "satudata_codelist_multiple",
    "satudata_boolean",
    "satudata_boolean_output",
    "satudata_year",
    "satudata_natural_number",
    "satudata_integer_output",
    "satudata_date",
    "satudata_date_list",
    "satudata_sdsn",
    "satudata_kode_wilayah",
    "satudata_dataset_link",
    "satudata_dataset_links",
    "satudata_years",
    "satudata_schema_rules",
    "satudata_prefill_from_organization",
]

# Kode referensi SDSN (Peraturan BPS 4/2021): type, 5 digits, province, regency.
SDSN_PATTERN = re.compile(r"^(SD|SP|ST|SE|UL)\d{5}\.\d{2}\.\d{2}$")
_TRUE = {"true", "1", "yes", "ya", "on", "y"}
_FALSE = {"false", "0", "no", "tidak", "off", "n"}


def _empty(value: Any) -> bool:
    return value is missing or value is None or value == "" or value == []


def _as_list(value: Any) -> list[str]:
    if _empty(value):
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except ValueError:
                raise Invalid(_("Not a valid list"))
        else:
            value = [v for v in stripped.split(",")] if "," in stripped else [stripped]
    return [str(v).strip() for v in value if str(v).strip()]


#: What an empty required choice answers; a draft may still leave it empty
#: (scheming_drafts.without_missing drops it like "Missing value").
CHOOSE_ONE = "Choose one of the options"


@scheming_validator
def satudata_required_choice(field, schema):
    """A required select starts empty ("— pilih —"): nothing chosen is refused
    with a message that says so, instead of a silently preselected first code."""
    if not field.get("required"):
        return tk.get_validator("ignore_missing")

    def validator(key, data, errors, context):
        if _empty(data.get(key)):
            errors[key].append(_(CHOOSE_ONE))
            raise tk.StopOnError
    return validator


@scheming_validator
def satudata_codelist(field, schema):
    name = field["codelist"]

    def validator(value):
        if _empty(value):
            return value
        value = str(value).strip()
        if value not in codelists.allowed(name):
            raise Invalid(_("Unknown code {value}; allowed: {allowed}").format(
                value=value, allowed=", ".join(sorted(codelists.allowed(name)))))
        return value
    return validator


@scheming_validator
def satudata_codelist_multiple(field, schema):
    name = field["codelist"]

    def validator(key, data, errors, context):
        values = _as_list(data.get(key))
        unknown = [v for v in values if v not in codelists.allowed(name)]
        if unknown:
            errors[key].append(_("Unknown code {value}; allowed: {allowed}").format(
                value=", ".join(unknown), allowed=", ".join(sorted(codelists.allowed(name)))))
            return
        # Keep the codelist's order, once each: forms and APIs send any order.
        order = [str(e["value"]) for e in codelists.values(name)]
        chosen = [v for v in order if v in values]
        data[key] = json.dumps(chosen) if chosen else ""
    return validator


def satudata_boolean(value):
    if _empty(value):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip().lower()
    if text in _TRUE:
        return "true"
    if text in _FALSE:
        return "false"
    raise Invalid(_("Answer Yes or No (true or false)"))


def satudata_boolean_output(value):
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _integer(value, low: int, high: int | None, message: str) -> str:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid(message)
    if number < low or (high is not None and number > high):
        raise Invalid(message)
    return str(number)


def satudata_year(value):
    if _empty(value):
        return value
    return _integer(value, 1900, 2100, _("Enter a year between 1900 and 2100"))


def satudata_natural_number(value):
    if _empty(value):
        return value
    return _integer(value, 0, None, _("Enter a whole number of 0 or more"))


def satudata_integer_output(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _iso_date(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()[:10]
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise Invalid(_("Enter a date as YYYY-MM-DD, e.g. 2024-01-31"))


def satudata_date(value):
    if _empty(value):
        return value
    return _iso_date(value)


def satudata_years(key, data, errors, context):
    try:
        years = [int(satudata_year(v)) for v in _as_list(data.get(key))]
    except Invalid as e:
        errors[key].append(e.error)
        return
    data[key] = json.dumps(sorted(set(years))) if years else ""


def satudata_date_list(key, data, errors, context):
    try:
        dates = [_iso_date(v) for v in _as_list(data.get(key))]
    except Invalid as e:
        errors[key].append(e.error)
        return
    data[key] = json.dumps(sorted(set(dates))) if dates else ""


def satudata_sdsn(value):
    if _empty(value):
        return value
    value = str(value).strip().upper()
    if not SDSN_PATTERN.match(value):
        raise Invalid(_(
            "Not an SDSN code: expected SD, SP, ST, SE or UL, 5 digits, "
            "then .province.regency, e.g. SP00055.35.14"))
    return value


def satudata_kode_wilayah(key, data, errors, context):
    codes = _as_list(data.get(key))
    unknown = [c for c in codes if not wilayah.is_valid(c)]
    if unknown:
        errors[key].append(_("Unknown Kemendagri region code: {codes}").format(
            codes=", ".join(unknown)))
        return
    data[key] = json.dumps(sorted({wilayah.get(c)["kode"] for c in codes})) if codes else ""


def _dataset_id(reference: str, context) -> str:
    """The name of the linked dataset, which the editor must be able to read: a
    link to another OPD's draft would confirm it and, once the linking dataset is
    published, show its name. Unreadable answers like unknown (no oracle)."""
    model = context["model"]
    dataset = model.Package.get(reference)
    if dataset is None or dataset.state == "deleted" or not _readable(dataset, context):
        raise Invalid(_("No dataset {name} on this portal").format(name=reference))
    return dataset.name


def _readable(dataset, context) -> bool:
    return visibility.readable_by(context)(dataset.id)


def satudata_dataset_link(value, context):
    if _empty(value):
        return value
    return _dataset_id(str(value).strip(), context)


def satudata_dataset_links(key, data, errors, context):
    try:
        names = [_dataset_id(v, context) for v in _as_list(data.get(key))]
    except Invalid as e:
        errors[key].append(e.error)
        return
    data[key] = json.dumps(list(dict.fromkeys(names))) if names else ""


@scheming_validator
def satudata_schema_rules(field, schema):
    """The cross-field rules of SCHEMA (see schemas/README.md), as one validator."""
    checks = rules.compile_rules(schema)

    def validator(key, data, errors, context):
        # A draft may leave fields empty (see scheming_drafts); what is filled
        # must still be consistent.
        draft = data.get(("state",)) == "draft"
        for field_name, message in rules.broken(checks, data, schema, skip_required=draft):
            _add_field_error(errors, field_name, message)
    return validator


def _add_field_error(errors: dict, field_name: str, message: str) -> None:
    """Record MESSAGE on FIELD_NAME, also when it is a repeating field.

    A repeating field's rows have error keys of their own ((name, i, sub));
    CKAN cannot unflatten those next to a (name,) key, so the message goes on
    the group only when no row has an error, else beside the first row error.
    """
    rows = [k for k in errors if len(k) > 1 and k[0] == field_name]
    with_errors = [k for k in rows if errors[k]]
    if with_errors:
        errors[sorted(with_errors)[0]].append(message)
        return
    for k in rows:
        del errors[k]
    errors.setdefault((field_name,), []).append(message)


@scheming_validator
def satudata_prefill_from_organization(field, schema):
    """Empty fields marked ``prefill_from_organization`` take the OPD profile's value.

    Block I of MS-Keg repeats the producer's address and contacts; kept once
    in the organization profile, they need not be typed again per activity.
    """
    targets = {f["field_name"]: f["prefill_from_organization"]
               for f in schema.get("dataset_fields", []) if "prefill_from_organization" in f}

    def validator(key, data, errors, context):
        owner = data.get(("owner_org",))
        if not targets or _empty(owner):
            return
        org = context["model"].Group.get(owner)
        if org is None:
            return  # owner_org's own validator reports it
        profile = dict(org.extras, title=org.title)
        for name, source in targets.items():
            if _empty(data.get((name,))) and profile.get(source):
                data[(name,)] = profile[source]
    return validator
