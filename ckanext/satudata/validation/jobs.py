"""The RQ job that validates a resource, its queueing, and the recovery of dead jobs.

Every way in (resource create/update hooks, resource_validation_run, the
CLI) queues ``validate_resource`` with a job timeout, so a job that hangs
is stopped by RQ; a worker killed outright (OOM, deploy, kill -9) leaves
its row ``running``, and ``recover_stale`` (run at the start of every job
and by ``ckan satudata validate``) requeues it once more or ends it in
``error``.
"""
from __future__ import annotations

import contextlib
import datetime
import json
import logging
import os
import tempfile
import time
from typing import Any

import redis
from rq.job import Job

import ckan.lib.jobs as ckan_jobs
import ckan.lib.uploader as uploader
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search import rebuild

from ckanext.satudata.net import fetch
from ckanext.satudata.public import conversions, tabular
from ckanext.satudata.recovery import heartbeat
from ckanext.satudata.validation import limits, run, state

log = logging.getLogger(__name__)
JOB_TITLE = "satudata validation {id}"
# A Table Schema is a few KB; a megabyte is generous and bounds the JSON parse.
SCHEMA_MAX_BYTES = 1024 * 1024
TEMP_PREFIX = "satudata-validation-"


class RemoteSchemaError(Exception):
    """The resource's schema link gave something that is no Table Schema."""


def settings() -> dict[str, Any]:
    c = tk.config
    return {
        "decimal_char": c.get("ckanext.satudata.validation.decimal_char"),
        "group_char": c.get("ckanext.satudata.validation.group_char"),
        "limit_errors": c.get("ckanext.satudata.validation.limit_errors"),
        "job_timeout": c.get("ckanext.satudata.validation.job_timeout"),
        "max_attempts": c.get("ckanext.satudata.validation.max_attempts"),
    }


def enqueue(resource: dict[str, Any]) -> None:
    """Queue a validation of the resource (its row becomes ``pending``).

    The row is committed first; when Redis cannot take the job the upload
    still succeeds and the row stays ``pending``: ``recover_pending`` (run by
    the worker at start and periodically) queues it once Redis is back, so
    neither the file nor its check is lost.
    """
    state.queued(resource)
    try:
        _queue(resource["id"])
    except redis.exceptions.RedisError:
        log.warning("Redis unavailable: the check of resource %s stays pending until the "
                    "worker's recovery queues it", resource["id"], exc_info=True)


def _queue(resource_id: str) -> None:
    tk.enqueue_job(validate_resource, [resource_id], title=JOB_TITLE.format(id=resource_id),
                   rq_kwargs={"timeout": int(settings()["job_timeout"])})


def validate_resource(resource_id: str) -> str | None:
    """The job: validate the resource's file now; returns the final status."""
    recover_stale()
    try:
        resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
    except tk.ObjectNotFound:
        log.info("Resource %s is gone; nothing to validate", resource_id)
        return None
    state.started(resource_id)
    try:
        with heartbeat.beating(resource_id), limits.memory_cap():
            status, report, error = _validate(resource)
            if report:
                report["satudata"]["peak_rss_mb"] = limits.peak_rss_mb()
    except MemoryError:
        log.warning("Validation of resource %s needed more memory than allowed", resource_id)
        status, report, error = state.ERROR, None, {
            "type": "too-large", "limit": int(tk.config.get("ckanext.satudata.job_memory_mb")),
            "message": ["The file needs more memory to check than the portal allows"]}
    except Exception as exc:  # the report must say so rather than stay "running"
        log.exception("Validation of resource %s failed", resource_id)
        # The exception's text may quote the file (or a fetched body): the log has it.
        status, report, error = state.ERROR, None, {"message": [type(exc).__name__],
                                                    "type": "internal-error"}
    record(resource_id, status, report, error)
    if status in (state.SUCCESS, state.FAILURE) and tabular.kind(resource):
        try:
            conversions.enqueue(resource_id)  # once per file version, here in the worker
        except redis.exceptions.RedisError:
            log.warning("Redis unavailable: conversions of %s are built on request", resource_id)
    return status


def _validate(resource: dict[str, Any]) -> tuple[str, dict | None, dict | None]:
    schema = resource.get("schema") or None
    if isinstance(schema, str):
        if schema.strip().startswith("{"):
            schema = json.loads(schema)
        else:
            try:
                schema = remote_schema(schema)
            except fetch.FetchError as problem:
                return state.ERROR, None, problem.as_error("schema")
            except RemoteSchemaError:
                # Never the parser's message: it would quote what the link returned.
                return state.ERROR, None, {"type": "schema-error", "target": "schema",
                                           "message": ["The schema link gives no Table Schema"]}
    options = resource.get("validation_options") or {}
    if isinstance(options, str):
        options = json.loads(options) if options.strip() else {}
    try:
        with local_copy(resource) as path:
            if path is None:
                return state.ERROR, None, {"type": "file-missing",
                                           "message": ["The uploaded file is missing from storage"]}
            status, report = run.validate_file(path, resource.get("format") or "", schema,
                                               options, settings())
            # The pages preview, chart and convert a linked file from this copy.
            tabular.keep_snapshot(resource, path)
    except fetch.FetchError as problem:
        return state.ERROR, None, problem.as_error("file")
    report["satudata"]["fingerprint"] = state.fingerprint(resource)
    return status, report, None


