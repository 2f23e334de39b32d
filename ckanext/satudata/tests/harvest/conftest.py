"""A downstream CKAN 2.11 (plain: no satudata, no scheming) with ckanext-harvest's
CKAN harvester and ckanext-dcat's DCAT RDF harvester, harvesting the portal served
by the browser tests' LiveServer (the run config on the test services).

The downstream has its own database (``ckan_downstream``), Solr core
(``ckan_downstream``, made by ``scripts/satudata test``) and Redis db, and runs in
its own processes (downstream.py): CKAN's configuration is global, so the two
portals never share a Python process.
"""
from __future__ import annotations

import configparser
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


def _portal_plugins() -> str:
    shared = configparser.RawConfigParser(strict=False)
    shared.read(ROOT / "config" / "satudata.ini")
    return shared.get("app:main", "ckan.plugins")


class Downstream:
    """SATUDATA False: a plain CKAN (downstream.ini). True: a Satu Data portal of a
    province (config/satudata.ini, this extension's plugins) with ckanext-harvest
    and the satudata harvester, harvesting the regency portal of the tests."""

    def __init__(self, workdir: Path, satudata: bool = False):
        from ckan.plugins.toolkit import config

        self.ini = workdir / "downstream.ini"
        shared = str(HERE / "downstream.ini")
        own: list[str] = []
        if satudata:
            shared = str(ROOT / "config" / "satudata.ini")
            own = [f"ckan.plugins={_portal_plugins()} harvest satudata_harvester",
                   "ckanext.satudata.region.code=35",
                   "ckanext.satudata.region.name=Provinsi Jawa Timur"]
        database = config["sqlalchemy.url"].rsplit("/", 1)[0] + "/ckan_downstream"
        solr = config["solr_url"].rstrip("/").rsplit("/", 1)[0] + "/ckan_downstream"
        redis = config["ckan.redis.url"].rsplit("/", 1)[0]
        host, port = redis.split("//", 1)[1].rsplit(":", 1)
        storage = workdir / "storage"
        storage.mkdir()
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "lib" / "ckan_ini.py"), str(self.ini),
             shared, *own, f"sqlalchemy.url={database}", f"solr_url={solr}",
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


@pytest.fixture(scope="package")  # both harvest tests: the server reads whatever the DB holds
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live")).start()
    yield server
    server.stop()


@pytest.fixture
def downstream(tmp_path_factory):
    node = Downstream(tmp_path_factory.mktemp("downstream"))
    node.reset()
    return node


@pytest.fixture
def satudata_downstream(tmp_path_factory):
    node = Downstream(tmp_path_factory.mktemp("downstream"), satudata=True)
    node.reset()
    return node


def as_user(user: dict) -> dict:
    return {"user": user["name"], "ignore_auth": False}


def make_world(portal, upload=None) -> dict:
    """The regency portal both harvest tests start from: 5 published records (a data
    sektoral linked to a kegiatan and an indikator, two more data sektoral), one
    withdrawn, one draft, one approved but not published. With UPLOAD (the
    upload_resource fixture) the data sektoral gets a validated CSV with its MS-Var
    variables, and the indikator links to the kegiatan."""
    from ckan.tests import helpers

    from ckanext.satudata.tests import factories as sd
    from ckanext.satudata.tests.dcat.conftest import reach

    org, user = portal.opd["id"], portal.produsen["name"]
    made = {}
    made["kegiatan"] = sd.create(sd.kegiatan(org, name="survei-kepuasan"), user)
    linked = {"kegiatan": "survei-kepuasan"} if upload else {}
    made["indikator"] = sd.create(sd.indikator(org, name="rasio-jenis-kelamin", **linked), user)
    made["dataset"] = sd.create(sd.data_sektoral(org, name="penduduk-kecamatan", kegiatan="survei-kepuasan",
                                                 indikator=["rasio-jenis-kelamin"]), user)
    if upload:
        resource = upload(made["dataset"]["id"], "penduduk_valid.csv", user, variabel=sd.VARIABLES)
        helpers.call_action("resource_validation_run", {"ignore_auth": True},
                            resource_id=resource["id"], **{"async": False})
    made["to_withdraw"] = sd.create(sd.data_sektoral(org, name="akan-ditarik", title="Akan ditarik",
                                                     kegiatan=None), user)
    made["to_revise"] = sd.create(sd.data_sektoral(org, name="akan-direvisi", title="Akan direvisi",
                                                   kegiatan=None), user)
    for record in made.values():
        reach(portal, record, "terpublikasi")
    made["withdrawn"] = sd.create(sd.data_sektoral(org, name="sudah-ditarik", title="Sudah ditarik",
                                                   kegiatan=None), user)
    reach(portal, made["withdrawn"], "ditarik")
    made["draft"] = sd.create(sd.data_sektoral(org, name="masih-draf", title="Masih draf", kegiatan=None),
                              user)
    made["approved"] = sd.create(sd.data_sektoral(org, name="sudah-disetujui", title="Sudah disetujui",
                                                  kegiatan=None), user)
    reach(portal, made["approved"], "disetujui")
    return made


PUBLISHED = ("dataset", "kegiatan", "indikator", "to_withdraw", "to_revise")
REVISED_NOTES = "Jumlah penduduk per kecamatan, posisi akhir tahun (revisi 2026)."


def revise(portal, record: dict) -> None:
    """A staged revision of RECORD with new notes, taken through review to publication."""
    from ckan.tests import helpers

    from ckanext.satudata.tests.dcat.conftest import reach

    copy = helpers.call_action("satudata_revision_create", as_user(portal.produsen), id=record["name"])
    helpers.call_action("package_patch", as_user(portal.produsen), id=copy["id"], notes=REVISED_NOTES)
    reach(portal, copy, "terpublikasi")
    assert helpers.call_action("package_show", id=record["id"])["notes"] == REVISED_NOTES
