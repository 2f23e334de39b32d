"""The fault suite: services are stopped and started by the run command's own
shell functions (scripts/lib/solr.sh, redis.sh) on this test run's ports
(exported by `scripts/satudata test`), inside the tests."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ckan.tests import factories

from ckanext.satudata.tests.conftest import ROOT, TEST_INI
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
