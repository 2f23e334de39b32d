"""The CSV, XLSX and JSON downloads of a tabular resource, made once per file version.

A conversion of a big file takes minutes (a 60 MB CSV: 1.45 M rows), so it
is not made on every request: the worker builds the three files after the
validation of a new version (``build``, queued by ``enqueue``) and the view
serves them from ``<storage_path>/satudata/conversions/<resource>/``. A
version whose file is small enough is built by the first request that asks.
A format that cannot hold the data (XLSX over 1,048,576 rows) or a file no
reader should open is refused: a ``.refused`` file keeps the reason, which
the view shows.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile

import ckan.plugins.toolkit as tk

from ckanext.satudata.public import tabular
from ckanext.satudata.validation import limits, state
from ckanext.satudata.validation.problems import Unreadable

log = logging.getLogger(__name__)
JOB_TITLE = "satudata conversions {id}"


def directory(resource_id: str) -> str:
    return os.path.join(tk.config.get("ckan.storage_path"), "satudata", "conversions", resource_id)


def version(resource: dict) -> str:
    return state.fingerprint(resource)


def location(resource: dict, fmt: str) -> str:
    return os.path.join(directory(resource["id"]), f"{version(resource)}.{fmt}")


def cached(resource: dict, fmt: str) -> tuple[str | None, Unreadable | None]:
    """(path of the built file, or None; the refusal, if this version was refused)."""
    path = location(resource, fmt)
    if os.path.isfile(path):
        return path, None
    if os.path.isfile(path + ".refused"):
        with open(path + ".refused") as stream:
            reason = json.load(stream)
        return None, Unreadable(reason.pop("code"), **reason)
    return None, None


def build_one(resource: dict, fmt: str) -> tuple[str | None, Unreadable | None]:
    """Write one conversion of the current version (atomically) or its refusal."""
    path = location(resource, fmt)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    rows = checked_rows(resource)
    if fmt == "xlsx" and rows is not None and rows + 1 > tabular.XLSX_MAX_ROWS:
        problem = Unreadable("too-many-rows", limit=tabular.XLSX_MAX_ROWS, format="XLSX")
        _refuse(path, problem)  # known from the validation: no need to write a million rows
        return None, problem
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".building-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _body(resource, fmt):
                out.write(chunk.encode() if isinstance(chunk, str) else chunk)
        os.replace(tmp, path)
        return path, None
    except Unreadable as problem:
        _refuse(path, problem)
        return None, problem
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def checked_rows(resource: dict) -> int | None:
    """Data rows the validation of this very version counted, if it did."""
    row = state.row(resource["id"])
    if row is None or row.fingerprint != version(resource) or not row.report:
        return None
    tasks = row.report.get("tasks") or [{}]
    return tasks[0].get("stats", {}).get("rows")


def _refuse(path: str, problem: Unreadable) -> None:
    with open(path + ".refused", "w") as stream:
        json.dump({"code": problem.code, **problem.details}, stream)


def _body(resource: dict, fmt: str):
    if fmt == "csv":
        return tabular.as_csv(resource)
    if fmt == "json":
        return tabular.as_json(resource)
    return tabular.as_xlsx(resource, resource.get("name") or "data")


def build(resource_id: str) -> dict[str, str]:
    """The job: every conversion of the resource's current version; older versions removed."""
    try:
        resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
    except tk.ObjectNotFound:
        shutil.rmtree(directory(resource_id), ignore_errors=True)
        return {}
    if not tabular.kind(resource):
        return {}
    done = {}
    for fmt in tabular.CONVERSIONS:
        path, refused = cached(resource, fmt)
        if path is None and refused is None:
            try:
                with limits.memory_cap():
                    path, refused = build_one(resource, fmt)
            except MemoryError:
                refused = Unreadable("too-large", limit=int(tk.config.get(
                    "ckanext.satudata.job_memory_mb")))
                _refuse(location(resource, fmt), refused)
        done[fmt] = refused.code if refused else "built"
    current = version(resource)
    for name in os.listdir(directory(resource_id)):
        if not name.startswith((current, ".building-")):
            os.unlink(os.path.join(directory(resource_id), name))
    log.info("Conversions of resource %s: %s", resource_id, done)
    return done


def enqueue(resource_id: str) -> None:
    tk.enqueue_job(build, [resource_id], title=JOB_TITLE.format(id=resource_id),
                   rq_kwargs={"timeout": int(tk.config.get("ckanext.satudata.validation.job_timeout"))})


def inline_max_bytes() -> int:
    return int(tk.config.get("ckanext.satudata.conversions.inline_max_bytes"))


def size_of(resource: dict) -> int:
    try:
        return os.path.getsize(tabular.path_of(resource))
    except OSError:
        return 0


def describe(problem: Unreadable) -> str:
    return tabular.refusal(problem)


