"""A portal with one user per role, for the workflow tests."""
import pytest

from ckan.tests import factories

from ckanext.satudata.tests import factories as sd


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


@pytest.fixture
def portal(clean_db, clean_index, clean_queues):
    return Portal()
