"""Browser tests: a real CKAN web server and RQ worker as subprocesses on the
test database, Solr and Redis, driven by Debian's headless Chromium through
Playwright (never a downloaded browser). Screenshots go to test-artifacts/.

Each module builds its world once (module scope): the server runs for the
whole module, so the data it serves must not be reset between its tests.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ckanext.satudata.tests.conftest import ROOT

CHROMIUM = os.environ.get("SATUDATA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_config(path: Path, site_url: str) -> Path:
    """The config `make run` writes (same writer, same shared options), pointed at
    the test services: pages are met as users meet the portal, not as test.ini
    would have them."""
    from ckan.plugins.toolkit import config

    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lib" / "ckan_ini.py"), str(path),
         str(ROOT / "config" / "satudata.ini"),
         f"sqlalchemy.url={config['sqlalchemy.url']}", f"solr_url={config['solr_url']}",
         f"ckan.redis.url={config['ckan.redis.url']}", f"ckan.site_url={site_url}",
         "ckan.site_id=satudata_test", "ckan.site_title=Satu Data",
         f"ckan.storage_path={config['ckan.storage_path']}"],
        check=True)
    return path


class LiveServer:
    """`ckan run` and `ckan jobs worker` as `make run` starts them (the run config),
    on the test services, at a free port."""

    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ini = run_config(workdir / "live.ini", self.url)
        self.logs = ARTIFACTS / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.processes: list[subprocess.Popen] = []

    def _start(self, name: str, *args: str) -> subprocess.Popen:
        ckan = Path(sys.executable).with_name("ckan")
        log = (self.logs / f"{name}.log").open("w")
        process = subprocess.Popen([str(ckan), "-c", str(self.ini), *args], stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=os.environ.copy(), start_new_session=True)
        self.processes.append(process)
        return process

    def start(self) -> "LiveServer":
        web = self._start("web", "run", "-H", "127.0.0.1", "-p", str(self.port), "-r", "-t", "-D")
        self._start("worker", "jobs", "worker")
        deadline = time.monotonic() + 90
        while True:
            if web.poll() is not None:
                raise RuntimeError(f"web server exited; see {self.logs / 'web.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/3/action/status_show", timeout=5) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"web server not ready in 90 s; see {self.logs / 'web.log'}")
            time.sleep(0.5)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI and these machines run as root, where Chromium's sandbox refuses to start.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


class Shots:
    """Numbered screenshots of one test in test-artifacts/<test>/."""

    def __init__(self, name: str):
        self.dir = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("*.png"):
            old.unlink()
        self.n = 0
        self.pages = []

    def __call__(self, page, step: str) -> Path:
        self.n += 1
        path = self.dir / f"{self.n:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request):
    return Shots(request.node.name)


@pytest.fixture
def new_page(request, browser, live_server, shots):
    """new_page(locale=…) → a page in a fresh browser context (own cookies) on the live server."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, accept_downloads=True,
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        shots.pages.append(page)
        return page
    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for n, page in enumerate(shots.pages):
            if not page.is_closed():
                page.screenshot(path=str(shots.dir / f"failure-{n}.png"), full_page=True)
    for context in contexts:
        context.close()
