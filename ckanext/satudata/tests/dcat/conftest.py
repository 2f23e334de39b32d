"""Datasets in given workflow states, reached through real transitions."""
import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.workflow.conftest import Portal
from ckanext.satudata.workflow import service

STATES = ["draf", "diperiksa_walidata", "direview_pembina", "disetujui", "dikembalikan",
          "terpublikasi", "ditarik", "ditolak"]


def reach(portal, dataset: dict, goal: str, produsen: dict | None = None) -> None:
    pkg = model.Package.get(dataset["id"])
    members = {"produsen": produsen or portal.produsen, "walidata": portal.walidata,
               "pembina": portal.pembina}
    for step in service.path(service.workflow_of(pkg), service.state_id(pkg), goal):
        helpers.call_action("satudata_workflow_transition", {"user": members[step.by[0]]["name"]},
                            id=dataset["id"], action=step.action, to=step.to,
                            comment="Alasan uji" if step.reason_required else "")


@pytest.fixture
def portal(clean_db, clean_index, clean_queues):
    return Portal()


@pytest.fixture
def published(portal, upload_resource):
    """A published data sektoral linked to a published kegiatan and indikator."""
    kegiatan = sd.create(sd.kegiatan(portal.opd["id"], name="survei-kepuasan"), portal.produsen["name"])
    indikator = sd.create(sd.indikator(portal.opd["id"], name="rasio-jenis-kelamin"),
                          portal.produsen["name"])
    dataset = sd.create(sd.data_sektoral(portal.opd["id"], name="penduduk-kecamatan",
                                         kegiatan="survei-kepuasan", indikator=["rasio-jenis-kelamin"]),
                        portal.produsen["name"])
    resource = upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"],
                               variabel=sd.VARIABLES)
    helpers.call_action("resource_validation_run", {"ignore_auth": True},
                        resource_id=resource["id"], **{"async": False})
    for record in (kegiatan, indikator, dataset):
        reach(portal, record, "terpublikasi")
    return portal, dataset, resource, kegiatan, indikator


@pytest.fixture
def portal_draft_kegiatan(published):
    """A published dataset whose kegiatan is still a draft."""
    portal = published[0]
    sd.create(sd.kegiatan(portal.opd["id"], name="survei-rahasia", title="Survei rahasia"),
              portal.produsen["name"])
    dataset = sd.create(sd.data_sektoral(portal.opd["id"], name="penduduk-rahasia",
                                         kegiatan="survei-rahasia"), portal.produsen["name"])
    reach(portal, dataset, "terpublikasi")
    return portal, dataset
