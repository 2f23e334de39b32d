"""Fixtures shared by the satudata tests. They run against the real services
that `make test` starts: PostgreSQL, Redis, Solr and an RQ worker process."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk

ROOT = Path(__file__).resolve().parents[3]
TEST_INI = ROOT / "test.ini"
FIXTURES = Path(__file__).parent / "fixtures"


def reset_world() -> None:
    """What clean_db + clean_index + clean_queues do, for a module-scoped world."""
    from ckan.cli.db import _get_pending_plugins, _run_migrations
    from ckan.lib import redis, search
    from ckan.tests import factories, helpers
    import rq

    plugins.load_all()
    factories.fake.unique.clear()
    helpers.reset_db()
    for plugin in _get_pending_plugins():
        _run_migrations(plugin)
    search.clear_all()
    for queue in rq.Queue.all(connection=redis.connect_to_redis()):
        queue.empty()


# Loading the plugins rebuilds CKAN's configuration (≈ 0.4–2 s), and building
# CKAN's Flask app costs ≈ 2 s more (it reloads every plugin); about 300 tests ask
# for an app. Tests run under the configuration of test.ini plus their ckan_config
# marks, so plugins and app are kept from one test to the next while the marks
# are the same and nobody reloaded the plugins meanwhile (a module's reset_world,
# a test's own load_all).
_plugins_for = None   # the setting the loaded plugins were configured under
_shared_app = None
_shared_app_for = None


def _setting(request) -> tuple:
    """The test's ckan_config marks and the plugin instances loaded now (the instances
    themselves, not their ids, which a later instance could reuse)."""
    marks = tuple((m.args[0], repr(m.args[1])) for m in request.node.iter_markers("ckan_config"))
    loaded = tuple(plugins.get_plugin(name) for name in tk.aslist(tk.config.get("ckan.plugins")))
    return marks, loaded


@pytest.fixture(autouse=True)
def load_standard_plugins(request, ckan_config):
    """Every test runs with the plugins of test.ini (or of its ckan_config marks)."""
    global _plugins_for
    if _setting(request) != _plugins_for:
        plugins.load_all()
        _plugins_for = _setting(request)
    yield


@pytest.fixture
def app(request, make_app, load_standard_plugins):
    """CKAN's `app` fixture, shared between consecutive tests of the same setting."""
    global _shared_app, _shared_app_for, _plugins_for
    if _shared_app is None or _shared_app_for != _setting(request):
        _shared_app = make_app()
        # make_app loaded the plugins again, under the test's configuration.
        _shared_app_for = _plugins_for = _setting(request)
    return _shared_app


@pytest.fixture
def plain_wednesday():
    """The portal's clock (calendar.now, model.utcnow) stands at Wed 11 Mar 2026 10:00 WIB,
    a plain office day after another: tests about "yesterday" or "today" then mean the same
    whatever day they run on (on a Sunday, Saturday's due date is Monday 16:00)."""
    import datetime as dt

    from ckanext.satudata.workflow import calendar
    with calendar.use_clock(dt.datetime(2026, 3, 11, 3, 0, tzinfo=dt.timezone.utc)) as clock:
        yield clock


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
    """Run the real RQ worker (`ckan jobs worker --burst`) until the queue is empty;
    INI: another configuration (one that `use`s test.ini and adds options)."""
    def run(timeout: int = 120, ini: Path = TEST_INI) -> subprocess.CompletedProcess:
        ckan = Path(sys.executable).with_name("ckan")
        done = subprocess.run(
            [str(ckan), "-c", str(ini), "jobs", "worker", "--burst"],
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


def children(pid: int) -> list[int]:
    """Processes whose parent is PID (RQ's work horse runs in a process group of its own)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
    return found


def kill_worker(process: subprocess.Popen) -> list[int]:
    """kill -9 of the worker and its work horse, by pid; returns the pids killed."""
    pids = [*children(process.pid), process.pid]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(30)
    return pids
