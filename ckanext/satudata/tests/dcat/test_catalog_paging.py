"""/catalog.ttl pages: published datasets, then tombstones, in one Hydra sequence."""
import datetime

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ckanext.dcat.profiles import ADMS, DCAT
from ckanext.satudata.dcat.vocab import EU_DATASET_STATUS, HYDRA
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.dcat.conftest import reach

SITE = "http://test.ckan.net"


def _page(app, **params) -> Graph:
    response = app.get("/catalog.ttl", query_string=params)
    assert response.status_code == 200, response.body[:300]
    return Graph().parse(data=response.body, format="turtle")


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_tombstones_follow_the_datasets_across_pages(app, portal):
    def make(state):
        dataset = sd.create(sd.data_sektoral(portal.opd["id"]), portal.produsen["name"])
        reach(portal, dataset, state)
        return URIRef(f"{SITE}/dataset/{dataset['id']}")

    published = {make("terpublikasi") for _ in range(3)}
    withdrawn = [make("ditarik")]
    since = datetime.datetime.now(datetime.timezone.utc).isoformat()
    withdrawn.append(make("ditarik"))
    make("draf")

    pages = [_page(app, page=n) for n in (1, 2, 3)]
    listed = [set(g.objects(URIRef(SITE), DCAT.dataset)) for g in pages]
    assert [len(p) for p in listed] == [2, 2, 1]
    assert set().union(*listed) == published | set(withdrawn)
    assert listed[0] <= published and listed[2] <= set(withdrawn)
    for g in pages:
        collection = next(g.subjects(RDF.type, HYDRA.PagedCollection))
        assert g.value(collection, HYDRA.totalItems) == Literal(5)
    assert next(pages[2].subjects(RDF.type, HYDRA.PagedCollection)) and \
        not list(pages[2].objects(None, HYDRA.next))
    for ref in withdrawn:
        g = next(g for g, found in zip(pages, listed) if ref in found)
        assert (ref, ADMS.status, EU_DATASET_STATUS.WITHDRAWN) in g

    # an incremental harvest: only what changed since, tombstones included
    recent = _page(app, modified_since=since)
    assert set(recent.objects(URIRef(SITE), DCAT.dataset)) == {withdrawn[1]}
