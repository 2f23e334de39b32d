"""The RQ worker the portal runs (``ckan satudata worker``): CKAN's worker plus
recovery at start and every ``ckanext.satudata.recovery_interval`` seconds.

Recovery (``run``) repairs what a failed service left behind: validation
checks left ``running`` by a dead worker (its heartbeat stopped) or ``pending``
without a job (queued while Redis was down, or lost when Redis restarted),
downloads a killed job left in the temp directory, and search documents that
disagree with the database (Solr down during a change). RQ calls
``run_maintenance_tasks`` in the worker's main process, at start and between
jobs; CKAN's worker disposes the database engine before each fork.
"""
from __future__ import annotations

import logging

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import jobs

log = logging.getLogger(__name__)


def run() -> dict[str, dict[str, int] | int | str]:
    """One round of recovery; each part runs even when another fails."""
    from ckanext.satudata.recovery import index
    from ckanext.satudata.validation import jobs as validation_jobs

    done: dict = {}
    parts = {
        "validation_running": validation_jobs.recover_stale,
        "validation_pending": validation_jobs.recover_pending,
        "stale_downloads": validation_jobs.remove_stale_downloads,
        "index": lambda: index.reconcile().as_dict(),
    }
    for name, part in parts.items():
        try:
            done[name] = part()
        except Exception as error:  # noqa: BLE001 (a service still down: next round)
            log.warning("Recovery step %s failed: %s", name, error)
            model.Session.rollback()
            done[name] = f"failed: {error}"
        finally:
            model.Session.remove()
    log.info("Recovery: %s", done)
    return done


class Worker(jobs.Worker):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("maintenance_interval", interval())
        super().__init__(*args, **kwargs)

    @property
    def dequeue_timeout(self) -> int:
        # An idle worker wakes up at least once per interval to run recovery.
        return max(1, min(super().dequeue_timeout, interval()))

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        run()


def interval() -> int:
    return int(tk.config.get("ckanext.satudata.recovery_interval"))