class local_copy:
    """The resource's file as a local path: the upload itself, or a download of its URL.

    The download goes through ``net.fetch`` (no internal addresses, size and
    time capped) and raises its ``FetchError``.
    """

    def __init__(self, resource: dict[str, Any]):
        self.resource = resource
        self.tmp: str | None = None

    def __enter__(self) -> str | None:
        if self.resource.get("url_type") == "upload":
            path = uploader.get_resource_uploader(self.resource).get_path(self.resource["id"])
            return path if os.path.exists(path) else None
        suffix = "." + (self.resource.get("format") or "csv").lower()
        fd, self.tmp = tempfile.mkstemp(suffix=suffix, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                fetch.fetch(self.resource.get("url") or "", out)
        except BaseException:
            self.__exit__()
            raise
        return self.tmp

    def __exit__(self, *exc) -> None:
        if self.tmp:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.tmp)
            self.tmp = None


def remove_stale_downloads() -> int:
    """Delete downloads a killed job left in the temp directory (older than a job may run)."""
    cutoff = time.time() - int(settings()["job_timeout"]) - 60
    removed = 0
    for entry in os.scandir(tempfile.gettempdir()):
        if entry.name.startswith(TEMP_PREFIX) and entry.is_file() and \
                entry.stat().st_mtime < cutoff:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed += 1
    return removed


def remote_schema(url: str) -> dict:
    """The Table Schema a resource's ``schema`` link names, fetched through ``net.fetch``.

    Frictionless gets the parsed descriptor, never the link: it would fetch
    it itself, unchecked.
    """
    from frictionless import FrictionlessException, Schema

    body = fetch.fetch_bytes(url, max_bytes=SCHEMA_MAX_BYTES)
    try:
        descriptor = json.loads(body)
        if not isinstance(descriptor, dict):
            raise ValueError("not an object")
        with run.offline():
            Schema.from_descriptor(descriptor)
    except (ValueError, FrictionlessException) as problem:
        raise RemoteSchemaError() from problem
    return descriptor


def record(resource_id: str, status: str, report: dict | None, error: dict | None) -> None:
    """Store the result and show it on the resource, without a package_update.

    A package_update would run every plugin's dataset hooks (the workflow,
    staged revisions, an activity by the site user for each check); the
    status is ours to set, so the resource's extras are written directly and
    the dataset reindexed for listings and facets.
    """
    when = state.finished(resource_id, status, report, error)
    resource = model.Resource.get(resource_id)
    if resource is None:
        return
    resource.extras = dict(resource.extras or {}, validation_status=status,
                           validation_timestamp=when.isoformat())
    model.Session.commit()
    rebuild(resource.package_id)


def recover_stale(timeout: int | None = None) -> dict[str, int]:
    """Requeue (or end in ``error``) validations whose worker died mid-job.

    A row counts as abandoned when its job's heartbeat (recovery/heartbeat.py)
    has stopped for longer than its grace (the worker was killed outright), or
    when it has been ``running`` longer than the job timeout plus a minute (RQ
    itself stops a job at the timeout); TIMEOUT, when given, replaces both. It is
    started again until ``max_attempts`` starts were made; then it ends in
    ``error`` so that nothing waits for it forever.
    """
    config = settings()
    now = state.utcnow()
    if timeout is None:
        # Past the job timeout, or silent for longer than the heartbeat's grace.
        cutoff = now - datetime.timedelta(seconds=int(config["job_timeout"]) + 60)
        rows = [row for row in state.stale(now - datetime.timedelta(seconds=heartbeat.grace()))
                if (row.started is None or row.started < cutoff
                    or not heartbeat.alive(row.resource_id))]
    else:
        rows = state.stale(now - datetime.timedelta(seconds=timeout))
    outcome = {"requeued": 0, "errored": 0}
    for row in rows:
        if (row.attempts or 0) < int(config["max_attempts"]):
            state.requeued(row.resource_id)
            _queue(row.resource_id)
            outcome["requeued"] += 1
        else:
            record(row.resource_id, state.ERROR, None, {
                "type": "interrupted",
                "message": [f"Validation was interrupted {row.attempts} times "
                            "(the worker stopped while checking this file)"]})
            outcome["errored"] += 1
    return outcome


def recover_pending(grace: int = 60) -> int:
    """Queue again the ``pending`` checks that have no job in RQ; returns how many.

    A check stays ``pending`` with no job when it was queued while Redis was
    down, or when Redis restarted (it keeps no data) before a worker took the
    job. Rows younger than GRACE seconds are left alone: their job may be
    being queued right now.
    """
    rows = state.pending(state.utcnow() - datetime.timedelta(seconds=grace))
    if not rows:
        return 0
    known = queued_resource_ids()
    lost = [row.resource_id for row in rows if row.resource_id not in known]
    for resource_id in lost:
        log.info("Requeueing the check of resource %s (pending without a job)", resource_id)
        _queue(resource_id)
    return len(lost)


def queued_resource_ids(title: str = JOB_TITLE) -> set[str]:
    """Resources whose job of TITLE (a validation by default) RQ holds (waiting, running or
    about to be retried)."""
    queue = ckan_jobs.get_queue()
    ids = set(queue.get_job_ids())
    for registry in (queue.started_job_registry, queue.scheduled_job_registry,
                     queue.deferred_job_registry):
        ids.update(registry.get_job_ids())
    prefix = title.format(id="")
    found = set()
    for job in Job.fetch_many(list(ids), connection=queue.connection):
        title = ((job and job.meta) or {}).get("title") or ""
        if title.startswith(prefix):
            found.add(title[len(prefix):])
    return found
