"""Why a file cannot be read as a table: one exception every reader raises and every page explains."""
from __future__ import annotations

from typing import Any


class Unreadable(Exception):
    """The file cannot be read as a table; ``code`` names why (an error type of the report)."""

    def __init__(self, code: str, **details: Any):
        super().__init__(code)
        self.code = code
        self.details = details
