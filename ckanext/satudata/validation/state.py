"""The ``validation`` table: one row per resource, its status and the job's bookkeeping.

ckanext-validation's own columns (status, created, finished, report,
error) plus ours (started, attempts, fingerprint; see the migration
c4d5e6f7a8b9). Statuses: ``pending`` (queued; upstream wrote ``created``,
read as pending), ``running``, ``success``, ``failure`` (the file breaks
its schema or is no table), ``error`` (the check itself could not run).
"""
from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

import ckan.model as model

PENDING, RUNNING, SUCCESS, FAILURE, ERROR = "pending", "running", "success", "failure", "error"
STATUSES = (PENDING, RUNNING, SUCCESS, FAILURE, ERROR)
_ALIASES = {"created": PENDING}

table = sa.Table(
    "validation", sa.MetaData(),
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("resource_id", sa.UnicodeText),
    sa.Column("status", sa.UnicodeText),
    sa.Column("created", sa.DateTime),
    sa.Column("finished", sa.DateTime),
    sa.Column("report", sa.JSON),
    sa.Column("error", sa.JSON),
    sa.Column("started", sa.DateTime),
    sa.Column("attempts", sa.Integer),
    sa.Column("fingerprint", sa.UnicodeText),
)


def utcnow() -> datetime.datetime:
    return datetime.datetime.utcnow()


def status_name(raw: str | None) -> str | None:
    return _ALIASES.get(raw, raw)


def fingerprint(resource: dict[str, Any]) -> str:
    """What a validation depends on: the file, its format, its schema and options."""
    schema = resource.get("schema")
    if isinstance(schema, str) and schema.strip().startswith("{"):
        schema = json.loads(schema)
    options = resource.get("validation_options")
    if isinstance(options, str) and options.strip():
        options = json.loads(options)
    url = resource.get("url") or ""
    if resource.get("url_type") == "upload":
        url = url.rsplit("/", 1)[-1]  # shown as a full download URL, stored as the file name
    # last_modified: a datetime in the hooks, ISO text in package_show.
    modified = str(resource.get("last_modified") or "").replace(" ", "T")
    parts = [url, resource.get("url_type"), resource.get("size"), modified]
    parts += [(resource.get("format") or "").lower(), schema or None, options or None]
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def row(resource_id: str) -> Any:
    return model.Session.execute(
        table.select().where(table.c.resource_id == resource_id)).first()


# One array parameter, not IN with a parameter per id: a search page's 20 ids cost
# 170 µs instead of 270 µs (the round trip alone is 110 µs).
_STATUSES = table.select().with_only_columns(
    table.c.resource_id, table.c.status, table.c.finished, table.c.fingerprint,
).where(table.c.resource_id == sa.func.any(sa.bindparam("ids", type_=ARRAY(sa.UnicodeText))))


def statuses(resource_ids: Iterable[str]) -> dict[str, Any]:
    """{resource id: row} of the resources that have one (one query)."""
    ids = list(resource_ids)
    if not ids:
        return {}
    return {r.resource_id: r for r in model.Session.execute(_STATUSES, {"ids": ids}).all()}


def queued(resource: dict[str, Any]) -> None:
    """Reset the resource's row to ``pending`` for a new job (committed: the worker reads it)."""
    values = dict(status=PENDING, created=utcnow(), finished=None, started=None, report=None,
                  error=None, attempts=0, fingerprint=fingerprint(resource))
    _upsert(resource["id"], values)


def started(resource_id: str) -> int:
    """Mark the row running; returns which attempt this is."""
    current = row(resource_id)
    attempts = (current.attempts or 0) + 1 if current else 1
    _upsert(resource_id, dict(status=RUNNING, started=utcnow(), attempts=attempts))
    return attempts


def finished(resource_id: str, status: str, report: dict | None = None,
             error: dict | None = None) -> datetime.datetime:
    when = utcnow()
    _upsert(resource_id, dict(status=status, finished=when, report=report, error=error))
    return when


def requeued(resource_id: str) -> None:
    _upsert(resource_id, dict(status=PENDING, created=utcnow(), started=None))


def stale(older_than: datetime.datetime) -> list[Any]:
    """Rows left ``running`` since before ``older_than``: their worker died."""
    return model.Session.execute(table.select().where(
        table.c.status == RUNNING,
        sa.or_(table.c.started < older_than, table.c.started.is_(None)))).all()


def pending(older_than: datetime.datetime) -> list[Any]:
    """Rows ``pending`` (or upstream's ``created``) since before ``older_than``."""
    return model.Session.execute(table.select().where(
        table.c.status.in_([PENDING, *_ALIASES]),
        sa.or_(table.c.created < older_than, table.c.created.is_(None)))).all()


def _upsert(resource_id: str, values: dict[str, Any]) -> None:
    session = model.Session
    done = session.execute(table.update().where(table.c.resource_id == resource_id)
                           .values(**values))
    if not done.rowcount:
        values.setdefault("created", utcnow())
        values.setdefault("attempts", 0)
        session.execute(table.insert().values(id=str(uuid.uuid4()), resource_id=resource_id,
                                              **values))
    session.commit()
