"""Worlds for the security tests: datasets in every kind of state, and who looks at them."""
import pytest

from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.tests.workflow.conftest import Portal

# Workflow (sdi) state → slug; every one but terpublikasi is hidden from outsiders.
SEARCH_STATES = {"draf": "draf", "diperiksa_walidata": "ditinjau", "disetujui": "disetujui",
                 "ditarik": "ditarik", "terpublikasi": "terbit"}


class SearchWorld:
    """Portal users, one dataset per state in the first OPD, each with a file and
    markers (name, title, tag, konsep) no other dataset carries."""

    def __init__(self, portal: Portal, upload_resource):
        self.portal = portal
        self.datasets, self.resources = {}, {}
        for state, slug in SEARCH_STATES.items():
            dataset = portal.dataset(
                name=f"rahasia{slug}-data", title=f"Judulrahasia{slug} penduduk",
                tags=[{"name": "penduduk"}, {"name": f"tagrahasia{slug}"}],
                konsep=f"Konseprahasia{slug} tentang penduduk.")
            self.resources[state] = upload_resource(dataset["id"], "penduduk_valid.csv",
                                                    portal.produsen["name"])
            portal.validate(dataset["id"])
            portal.reach(dataset, state)
            self.datasets[state] = helpers.call_action("package_show", id=dataset["id"])
        self.users = {"anonymous": None, "produsen_lain": portal.produsen_lain,
                      "walidata": portal.walidata, "pembina": portal.pembina,
                      "sysadmin": portal.sysadmin}
        self.tokens = {who: ckan_factories.APIToken(user=u["name"])["token"]
                       for who, u in self.users.items() if u}

    @property
    def published(self) -> dict:
        return self.datasets["terpublikasi"]

    def headers(self, who: str) -> dict:
        return {"Authorization": self.tokens[who]} if who in self.tokens else {}

    def secrets(self, state: str) -> list[str]:
        """What of a dataset in STATE must not reach a caller who cannot read it."""
        dataset, resource = self.datasets[state], self.resources[state]
        return [dataset["id"], dataset["name"], dataset["title"], dataset["konsep"],
                f"tagrahasia{SEARCH_STATES[state]}", resource["id"]]

    def hidden_secrets(self) -> list[str]:
        return [s for state in SEARCH_STATES if state != "terpublikasi"
                for s in self.secrets(state)]

    def leaked(self, body: str, sent: object = "") -> list[str]:
        """Hidden markers in BODY, but for those the caller sent itself (SENT)."""
        sent = str(sent)
        return [s for s in self.hidden_secrets() if s in body and s not in sent]


@pytest.fixture
def search_world(clean_db, clean_index, clean_queues, upload_resource):
    """Two OPDs with producers, a Walidata, a BPS reviewer, a sysadmin; the first
    OPD has a dataset in draft, under review, approved, withdrawn and published."""
    return SearchWorld(Portal(), upload_resource)
