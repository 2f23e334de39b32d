"""Browser tests: a real CKAN web server and RQ worker as subprocesses on the
test database, Solr and Redis, driven by Debian's headless Chromium through
Playwright (never a downloaded browser). Screenshots go to test-artifacts/.

Each module builds its world once (module scope): the server runs for the
whole module, so the data it serves must not be reset between its tests.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
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
         "ckan.site_id=satudata_test",
         f"ckan.storage_path={config['ckan.storage_path']}"],
        check=True)
    return path


class LiveServer:
    """The web server and RQ worker started by the run command's own shell
    functions (gunicorn, `ckan satudata worker`), with the run config, on the test
    services, at a free port."""

    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.state = workdir / "state"
        self.state.mkdir()
        self.ini = run_config(self.state / "ckan.ini", self.url)
        self.logs = ARTIFACTS / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    def _run(self, functions: str) -> None:
        script = f"set -euo pipefail; source scripts/lib/common.sh; source scripts/lib/ckan.sh; {functions}"
        env = dict(os.environ, SATUDATA_STATE=str(self.state), SATUDATA_WEB_PORT=str(self.port),
                   SATUDATA_VENV=str(Path(sys.executable).parents[1]))
        done = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=180)
        if done.returncode != 0:
            raise RuntimeError(f"{functions}: {done.stderr[-2000:]}")

    def start(self) -> "LiveServer":
        self._run("ckan_worker_start; ckan_web_start")
        return self

    def token(self, user: str) -> str:
        """An API token of USER made by the server's own configuration (its secret signs
        it), as `ckan user token add` makes one for an operator."""
        done = subprocess.run([str(Path(sys.executable).with_name("ckan")), "-c", str(self.ini),
                               "user", "token", "add", user, "test"], capture_output=True,
                              text=True, timeout=120, env=os.environ.copy())
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.strip().splitlines()[-1].strip()

    def stop(self) -> None:
        self._run("ckan_stop")
        for log in (self.state / "log").glob("*.log"):
            shutil.copy(log, self.logs / log.name)


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


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class Shots:
    """Numbered screenshots of one test in test-artifacts/<test>/.

    `look(page, step)` is the journeys' helper after each navigation: the page
    at 1280x900 and at 390x844, a screenshot of each and the page checks
    (pagecheck.py) at each width; failures are gathered, not raised, so that one
    run lists every page's failures (`assert_pages_ok()` at the end)."""

    def __init__(self, name: str):
        self.dir = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("*.png"):
            old.unlink()
        self.n = 0
        self.pages = []
        self.failures = []

    def __call__(self, page, step: str) -> Path:
        self.n += 1
        path = self.dir / f"{self.n:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def look(self, page, step: str) -> None:
        from ckanext.satudata.tests.browser import pagecheck

        self(page, step)
        self.failures += pagecheck.check_page(page)
        page.set_viewport_size(PHONE)
        try:
            self(page, f"{step}-phone")
            self.failures += [f for f in pagecheck.check_page(page) if f not in self.failures]
        finally:
            page.set_viewport_size(DESKTOP)

    def assert_pages_ok(self) -> None:
        (self.dir / "pagecheck.txt").write_text("".join(f"{f}\n" for f in self.failures), encoding="utf-8")
        assert not self.failures, "page checks failed:\n" + "\n".join(map(str, self.failures))


@pytest.fixture
def shots(request):
    return Shots(request.node.name)


@pytest.fixture
def new_page(request, browser, live_server, shots):
    """new_page(locale=…) → a page in a fresh browser context (own cookies) on the live server."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, accept_downloads=True,
                                      viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Jakarta")
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


# ------------------------------------------------------------------ people and forms

PASSWORD = "sandi-uji-browser-2024"


def log_in(page, user: str) -> None:
    page.goto("/user/login")
    page.fill("#field-login", user)
    page.fill("#field-password", PASSWORD)
    with page.expect_navigation():
        page.locator("#field-password").press("Enter")
    assert "/user/login" not in page.url, f"{user} could not log in"


def fill_title(page, title: str) -> None:
    """Type a dataset's title once CKAN's slug modules listen to it.

    Both modules initialise after the page loads; a title typed before the
    URL preview exists never reaches the name field (seen once in CI).
    """
    page.locator(".slug-preview-value").wait_for(state="attached")
    page.fill("#field-title", title)


def fill_reference_page(page) -> None:
    """The dataset form's page 3 (kode referensi and time), as a Pasuruan OPD fills it."""
    page.locator("input[name=kode_wilayah]").first.fill("35.14")
    page.select_option("#field-level_penyajian", "KECAMATAN")
    page.locator("input[name=tahun_data]").first.fill("2023")
    page.select_option("#field-frekuensi", "TAHUNAN")
    page.fill("#field-jadwal_rilis_berikutnya", "2025-03-31")
    page.fill("#field-id_sds", "SP00055.35.14")
    page.check("#field-data_prioritas-false")


def set_hidden(page, selector: str, value: str) -> None:
    """Value of an input that a select2 widget hides (tags, format autocomplete)."""
    page.locator(selector).evaluate("(el, value) => { el.value = value; }", value)


def save(page, value: str | None = None) -> None:
    """Press the dataset form's save button (the one with VALUE when several)."""
    button = "form#dataset-edit button[name=save]" + (f"[value={value}]" if value else "")
    with page.expect_navigation():
        page.locator(button).first.click()


def validation_status(page, slug: str) -> str | None:
    """The first resource's validation status, asked with PAGE's session."""
    response = page.context.request.get(f"/api/3/action/package_show?id={slug}")
    resources = response.json()["result"]["resources"]
    return resources[0].get("validation_status") if resources else None


def wait_validated(page, slug: str, timeout: float = 120) -> None:
    """The real worker validates an upload in the background."""
    import time

    deadline = time.monotonic() + timeout
    while (status := validation_status(page, slug)) != "success":
        assert time.monotonic() < deadline, f"the worker did not validate the upload: {status}"
        time.sleep(0.5)


def state_is(page, slug: str, state: str) -> None:
    """The dataset page, as PAGE's user sees it, shows lifecycle state STATE."""
    page.goto(f"/dataset/{slug}")
    badges = page.locator("[data-satudata-state]")
    assert page.locator(f"[data-satudata-state={state}]").count() >= 1, (
        f"expected {state}; the page shows {[badges.nth(i).get_attribute('data-satudata-state') for i in range(badges.count())]}")


def act(page, slug: str, action: str) -> None:
    """Press the workflow button ACTION on the dataset page (the step may hide
    the dataset from the one who took it: the next holder checks the state)."""
    page.goto(f"/dataset/{slug}")
    with page.expect_navigation():
        page.locator(f"[data-satudata-action={action}]").click()
