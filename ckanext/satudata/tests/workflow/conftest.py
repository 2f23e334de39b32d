"""A portal with one user per role, for the workflow tests."""
import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.workflow import service


class Portal:
    def __init__(self):
        self.produsen = factories.User(name="produsen-dinkes")
        self.produsen_lain = factories.User(name="produsen-disdik")
        self.walidata = factories.User(name="walidata")
        self.pembina = factories.User(name="pembina-bps")
        self.sysadmin = factories.Sysadmin(name="admin-satudata")
        self.opd = sd.opd(users=[{"name": "produsen-dinkes", "capacity": "editor"}])
        self.opd_lain = sd.opd(name="dinas-pendidikan", title="Dinas Pendidikan",
                               users=[{"name": "produsen-disdik", "capacity": "editor"}])
        factories.Organization(name="diskominfo", users=[{"name": "walidata", "capacity": "editor"}])
        factories.Organization(name="bps", users=[{"name": "pembina-bps", "capacity": "member"}])

    def dataset(self, **overrides):
        return sd.create(sd.data_sektoral(self.opd["id"], kegiatan=None, **overrides),
                         self.produsen["name"])

    def kegiatan(self, **overrides):
        """The producer's kegiatan (a survey; with BPS's letter when it says it has BPS's
        recommendation, see factories.create)."""
        return sd.create(sd.kegiatan(self.opd["id"], **overrides), self.produsen["name"])

    def reach(self, dataset, goal, reason="Alasan uji"):
        """Walk DATASET to GOAL by the shortest path, each step by the role's user."""
        pkg = model.Package.get(dataset["id"])
        actors = {"produsen": self.produsen, "walidata": self.walidata, "pembina": self.pembina}
        for step in service.path(service.workflow_of(pkg), service.state_id(pkg), goal):
            helpers.call_action("satudata_workflow_transition",
                                {"user": actors[step.by[0]]["name"]}, id=dataset["id"],
                                action=step.action, to=step.to,
                                comment=reason if step.reason_required else "")

    def validate(self, dataset_id):
        """Run validation of every resource now, as the worker would."""
        for resource in model.Package.get(dataset_id).resources:
            helpers.call_action("resource_validation_run", {"ignore_auth": True},
                                resource_id=resource.id, **{"async": False})


@pytest.fixture
def portal(clean_db, clean_index, clean_queues):
    return Portal()


def member(name, org, capacity):
    """A new user with CAPACITY in organization ORG."""
    user = factories.User(name=name)
    helpers.call_action("organization_member_create", {"ignore_auth": True, "user": "walidata"},
                        id=org, username=name, role=capacity)
    return user


@pytest.fixture
def delivered(portal, upload_resource):
    """A producer's dataset with a validated upload whose columns are described
    (MS-Var), ready to submit."""
    def make(**overrides):
        dataset = portal.dataset(**overrides)
        upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"],
                        variabel=sd.VARIABLES)
        portal.validate(dataset["id"])
        return dataset
    return make
