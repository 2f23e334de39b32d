"""A memory cap for a job reading an uploaded file.

The archive check (archive.py) refuses the known bombs before a reader
opens a file; this cap is what stops the ones it does not know. RQ runs
each job in a forked work horse; the cap (RLIMIT_DATA, which counts the
heap and anonymous mappings) is set to what the process holds now plus
``ckanext.satudata.job_memory_mb``, so a file that needs more raises
``MemoryError`` in the job, which ends the check in ``error`` with a
message, instead of the kernel's OOM killer taking the worker. The
previous limit is restored afterwards (a burst worker runs jobs in its
own process).
"""
from __future__ import annotations

import contextlib
import resource
from typing import Iterator

import ckan.plugins.toolkit as tk


def data_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (VmHWM), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


@contextlib.contextmanager
def memory_cap(megabytes: int | None = None) -> Iterator[None]:
    megabytes = megabytes or int(tk.config.get("ckanext.satudata.job_memory_mb"))
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = data_bytes() + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
