"""A portal with one user per role, the INDAH contract server, and a worker
configuration that points at it."""
from __future__ import annotations

import pytest

from ckan.tests import factories

from ckanext.satudata.tests.conftest import TEST_INI
from ckanext.satudata.tests.indah.contract_server import Contract, serve
from ckanext.satudata.tests.workflow.conftest import Portal

TOKEN = "indah-test-token-7f3a9c"  # test-only; the assertion that it never reaches logs greps for it


class IndahPortal(Portal):
    def __init__(self):
        super().__init__()
        self.produsen_kedua = factories.User(name="produsen-dinkes-2")
        self.indah_bot = factories.User(name="indah-bps")
        for name in ("produsen-dinkes-2",):
            self._join(self.opd["id"], name, "editor")
        self._join("bps", "indah-bps", "member")

    @staticmethod
    def _join(org, user, capacity):
        from ckan.tests import helpers
        helpers.call_action("organization_member_create", {"ignore_auth": True},
                            id=org, username=user, role=capacity)


@pytest.fixture
def portal(clean_db, clean_index, clean_queues):
    return IndahPortal()


@pytest.fixture
def contract(monkeypatch, ckan_config):
    """The contract server, the portal configured to report to it (this process and
    the worker's configuration, ``contract.ini``)."""
    found = Contract(token=TOKEN)
    server = serve(found)
    found.url = f"http://127.0.0.1:{server.server_address[1]}"
    options = {
        "ckanext.satudata.indah.url": found.url,
        "ckanext.satudata.indah.timeout": "2",
        "ckanext.satudata.indah.retry_delays": "0.2 0.2",
        "ckanext.satudata.indah.user": "indah-bps",
        "ckanext.satudata.workflow.kegiatan": "pasuruan",
    }
    for key, value in options.items():
        monkeypatch.setitem(ckan_config, key, value)
    monkeypatch.setenv("SATUDATA_INDAH_TOKEN", TOKEN)
    ini = TEST_INI.parent / ".satudata" / f"indah-contract-{server.server_address[1]}.ini"
    ini.parent.mkdir(exist_ok=True)
    logging_sections = TEST_INI.read_text().partition("[loggers]")
    ini.write_text("[app:main]\nuse = config:" + str(TEST_INI) + "\n"
                   + "".join(f"{k} = {v}\n" for k, v in options.items())
                   + "\n" + logging_sections[1] + logging_sections[2])
    found.ini = ini
    yield found
    server.shutdown()
    ini.unlink(missing_ok=True)
