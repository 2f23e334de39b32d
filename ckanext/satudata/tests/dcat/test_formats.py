"""Every RDF format of the portal's profiles carries the same graph: the Turtle's,
MS-Var columns (an RDF list of blank nodes) included (dcat/rdfxml.py)."""
import pytest
import rdflib
from rdflib.collection import Collection

from ckanext.satudata.dcat.vocab import CSVW
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.dcat.test_turtle import _isomorphic

RDFLIB_FORMATS = {"rdf": "xml", "xml": "xml", "jsonld": "json-ld", "n3": "n3"}


def _graph(app, url: str, fmt: str) -> rdflib.Graph:
    response = app.get(url)
    assert response.status_code == 200, (url, response.status_code)
    g = rdflib.Graph().parse(data=response.body, format=fmt)
    # The catalog's paging (hydra) names the page's own URL, extension included.
    for page in {s for s in g.subjects() if "?page=" in str(s)}:
        g.remove((page, None, None))
    return g


def _columns(g: rdflib.Graph) -> list[str]:
    return [str(g.value(column, CSVW.name))
            for schema in g.objects(None, CSVW.tableSchema)
            for head in g.objects(schema, CSVW.column)
            for column in Collection(g, head)]


@pytest.mark.parametrize("ext", sorted(RDFLIB_FORMATS))
def test_catalog_and_dataset_formats_carry_the_turtles_graph(app, published, ext):
    _, dataset, *_ = published
    for url in ("/catalog", f"/dataset/{dataset['id']}"):
        turtle = _graph(app, f"{url}.ttl", "turtle")
        other = _graph(app, f"{url}.{ext}", RDFLIB_FORMATS[ext])
        _isomorphic(other, turtle)
        assert _columns(other) == [v["name"] for v in sd.VARIABLES]
