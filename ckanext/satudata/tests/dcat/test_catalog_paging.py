"""/catalog.ttl pages list published datasets only (Hydra paging);
/catalog/withdrawn.ttl pages list the tombstones, each a dcat:Resource."""
import datetime

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ckanext.dcat.profiles import ADMS, DCAT
from ckanext.satudata.dcat.vocab import EU_DATASET_STATUS, HYDRA
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.dcat.conftest import reach

SITE = "http://test.ckan.net"
WITHDRAWN_CATALOG = URIRef(f"{SITE}/catalog/withdrawn")


def _page(app, path="/catalog.ttl", **params) -> Graph:
    response = app.get(path, query_string=params)
    assert response.status_code == 200, response.body[:300]
    return Graph().parse(data=response.body, format="turtle")


def _total(g: Graph) -> Literal:
    return g.value(next(g.subjects(RDF.type, HYDRA.PagedCollection)), HYDRA.totalItems)


@pytest.fixture
def made(portal):
    def make(state):
        dataset = sd.create(sd.data_sektoral(portal.opd["id"]), portal.produsen["name"])
        reach(portal, dataset, state)
        return URIRef(f"{SITE}/dataset/{dataset['id']}")

    published = {make("terpublikasi") for _ in range(3)}
    withdrawn = [make("ditarik"), make("ditarik")]
    since = datetime.datetime.now(datetime.timezone.utc).isoformat()
    withdrawn.append(make("ditarik"))
    make("draf")
    return published, withdrawn, since


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_catalog_pages_list_published_datasets_only(app, made):
    published, withdrawn, _ = made
    pages = [_page(app, page=n) for n in (1, 2)]
    listed = [set(g.objects(URIRef(SITE), DCAT.dataset)) for g in pages]
    assert [len(p) for p in listed] == [2, 1]
    assert set().union(*listed) == published
    for g in pages:
        assert _total(g) == Literal(3)
        assert set(g.subjects(RDF.type, DCAT.Dataset)) <= published
        assert not set(g.subjects(ADMS.status, EU_DATASET_STATUS.WITHDRAWN))
    assert not list(pages[1].objects(None, HYDRA.nextPage))
    # page 3 (where tombstones used to follow) is past the end: nothing
    assert not set(_page(app, page=3).objects(URIRef(SITE), DCAT.dataset))


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_tombstone_catalog_pages_the_withdrawals(app, made):
    published, withdrawn, since = made
    pages = [_page(app, "/catalog/withdrawn.ttl", page=n) for n in (1, 2)]
    listed = [list(g.objects(WITHDRAWN_CATALOG, DCAT.resource)) for g in pages]
    assert [len(p) for p in listed] == [2, 1]
    assert set(listed[0]) | set(listed[1]) == set(withdrawn)
    for g in pages:
        assert _total(g) == Literal(3)
        assert not list(g.subjects(RDF.type, DCAT.Dataset))
        for ref in g.objects(WITHDRAWN_CATALOG, DCAT.resource):
            assert (ref, ADMS.status, EU_DATASET_STATUS.WITHDRAWN) in g
            assert (ref, RDF.type, DCAT.Resource) in g
    assert list(pages[0].objects(None, HYDRA.nextPage)) and not list(pages[1].objects(None, HYDRA.nextPage))

    # an incremental harvest of the withdrawals: only those since
    recent = _page(app, "/catalog/withdrawn.ttl", modified_since=since)
    assert set(recent.objects(WITHDRAWN_CATALOG, DCAT.resource)) == {withdrawn[2]}
    assert app.get("/catalog/withdrawn.ttl", query_string={"page": "x"}).status_code == 400
    assert app.get("/catalog/withdrawn.ttl", query_string={"modified_since": "gestern"}).status_code == 400
