"""BPS recommendations (Romantik): which kegiatan need one, and the workflow gate
that holds the report to BPS back while a needed recommendation is missing.

The rule is data (romantik.yaml). The recommendation itself lives on the
kegiatan: ``rekomendasi_dari_bps``, its number ``identitas_rekomendasi`` and
date ``tanggal_rekomendasi`` (schemas/kegiatan.yaml).
"""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

import ckan.plugins.toolkit as tk

RULES = Path(__file__).with_name("romantik.yaml")


@functools.lru_cache(maxsize=None)
def _rules() -> list[dict]:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))["needs_recommendation"]


def _matches(value, wanted) -> bool:
    return value in wanted if isinstance(wanted, list) else value == wanted


def needs_recommendation(kegiatan: dict) -> bool:
    if kegiatan.get("type") != "kegiatan":
        return False
    return any(all(_matches(kegiatan.get(k), v) for k, v in rule.items()) for rule in _rules())


def has_recommendation(kegiatan: dict) -> bool:
    given = kegiatan.get("rekomendasi_dari_bps")
    return (given is True or str(given).lower() == "true") and bool(
        str(kegiatan.get("identitas_rekomendasi") or "").strip())


def gate(dataset: dict) -> list[str]:
    """Workflow gate ``rekomendasi_bps``: a kegiatan that needs BPS's recommendation
    has one (its number) before it is reported; other records pass."""
    if not needs_recommendation(dataset) or has_recommendation(dataset):
        return []
    return [tk._("This activity needs a BPS recommendation (Romantik) before it is reported "
                 "to BPS: fill in the recommendation number, or file a request in Romantik first")]
