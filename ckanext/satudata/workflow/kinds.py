"""What kind of state a workflow state is, for badges and summaries.

Workflow files name their states freely (``diperiksa_kasi``, ``direview_pembina``);
the UI needs a handful of kinds to colour them alike across workflows. The kind
follows from the definition itself, so a new workflow file needs no UI change.
"""
from __future__ import annotations

import functools

KINDS = ("draft", "in_review", "returned", "approved", "published", "withdrawn", "rejected")


@functools.lru_cache(maxsize=None)
def _kinds(workflow) -> dict[str, str]:
    entered_by: dict[str, set[str]] = {}
    for t in workflow.transitions:
        entered_by.setdefault(t.to, set()).add(t.action)
    first = workflow.initial_state.id
    kinds = {}
    for state in workflow.states.values():
        actions = entered_by.get(state.id, set())
        holder = workflow.roles.get(state.holder) if state.holder else None
        if state.tombstone:
            kind = "withdrawn"
        elif state.public:
            kind = "published"
        elif state.id == first:
            kind = "draft"
        elif workflow.is_final(state.id):
            kind = "rejected"
        elif holder is not None and holder.organization == "owner" and actions - {"return"}:
            # The producer's own work that is not a correction (pasuruan_kegiatan: the
            # recommendation request, the metadata report after BPS's letter).
            kind = "draft"
        elif "return" in actions and holder is not None and holder.organization == "owner":
            # Back with the producer; a return between review levels stays "in review".
            kind = "returned"
        elif "approve" in actions:
            kind = "approved"
        else:
            kind = "in_review"
        kinds[state.id] = kind
    return kinds


def kind(workflow, state_id: str) -> str:
    """One of KINDS for STATE_ID of WORKFLOW (in_review for an unknown state)."""
    return _kinds(workflow).get(state_id, "in_review")
