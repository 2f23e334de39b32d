"""A running job's heartbeat in Redis: how recovery tells a live job from a dead one.

A worker killed outright (kill -9, OOM) cannot mark its row; RQ would only
notice at the job timeout (an hour). While a validation runs, a thread of
the job process renews ``satudata:heartbeat:<resource>`` every
``ckanext.satudata.heartbeat_seconds``; the key expires three beats after
the process died, and the next recovery round requeues the row.
"""
from __future__ import annotations

import contextlib
import logging
import threading
from typing import Iterator

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

log = logging.getLogger(__name__)
KEY = "satudata:heartbeat:{id}"


def interval() -> int:
    return max(1, int(tk.config.get("ckanext.satudata.heartbeat_seconds")))


def grace() -> int:
    """Seconds without a beat after which a job counts as dead."""
    return 3 * interval()


@contextlib.contextmanager
def beating(resource_id: str) -> Iterator[None]:
    key, every = KEY.format(id=resource_id), interval()
    stop = threading.Event()

    def beat() -> None:
        while True:
            try:
                connect_to_redis().set(key, "1", ex=3 * every)
            except Exception as error:  # noqa: BLE001 (Redis down: beat again later)
                log.warning("Heartbeat of %s not written: %s", resource_id, error)
            if stop.wait(every):
                return

    thread = threading.Thread(target=beat, name=f"heartbeat-{resource_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)
        with contextlib.suppress(Exception):
            connect_to_redis().delete(key)


def alive(resource_id: str) -> bool:
    return bool(connect_to_redis().exists(KEY.format(id=resource_id)))
