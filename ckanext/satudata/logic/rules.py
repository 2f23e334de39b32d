"""Cross-field rules written on schema fields: required_if, only_if, not_before.

See schemas/README.md for the YAML. The rules are compiled once per schema and
checked against CKAN's flattened data dict (keys are tuples), where a field
of a dataset is ``(name,)`` and a repeating field only exists through its
sub-keys ``(name, index, subfield)``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

import ckan.plugins.toolkit as tk

from ckanext.satudata import codelists, lang

_ = tk._


@dataclass(frozen=True)
class Rule:
    field: str
    kind: str            # required (repeating field) | required_if | only_if | not_before
    target: dict | str   # a CONDITION, or the other field of not_before


def compile_rules(schema: dict) -> list[Rule]:
    found = []
    for field in schema.get("dataset_fields", []):
        # Scheming checks required plain fields itself, not repeating ones.
        if field.get("required") and "repeating_subfields" in field:
            found.append(Rule(field["field_name"], "required", {}))
        for kind in ("required_if", "only_if", "not_before"):
            if kind in field:
                found.append(Rule(field["field_name"], kind, field[kind]))
    return found


def value(data: dict, name: str) -> Any:
    """A field's value in flattened data: plain, or a repeating field's items."""
    if (name,) in data:
        return data[(name,)]
    items = [v for k, v in data.items()
             if len(k) == 3 and k[0] == name and not _empty(v)]
    return items or None


def _empty(v: Any) -> bool:
    return v is None or v is tk.missing or v == "" or v == [] or v == "[]"


def _as_list(v: Any) -> list[str]:
    if _empty(v):
        return []
    if isinstance(v, str) and v.startswith("["):
        return [str(x) for x in json.loads(v)]
    if isinstance(v, (list, tuple)):
        return [str(x) for x in v]
    return [str(v)]


_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": lambda v, want: not _empty(v) and str(v) == str(want),
    "in": lambda v, want: not _empty(v) and str(v) in {str(w) for w in want},
    "contains": lambda v, want: str(want) in _as_list(v),
    # An unanswered yes/no question is neither yes nor no.
    "is_true": lambda v, want: not _empty(v) and (str(v).lower() == "true") == bool(want),
}


def holds(condition: dict, data: dict) -> bool:
    v = value(data, condition["field"])
    return any(_TESTS[test](v, condition[test]) for test in _TESTS if test in condition)


def describe(condition: dict, schema_fields: dict[str, dict]) -> str:
    """'<label> = <value label>' in the user's language, for messages."""
    field = schema_fields.get(condition["field"], {})
    label = lang.text(field.get("label", condition["field"]))
    for test in ("equals", "contains", "in", "is_true"):
        if test in condition:
            want = condition[test]
            if test == "is_true":
                return f"{label} = {_('Yes') if want else _('No')}"
            wants = want if isinstance(want, list) else [want]
            shown = ", ".join(_value_label(field, str(w)) for w in wants)
            return f"{label} = {shown}"
    return label


def broken(rules: Iterable[Rule], data: dict, schema: dict,
           skip_required: bool = False) -> Iterator[tuple[str, str]]:
    """(field, message) for every rule DATA breaks (a draft skips "must be filled")."""
    fields = {f["field_name"]: f for f in schema.get("dataset_fields", [])}
    for rule in rules:
        if skip_required and rule.kind in ("required", "required_if"):
            continue
        v = value(data, rule.field)
        if rule.kind == "required" and _empty(v):
            yield rule.field, _("Add at least one entry")
        elif rule.kind == "required_if" and _empty(v) and holds(rule.target, data):
            yield rule.field, _("Required when {condition}").format(
                condition=describe(rule.target, fields))
        elif rule.kind == "only_if" and not _empty(v) and not holds(rule.target, data):
            yield rule.field, _("Must stay empty unless {condition}").format(
                condition=describe(rule.target, fields))
        elif rule.kind == "not_before":
            start = value(data, rule.target)
            if not _empty(v) and not _empty(start) and str(v) < str(start):
                yield rule.field, _("Must not be earlier than {field} ({date})").format(
                    field=lang.text(fields.get(rule.target, {}).get("label", rule.target)),
                    date=start)


def _value_label(field: dict, v: str) -> str:
    if "codelist" in field:
        return codelists.label(field["codelist"], v, lang.current())
    return v
