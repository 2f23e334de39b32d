"""The fault suite: services are stopped and started by the run command's own
shell functions (scripts/lib/solr.sh, redis.sh) on this test run's ports
(exported by `scripts/satudata test`), inside the tests."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import Worker

from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories

from ckanext.satudata.tests.conftest import ROOT, TEST_INI, kill_worker
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401 (a fixture)

SOLR_START = "solr_core ckan && solr_core ckan_test && solr_start"


def service(library: str, functions: str) -> None:
    """Run FUNCTIONS of scripts/lib/LIBRARY.sh as `make run` would."""
    script = (f"set -euo pipefail; cd {ROOT}; source scripts/lib/common.sh; "
              f"source scripts/lib/{library}.sh; {functions}")
    done = subprocess.run(["bash", "-c", script], env=os.environ.copy(), capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]


@contextlib.contextmanager
def solr_down():
    service("solr", "solr_stop")
    try:
        yield
    finally:
        service("solr", SOLR_START)


@contextlib.contextmanager
def redis_down():
    service("redis", "redis_stop")
    try:
        yield
    finally:
        service("redis", "redis_start")


def ckan(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    """A `ckan` command on the test configuration, as the operator runs it."""
    command = [str(Path(sys.executable).with_name("ckan")), "-c", str(TEST_INI), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env=os.environ.copy())


@pytest.fixture
def token():
    """An API token of USER (by name), as a client sends it."""
    return lambda user: factories.APIToken(user=user["name"])["token"]


LOGGING = """
[loggers]
keys = root
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = INFO
handlers = console
[handler_console]
class = StreamHandler
args = (sys.stderr,)
formatter = generic
[formatter_generic]
format = %(asctime)s %(levelname)s [%(name)s] %(message)s
"""


def eventually(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def start_worker(directory: Path, *options: str) -> subprocess.Popen:
    """`ckan satudata worker` as make run starts it, with OPTIONS ("key = value") added to
    the test configuration; returned once registered with RQ (``.log``: its output)."""
    directory.mkdir(parents=True, exist_ok=True)
    ini = directory / "worker.ini"
    ini.write_text(f"[app:main]\nuse = config:{TEST_INI}\n" + "".join(f"{o}\n" for o in options)
                   + LOGGING)
    connection = ckan_jobs.get_queue().connection
    before = {w.name for w in Worker.all(connection=connection)}
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("ckan")), "-c", str(ini), "satudata", "worker"],
        stdout=(directory / "worker.log").open("w"), stderr=subprocess.STDOUT,
        start_new_session=True, env=os.environ.copy())
    process.log = directory / "worker.log"
    # Ready once registered with RQ: a worker that meets Redis down at its start
    # exits (its supervisor restarts it), which is not what these tests look at.
    assert eventually(lambda: {w.name for w in Worker.all(connection=connection)} - before,
                      120), process.log.read_text()[-3000:]
    return process


def stop_worker(process: subprocess.Popen) -> None:
    """Killed outright (the worker and any work horse), so that it takes no job of the
    next test."""
    if process.poll() is None:
        kill_worker(process)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
