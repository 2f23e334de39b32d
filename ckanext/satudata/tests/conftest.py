"""Fixtures shared by the satudata tests. They run against the real services
that `make test` starts: PostgreSQL, Redis, Solr and an RQ worker process."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk

ROOT = Path(__file__).resolve().parents[3]
TEST_INI = ROOT / "test.ini"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def load_standard_plugins(with_plugins):
    """Every test runs with the plugins of test.ini (or of its ckan_config mark)."""


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db plus the tables of plugins (activity, satudata_validation).

    CKAN's first reset of a session drops every table and rebuilds only
    core's; the plugins' pending migrations are applied here, as
    `ckan db upgrade` does.
    """
    from ckan.cli.db import _get_pending_plugins

    reset_db()
    for plugin in _get_pending_plugins():
        migrate_db_for(plugin)


@pytest.fixture
def run_worker(clean_queues):
    """Run the real RQ worker (`ckan jobs worker --burst`) until the queue is empty."""
    def run(timeout: int = 120) -> subprocess.CompletedProcess:
        ckan = Path(sys.executable).with_name("ckan")
        done = subprocess.run(
            [str(ckan), "-c", str(TEST_INI), "jobs", "worker", "--burst"],
            capture_output=True, text=True, timeout=timeout, env=os.environ.copy(),
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done
    return run


@pytest.fixture
def upload_resource():
    """Create a resource from a file in tests/fixtures, stored like a real upload."""
    def upload(dataset_id: str, filename: str, user: str, **fields) -> dict:
        path = FIXTURES / filename
        with path.open("rb") as stream:
            return tk.get_action("resource_create")({"user": user}, {
                "package_id": dataset_id,
                "name": filename,
                "url": filename,
                "format": path.suffix.lstrip(".").upper(),
                "upload": FileStorage(stream=stream, filename=filename),
                **fields,
            })
    return upload
