"""Reconcile the search index with the database (``ckan satudata reindex --stale``).

The database is the truth. A dataset's Solr document is stale when it is
missing, or its ``metadata_modified``, visibility (``capacity``) or workflow
state differs from the database's; stale documents are reindexed, documents of
datasets that are gone (purged or deleted) are removed. A step the index missed
(Solr down, a commit that failed after the write) is repaired here.
"""
from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import search
from ckan.lib.search.common import make_connection

from ckanext.satudata.model import WorkflowState

log = logging.getLogger(__name__)
PAGE = 1000
# Solr keeps milliseconds; the database keeps microseconds.
TOLERANCE = datetime.timedelta(milliseconds=1)


@dataclass
class Outcome:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"checked": self.checked, "missing": len(self.missing),
                "outdated": len(self.outdated), "removed": len(self.removed),
                "failed": len(self.failed)}


@dataclass
class _Doc:
    modified: datetime.datetime | None
    capacity: str | None
    state: str | None = None


def reconcile(dry_run: bool = False) -> Outcome:
    """Reindex what differs, remove what is gone; raises SearchError if Solr is down."""
    outcome = Outcome()
    expected = _database()
    indexed = _index(set(s for (_, _, s) in expected.values() if s))
    outcome.checked = len(expected)
    for id_, (modified, capacity, state) in expected.items():
        doc = indexed.get(id_)
        if doc is None:
            outcome.missing.append(id_)
        elif (doc.capacity != capacity or (state and doc.state != state) or doc.modified is None
              or abs(doc.modified - modified) >= TOLERANCE):
            outcome.outdated.append(id_)
    outcome.removed = sorted(set(indexed) - set(expected))
    if dry_run:
        return outcome
    for id_ in outcome.missing + outcome.outdated:
        try:
            search.rebuild(id_, defer_commit=True)
        except Exception:  # noqa: BLE001 (one dataset must not stop the rest)
            log.exception("Could not reindex dataset %s", id_)
            outcome.failed.append(id_)
    for id_ in outcome.removed:
        search.clear(id_)
    search.commit()
    return outcome


def _database() -> dict[str, tuple[datetime.datetime, str, str | None]]:
    """{id: (metadata_modified, capacity, workflow state)} of every dataset the index
    should hold (CKAN removes deleted ones); the state is None without a row."""
    rows = (model.Session.query(model.Package.id, model.Package.metadata_modified,
                                model.Package.private, WorkflowState.state)
            .outerjoin(WorkflowState, WorkflowState.package_id == model.Package.id)
            .filter(model.Package.state != "deleted"))
    return {id_: (modified, "private" if private else "public", state)
            for id_, modified, private, state in rows}


def _index(states: set[str]) -> dict[str, _Doc]:
    """{id: document} of every dataset document of this site in Solr."""
    conn = make_connection(decode_dates=False)
    site = f'+site_id:"{tk.config.get("ckan.site_id")}" +entity_type:package'
    docs: dict[str, _Doc] = {}
    cursor = "*"
    while True:
        found = conn.search("*:*", fq=site, fl="id,metadata_modified,capacity", rows=PAGE,
                            sort="index_id asc", cursorMark=cursor)
        for doc in found.docs:
            docs[doc["id"]] = _Doc(_parsed(doc.get("metadata_modified")), doc.get("capacity"))
        if found.nextCursorMark in (None, cursor):
            break
        cursor = found.nextCursorMark
    # The workflow state is indexed but not stored: one query per state.
    for state in states:
        cursor = "*"
        while True:
            found = conn.search("*:*", fq=[site, f'+satudata_state:"{state}"'], fl="id",
                                rows=PAGE, sort="index_id asc", cursorMark=cursor)
            for doc in found.docs:
                if doc["id"] in docs:
                    docs[doc["id"]].state = state
            if found.nextCursorMark in (None, cursor):
                break
            cursor = found.nextCursorMark
    return docs


def _parsed(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
