"""A published world for the public pages: an OPD with a published data
sektoral (uploaded CSV, validated), its published kegiatan and indikator, and
datasets that must stay hidden (a draft, a restricted one)."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.workflow.conftest import Portal
from ckanext.satudata.workflow import service


def reach(portal: Portal, dataset: dict, goal: str) -> None:
    """Walk DATASET to state GOAL through real transitions by the right roles."""
    pkg = model.Package.get(dataset["id"])
    members = {"produsen": portal.produsen, "walidata": portal.walidata, "pembina": portal.pembina}
    for step in service.path(service.workflow_of(pkg), service.state_id(pkg), goal):
        helpers.call_action("satudata_workflow_transition", {"user": members[step.by[0]]["name"]},
                            id=dataset["id"], action=step.action, to=step.to,
                            comment="Alasan uji" if step.reason_required else "")


def validated_upload(upload_resource, dataset: dict, user: str, filename: str) -> dict:
    resource = upload_resource(dataset["id"], filename, user)
    helpers.call_action("resource_validation_run", {"ignore_auth": True},
                        resource_id=resource["id"], **{"async": False})
    return helpers.call_action("resource_show", id=resource["id"])


class World:
    def __init__(self, upload_resource):
        self.portal = portal = Portal()
        produsen = portal.produsen["name"]
        self.kegiatan = sd.create(sd.kegiatan(portal.opd["id"], name="registrasi-penduduk"), produsen)
        self.indikator = sd.create(sd.indikator(portal.opd["id"], name="rasio-jenis-kelamin"), produsen)
        self.published = sd.create(sd.data_sektoral(
            portal.opd["id"], name="penduduk-terbit", title="Penduduk Terbit", kegiatan="registrasi-penduduk",
            indikator=["rasio-jenis-kelamin"], klasifikasi=""), produsen)
        self.resource = validated_upload(upload_resource, self.published, produsen, "penduduk_kecil.csv")
        self.draft = portal.dataset(name="penduduk-draf", title="Penduduk Masih Draf")
        self.draft_resource = validated_upload(upload_resource, self.draft, produsen, "penduduk_kecil.csv")
        self.restricted = portal.dataset(name="penduduk-terbatas", title="Penduduk Terbatas",
                                         akses="TERBATAS")
        self.restricted_resource = validated_upload(upload_resource, self.restricted, produsen,
                                                    "penduduk_kecil.csv")
        self.withdrawn = portal.dataset(name="penduduk-ditarik", title="Penduduk Ditarik")
        self.withdrawn_resource = validated_upload(upload_resource, self.withdrawn, produsen,
                                                   "penduduk_kecil.csv")
        for dataset in (self.kegiatan, self.indikator, self.published, self.restricted, self.withdrawn):
            reach(portal, dataset, "terpublikasi")
        reach(portal, self.withdrawn, "ditarik")


def _upload(dataset_id: str, filename: str, user: str) -> dict:
    import ckan.plugins.toolkit as tk
    from werkzeug.datastructures import FileStorage

    from ckanext.satudata.tests.conftest import FIXTURES

    with (FIXTURES / filename).open("rb") as stream:
        return tk.get_action("resource_create")({"user": user}, {
            "package_id": dataset_id, "name": filename, "url": filename, "format": "CSV",
            "upload": FileStorage(stream=stream, filename=filename)})


@pytest.fixture(scope="module")
def world():
    """Built once per module (workflow walks and validation runs are slow);
    the tests only read it. The same reset as clean_db/clean_index."""
    from ckanext.satudata.tests.conftest import reset_world

    reset_world()
    return World(_upload)
