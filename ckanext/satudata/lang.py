"""The user's language, and {id: …, en: …} labels in it."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def current() -> str:
    try:
        return tk.h.lang() or "id"
    except (RuntimeError, AttributeError, TypeError):
        return "id"  # outside a request (CLI, worker): the portal's first language


def text(label: Any) -> str:
    if isinstance(label, dict):
        return label.get(current()) or label.get("id") or next(iter(label.values()))
    return str(label)
