"""A catalog page of the portal's profiles is built in dcat/page_graph.py's graph: the
triples are those ckanext-dcat's own ConjunctiveGraph holds, in every format."""
import pytest
import rdflib
from rdflib.namespace import DCAT, XSD

from ckanext.satudata.dcat import page_graph
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.dcat.conftest import reach
from ckanext.satudata.tests.dcat.test_turtle import _isomorphic

RDFLIB_FORMATS = {"ttl": "turtle", "xml": "xml", "jsonld": "json-ld", "n3": "n3"}


@pytest.fixture
def page(portal, upload_resource):
    """Two published datasets with an upload each: euro_dcat_ap_3 rewrites every
    dcat:byteSize of the graph while it iterates them, which a store yielding from
    its live indexes refuses once there are two."""
    for name in ("penduduk-kecamatan", "penduduk-desa"):
        dataset = sd.create(sd.data_sektoral(portal.opd["id"], name=name, kegiatan=None),
                            portal.produsen["name"])
        upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"],
                        variabel=sd.VARIABLES)
        portal.validate(dataset["id"])
        reach(portal, dataset, "terpublikasi")


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_the_same_triples_as_ckanext_dcats_graph(app, page, monkeypatch, fmt):
    ours = rdflib.Graph().parse(data=app.get(f"/catalog.{fmt}").body, format=RDFLIB_FORMATS[fmt])
    monkeypatch.setattr(page_graph, "PageGraph", rdflib.ConjunctiveGraph)
    theirs = rdflib.Graph().parse(data=app.get(f"/catalog.{fmt}").body, format=RDFLIB_FORMATS[fmt])
    _isomorphic(ours, theirs)
    sizes = list(ours.objects(None, DCAT.byteSize))
    assert len(sizes) == 2 and {size.datatype for size in sizes} == {XSD.nonNegativeInteger}
