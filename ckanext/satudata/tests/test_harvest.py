"""package_search as the CKAN harvester (ckanext-harvest's CKANHarvester) calls it.

The harvester pages with ``rows``/``start`` and ``sort=id asc``, filters by
organization and, on incremental runs, by ``fq=metadata_modified:[<last run> TO *]``.
Without ``include_private`` it gets published datasets only, whatever its API
token: a sysadmin's token included. ``include_private=True`` is an explicit
opt-in and then follows the permission labels (see bench/README.md and
ckanext/satudata/dcat/README.md).
"""
import datetime
import json
from urllib.parse import urlencode

import pytest

from ckan.tests import factories as ckan_factories

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.dcat.conftest import portal, reach  # noqa: F401 (portal: fixture)


def _search(app, token, **params):
    headers = {"Authorization": token} if token else {}
    response = app.get("/api/3/action/package_search?" + urlencode(params), headers=headers)
    assert response.status_code == 200, response.body[:300]
    return json.loads(response.body)["result"]


def _harvest(app, token, rows, **params):
    ids, start = [], 0
    while True:
        page = _search(app, token, sort="id asc", rows=rows, start=start, **params)
        ids += [d["id"] for d in page["results"]]
        start += rows
        if start >= page["count"]:
            return ids, page["count"]


@pytest.fixture
def catalog(portal):
    def make(org, producer, n, state="terpublikasi"):
        made = []
        for _ in range(n):
            dataset = sd.create(sd.data_sektoral(org["id"]), producer["name"])
            reach(portal, dataset, state, produsen=producer)
            made.append(dataset["id"])
        return made

    dinkes = make(portal.opd, portal.produsen, 5)
    disdik = make(portal.opd_lain, portal.produsen_lain, 2)
    hidden = make(portal.opd, portal.produsen, 1, "draf") + make(portal.opd, portal.produsen, 1, "disetujui")
    since = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    later = make(portal.opd, portal.produsen, 2)
    hidden += make(portal.opd_lain, portal.produsen_lain, 1, "diperiksa_walidata")
    tokens = {"anonymous": None,
              "produsen_lain": ckan_factories.APIToken(user=portal.produsen_lain["name"])["token"],
              "sysadmin": ckan_factories.APIToken(user=portal.sysadmin["name"])["token"]}
    return portal, dinkes + later, disdik, later, hidden, since, tokens


def test_harvester_pattern_pages_published_datasets_once_in_id_order(app, catalog):
    portal, dinkes, disdik, later, hidden, since, tokens = catalog
    published = sorted(dinkes + disdik)
    for who, token in tokens.items():
        for rows in (1, 3, 100):
            ids, count = _harvest(app, token, rows)
            assert (who, rows, ids, count) == (who, rows, published, len(published))
        # organization filter
        assert _harvest(app, token, 2, fq=f"organization:{portal.opd['name']}")[0] == sorted(dinkes)
        assert _harvest(app, token, 2, fq=f"organization:{portal.opd_lain['name']}")[0] == sorted(disdik)
        # incremental run: what was published since the last one
        ids, _ = _harvest(app, token, 1, fq=f"metadata_modified:[{since} TO *]")
        assert ids == sorted(later)
        # the harvester joins its filters with a space in one fq
        ids, _ = _harvest(app, token, 5,
                          fq=f"organization:{portal.opd['name']} metadata_modified:[{since} TO *]")
        assert ids == sorted(later)


def test_include_private_is_an_explicit_opt_in_that_follows_roles(app, catalog):
    _, dinkes, disdik, _, hidden, _, tokens = catalog
    published = set(dinkes + disdik)
    everything = {d["id"] for d in _search(app, tokens["sysadmin"], include_private=True,
                                            rows=100)["results"]}
    assert everything == published | set(hidden)
    for who in ("anonymous", "produsen_lain"):
        seen = {d["id"] for d in _search(app, tokens[who], include_private=True, rows=100)["results"]}
        # produsen-disdik's own diperiksa_walidata dataset is its OPD's, so it sees it
        assert seen - published == (set(hidden[-1:]) if who == "produsen_lain" else set())
