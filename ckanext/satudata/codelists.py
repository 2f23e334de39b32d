"""The codelists of the SDI/BPS scheme, read from schemas/codelists.yaml.

Stored values are INDAH enum strings; labels come in Indonesian and English.
The file is read once per process: it changes only with a new release.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

CODELISTS_FILE = Path(__file__).parent / "schemas" / "codelists.yaml"


@functools.lru_cache(maxsize=None)
def all_codelists() -> dict[str, dict[str, Any]]:
    with CODELISTS_FILE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def values(name: str) -> list[dict[str, Any]]:
    """The entries ({value, label: {id, en}}) of codelist NAME; KeyError if unknown."""
    return all_codelists()[name]["values"]


def allowed(name: str) -> set[str]:
    return {str(entry["value"]) for entry in values(name)}


def choices(name: str) -> list[dict[str, Any]]:
    """Scheming choices: [{value, label: {id, en}}]."""
    return [{"value": str(e["value"]), "label": e["label"]} for e in values(name)]


def label(name: str, value: str, lang: str = "id") -> str:
    """The label of VALUE in LANG (falls back to Indonesian, then to the value)."""
    for entry in values(name):
        if str(entry["value"]) == value:
            return entry["label"].get(lang) or entry["label"].get("id") or value
    return value
