"""Answers that stay the same for the whole of one web request, computed once in it.

A search page asks the same small questions for each of its 20 results (the
label of a workflow state, the label of a validation status, the fields of a
schema): each is computed once per request and kept on ``flask.g``, which
CKAN makes anew for every request, so nothing reaches the next request or
another user. Keys hold everything the answer depends on besides the request
(the language included: notices are written in the portal's language inside
a request, lang.portal_language). Outside a request (CLI, worker) it computes
each time. Only for answers nobody changes: callers get the kept object.
"""
from __future__ import annotations

from typing import Any, Callable, Hashable

import ckan.plugins.toolkit as tk
from flask import has_request_context

_STORE = "satudata_request_memo"


def remembered(key: Hashable, compute: Callable[[], Any]) -> Any:
    if not has_request_context():
        return compute()
    store = tk.g.setdefault(_STORE, {})
    if key not in store:
        store[key] = compute()
    return store[key]
