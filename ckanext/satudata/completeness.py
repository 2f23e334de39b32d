"""Kelengkapan metadata: the share of the fields that ought to be filled.

A field counts when its schema marks it ``required``, ``recommended``, or
``required_if`` with its condition holding for this dataset. The score is
indexed, shown on the dataset page, facetable, and used by the lifecycle as
a gate.
"""
from __future__ import annotations

from typing import Any

from ckanext.satudata.logic import rules

# Form fields that package_show returns under another key.
_SHOWN_AS = {"tag_string": "tags"}

# Facet buckets, lowest first: (lower bound %, facet value).
BUCKETS = ((100, "100"), (80, "80-99"), (50, "50-79"), (0, "0-49"))


def expected_fields(schema: dict, dataset: dict) -> list[str]:
    flat = _flat(dataset)
    names = []
    for field in schema.get("dataset_fields", []):
        condition = field.get("required_if")
        if (field.get("required") or field.get("recommended")
                or (condition and rules.holds(condition, flat))):
            names.append(field["field_name"])
    return names


def missing_fields(schema: dict, dataset: dict) -> list[str]:
    return [n for n in expected_fields(schema, dataset)
            if _blank(dataset.get(n, dataset.get(_SHOWN_AS.get(n, n))))]


def missing_required(schema: dict, dataset: dict) -> list[str]:
    """Required fields (plainly, or by a condition that holds) that are empty."""
    flat = _flat(dataset)
    required = {f["field_name"] for f in schema.get("dataset_fields", [])
                if f.get("required") or (f.get("required_if") and rules.holds(f["required_if"], flat))}
    return [name for name in missing_fields(schema, dataset) if name in required]


def score(schema: dict, dataset: dict) -> int:
    """Percentage (0–100) of the expected fields that are filled."""
    expected = expected_fields(schema, dataset)
    if not expected:
        return 100
    filled = len(expected) - len(missing_fields(schema, dataset))
    return int(100 * filled / len(expected))


def bucket(percent: int) -> str:
    return next(name for low, name in BUCKETS if percent >= low)


def _blank(v: Any) -> bool:
    return v is None or v == "" or v == [] or v == {}


def _flat(dataset: dict) -> dict:
    # rules.holds reads CKAN's flattened form: plain fields are 1-tuples.
    return {(k,): v for k, v in dataset.items() if not isinstance(v, (list, dict))} | {
        (k, i, "x"): item for k, v in dataset.items() if isinstance(v, list)
        for i, item in enumerate(v)}
