"""A downstream CKAN 2.11 (plain: no satudata, no scheming) with ckanext-harvest's
CKAN harvester and ckanext-dcat's DCAT RDF harvester, harvesting the portal served
by the browser tests' LiveServer (the run config on the test services).

The downstream has its own database (``ckan_downstream``), Solr core
(``ckan_downstream``, made by ``scripts/satudata test``) and Redis db, and runs in
its own processes (downstream.py): CKAN's configuration is global, so the two
portals never share a Python process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ckanext.satudata.tests.browser.conftest import LiveServer
from ckanext.satudata.tests.conftest import ROOT

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
#: CKAN reads these over its ini: `scripts/satudata test` exports them for the portal.
PORTAL_ENV = ("CKAN_SQLALCHEMY_URL", "CKAN_SOLR_URL", "CKAN_REDIS_URL", "CKAN_INI", "CKAN_SITE_URL")


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in PORTAL_ENV}


class Downstream:
    def __init__(self, workdir: Path):
        from ckan.plugins.toolkit import config

        self.ini = workdir / "downstream.ini"
        database = config["sqlalchemy.url"].rsplit("/", 1)[0] + "/ckan_downstream"
        solr = config["solr_url"].rstrip("/").rsplit("/", 1)[0] + "/ckan_downstream"
        redis = config["ckan.redis.url"].rsplit("/", 1)[0]
        host, port = redis.split("//", 1)[1].rsplit(":", 1)
        storage = workdir / "storage"
        storage.mkdir()
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "lib" / "ckan_ini.py"), str(self.ini),
             str(HERE / "downstream.ini"), f"sqlalchemy.url={database}", f"solr_url={solr}",
             f"ckan.redis.url={redis}/5", f"ckan.harvest.mq.hostname={host}",
             f"ckan.harvest.mq.port={port}", "ckan.harvest.mq.redis_db=6",
             "ckan.site_url=http://downstream.test", "ckan.site_id=downstream",
             f"ckan.storage_path={storage}"],
            check=True)

    def ckan(self, *args: str) -> str:
        done = subprocess.run([str(BIN / "ckan"), "-c", str(self.ini), *args], cwd=ROOT, env=_env(),
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"ckan {' '.join(args)}: {done.stderr[-3000:]}")
        return done.stdout

    def reset(self) -> None:
        self.ckan("db", "clean", "--yes")
        self.ckan("db", "init")
        self.ckan("db", "upgrade")
        self.ckan("search-index", "clear")

    def call(self, command: str, *args: str):
        done = subprocess.run([sys.executable, str(HERE / "downstream.py"), str(self.ini), command,
                               *args], cwd=ROOT, env=_env(), capture_output=True, text=True,
                              timeout=300)
        if done.returncode != 0 or "@@RESULT@@" not in done.stdout:
            raise RuntimeError(f"downstream {command}: {done.stderr[-3000:]}")
        return json.loads(done.stdout.split("@@RESULT@@", 1)[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live")).start()
    yield server
    server.stop()


@pytest.fixture
def downstream(tmp_path_factory):
    node = Downstream(tmp_path_factory.mktemp("downstream"))
    node.reset()
    return node
