"""Answers that stay the same for the whole of one bulk step, asked once.

A bulk step (satudata_workflow_bulk_transition) moves up to 1,000 datasets for
one caller: the caller's permission labels and workflow roles, and who holds
a stage in an organization, are the same for each of them. Inside ``kept()``
``remembered`` computes such an answer once and hands out copies; outside it
(every other request) it computes it each time, as before.

Only what a step cannot change belongs here (memberships and jabatan, not a
dataset's state). A membership changed by someone else during the batch
counts from the next request on, as it would for a request already running.
"""
from __future__ import annotations

import contextlib
import copy
from contextvars import ContextVar
from typing import Any, Callable, Hashable

_store: ContextVar[dict | None] = ContextVar("satudata_memo", default=None)


@contextlib.contextmanager
def kept():
    """Remember answers until the block ends (nested blocks share the outer one)."""
    if _store.get() is not None:
        yield
        return
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


def remembered(key: Hashable, compute: Callable[[], Any]) -> Any:
    """COMPUTE()'s answer, computed once per ``kept()`` block for KEY; a copy of it,
    so a caller that changes what it gets changes nobody else's."""
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return copy.copy(store[key])
