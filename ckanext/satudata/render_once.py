"""Page blocks CKAN renders twice per page, rendered once.

CKAN's page.html renders the sidebar block (``secondary``) once to test whether
it is empty (the ``no-nav`` class of the wrapper) and once more to show it. On
the search page the sidebar is the nine facet lists, with a link per facet
item; on a dataset page it is the OPD and licence boxes. The first output is
kept on the template render's evaluation context (one per render of a page,
shared by its blocks; Jinja leaves custom attributes on it alone), so the
second is the same text without a second render, and nothing outlives the
render: a snippet or the next page has an evaluation context of its own.
"""
from __future__ import annotations

from typing import Any

from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext

_ATTR = "satudata_blocks"


@pass_eval_context
def satudata_block_rendered(eval_ctx: EvalContext, name: str) -> Any:
    """This render's output of block NAME, None before it was kept."""
    return getattr(eval_ctx, _ATTR, {}).get(name)


@pass_eval_context
def satudata_block_keep(eval_ctx: EvalContext, name: str, html: Any) -> Any:
    """Keep HTML as this render's output of block NAME, and return it."""
    blocks = getattr(eval_ctx, _ATTR, None)
    if blocks is None:
        blocks = {}
        setattr(eval_ctx, _ATTR, blocks)
    blocks[name] = html
    return html
